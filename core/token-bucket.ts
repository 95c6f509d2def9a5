/**
 * A token bucket: `perSecond` events sustained, `capacity` at once. The
 * assistant uses it to enforce the protocol's rate limits per connection
 * (core/protocol.ts MAX_MESSAGES_PER_SECOND, MAX_FRAMES_PER_SECOND); the agent
 * uses one with margin inside those limits, so draining a backlog after an
 * outage never gets its connection closed for flooding.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until one token is available. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}
