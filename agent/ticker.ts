/**
 * A periodic timer that does not drift: tick k is scheduled at start + k*interval
 * (not "interval after the previous tick ran"), so a slow capture never shifts
 * the 1 fps grid. A tick whose previous run is still busy is skipped and counted
 * instead of queued, so a stalled capture cannot pile up work.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface Ticker {
  stop(): void;
  readonly stats: { ticks: number; skipped: number; missedSlots: number };
}

export function startTicker(intervalMs: number, run: (scheduledAt: number) => Promise<void>, clock: Clock = systemClock): Ticker {
  const start = clock.now();
  let k = 0;
  let busy = false;
  let stopped = false;
  let handle: unknown;
  const stats = { ticks: 0, skipped: 0, missedSlots: 0 };

  const schedule = () => {
    if (stopped) return;
    k += 1;
    let due = start + k * intervalMs;
    const now = clock.now();
    // If the process slept (suspended laptop, starved CPU), jump to the next
    // future slot and count the slots that passed rather than firing a burst.
    if (due < now - intervalMs) {
      const behind = Math.floor((now - due) / intervalMs);
      stats.missedSlots += behind;
      k += behind;
      due = start + k * intervalMs;
    }
    handle = clock.setTimeout(fire, Math.max(0, due - clock.now()));
  };

  const fire = () => {
    if (stopped) return;
    const scheduledAt = start + k * intervalMs;
    schedule();
    if (busy) {
      stats.skipped += 1;
      return;
    }
    busy = true;
    stats.ticks += 1;
    run(scheduledAt)
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  };

  handle = clock.setTimeout(fire, 0);
  return {
    stats,
    stop() {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}
