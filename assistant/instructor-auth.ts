import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'lw_session';

export function parseCookies(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a malformed cookie is simply absent
    }
  }
  return out;
}

export function sessionId(headers: IncomingHttpHeaders): string | undefined {
  return parseCookies(headers)[SESSION_COOKIE];
}

/** httpOnly: scripts can't read it; SameSite=Strict: other sites can't make the browser send it (CSRF). */
export function sessionCookie(id: string, maxAgeMs: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

/**
 * Failed logins per client address: after `max` failures within `windowMs` the
 * address is refused until the window ends. A success clears its count.
 */
export class LoginLimiter {
  private failures = new Map<string, { count: number; since: number }>();
  constructor(private readonly max: number, private readonly windowMs: number) {}

  /** Milliseconds the address must still wait (0 = may try). */
  blockedFor(address: string, now: number): number {
    const f = this.failures.get(address);
    if (!f) return 0;
    if (now - f.since >= this.windowMs) { this.failures.delete(address); return 0; }
    return f.count >= this.max ? this.windowMs - (now - f.since) : 0;
  }

  fail(address: string, now: number): void {
    const f = this.failures.get(address);
    if (!f || now - f.since >= this.windowMs) this.failures.set(address, { count: 1, since: now });
    else f.count++;
    if (this.failures.size > 100_000) this.failures.clear();
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }
}
