import { describe, expect, it } from 'vitest';
import { EvidenceRing } from './evidence-ring.js';
import { Outbox } from './outbox.js';
import { buildBackoff } from './backoff.js';

const frame = (seq: number) => ({ seq, capturedAt: seq * 1000, rgb: new Uint8Array(7500) });

describe('Outbox (unacknowledged frames)', () => {
  it('drops the oldest frames past its bound and counts every one', () => {
    const box = new Outbox(3);
    for (let s = 1; s <= 5; s++) box.push(frame(s));
    expect(box.pending().map((f) => f.seq)).toEqual([3, 4, 5]);
    expect(box.dropped).toBe(2);
  });

  it('forgets frames once acknowledged, one by one or cumulatively', () => {
    const box = new Outbox(10);
    for (let s = 1; s <= 6; s++) box.push(frame(s));
    box.ack(5);
    expect(box.ackUpTo(3)).toBe(3);
    expect(box.pending().map((f) => f.seq)).toEqual([4, 6]);
  });
});

describe('EvidenceRing (full-size originals)', () => {
  const released: number[] = [];
  const img = (seq: number, bytes: number) => ({
    seq, capturedAt: seq,
    original: { width: 10, height: 10, bytes, png: async () => new Uint8Array(bytes), release: () => void released.push(seq) },
  });

  it('keeps at most N originals and at most B bytes, evicting (and releasing) the oldest', () => {
    released.length = 0;
    const ring = new EvidenceRing(3, 1000);
    for (let s = 1; s <= 4; s++) ring.add(img(s, 100));
    expect(ring.find([1, 2, 3, 4]).map((i) => i.seq)).toEqual([2, 3, 4]);
    ring.add(img(5, 950));
    expect(ring.find([3, 4, 5]).map((i) => i.seq)).toEqual([5]);
    expect(ring.totalBytes).toBeLessThanOrEqual(1000);
    expect(released).toEqual([1, 2, 3, 4]);
    ring.add(img(6, 2000)); // larger than the whole bound: refused, released at once
    expect(released).toEqual([1, 2, 3, 4, 6]);
    ring.clear();
    expect(released).toEqual([1, 2, 3, 4, 6, 5]);
    expect(ring.totalBytes).toBe(0);
  });

  it('keeps nothing when evidence is switched off', () => {
    const ring = new EvidenceRing(0);
    ring.add(img(1, 10));
    expect(ring.size).toBe(0);
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially up to the cap and never hits zero', () => {
    const mid = buildBackoff({ baseMs: 500, maxMs: 8000, random: () => 0.5 });
    expect(Array.from({ length: 7 }, () => mid.next())).toEqual([375, 750, 1500, 3000, 6000, 6000, 6000]);
    const low = buildBackoff({ baseMs: 500, maxMs: 8000, random: () => 0 });
    expect(low.next()).toBe(250);
    low.reset();
    expect(low.next()).toBe(250);
  });
});
