/**
 * Reconnect delays: exponential, capped, with jitter so that 150 agents cut off
 * by the same network blip do not all come back in the same millisecond.
 * "Equal jitter": half the delay is fixed, half random, so a delay is never ~0.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export function buildBackoff(options: BackoffOptions = {}) {
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next(): number {
      const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
      attempt += 1;
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    },
    reset(): void {
      attempt = 0;
    },
    get attempts(): number {
      return attempt;
    },
  };
}
