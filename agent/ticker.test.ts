import { describe, expect, it } from 'vitest';
import { startTicker, type Clock } from './ticker.js';

/** A manual clock: timers fire only when the test advances time. */
function manualClock() {
  let t = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 0;
  const clock: Clock & { advance(ms: number): Promise<void> } = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: t + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((x) => x.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    async advance(ms) {
      const end = t + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        t = next.at;
        next.fn();
        await new Promise((r) => setImmediate(r));
      }
      t = end;
    },
  };
  return clock;
}

describe('startTicker', () => {
  it('keeps ticks on the start + k*interval grid even when each run takes time', async () => {
    const clock = manualClock();
    const at: number[] = [];
    const ticker = startTicker(1000, async (scheduledAt) => {
      at.push(scheduledAt);
    }, clock);
    await clock.advance(250); // a slow event loop: the first timer fires late
    await clock.advance(9_750);
    ticker.stop();
    expect(at).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);
  });

  it('skips and counts ticks while a capture is still running instead of queueing them', async () => {
    const clock = manualClock();
    let release!: () => void;
    let runs = 0;
    const ticker = startTicker(1000, () => {
      runs += 1;
      return new Promise<void>((r) => { release = r; });
    }, clock);
    await clock.advance(3_500); // a capture stuck for 3.5 s: ticks at 1, 2, 3 s are skipped
    expect(runs).toBe(1);
    expect(ticker.stats.skipped).toBe(3);
    release();
    await new Promise((r) => setImmediate(r));
    await clock.advance(1_000);
    expect(runs).toBe(2);
    ticker.stop();
  });
});
