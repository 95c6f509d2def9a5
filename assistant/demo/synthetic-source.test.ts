import { describe, expect, it } from 'vitest';
import { FRAME_BYTES } from '../../core/protocol.js';
import type { Clip, FramePool } from './frame-pool.js';
import { buildSyntheticSource } from './synthetic-source.js';
import type { Timeline } from './timeline.js';

/** A clip of `n` frames of `views` views, each frame's bytes all `value`. */
function clip(prohibited: boolean, views: number, value: number, n = 4): Clip {
  return {
    sessionId: `s${value}`,
    prohibited,
    frames: Array.from({ length: n }, () => ({
      rgb: new Uint8Array(views * FRAME_BYTES).fill(value),
      png: async () => new Uint8Array(),
      width: 1920 * views,
      height: 1080,
      monitors: Array.from({ length: views }, (_, i) => ({ x: 1920 * i, y: 0, w: 1920, h: 1080 })),
      kind: prohibited ? 'chat' : 'ide',
    })),
  };
}

const pool: FramePool = {
  dir: '/nowhere',
  permitted: [clip(false, 1, 10), clip(false, 2, 20)],
  prohibited: [clip(true, 1, 101), clip(true, 1, 102), clip(true, 2, 201)],
  frames: 0,
  cached: true,
};

/** Slots 2-5 are an episode showing prohibited clip `clip` (an index the timeline draws over the whole pool). */
const episode = (clipIndex: number): Timeline => ({
  cheater: true,
  episodeAt: (k) => (k >= 2 && k <= 5 ? { first: 2, last: 5, clip: clipIndex } : undefined),
  episodesBefore: () => [{ first: 2, last: 5, clip: clipIndex }],
});

async function walk(student: number, timeline: Timeline) {
  const truths: boolean[] = [];
  const source = buildSyntheticSource({ pool, timeline, student, onCapture: (t) => truths.push(t.prohibited) });
  const frames: number[][] = [];
  for (let k = 0; k < 8; k++) {
    const { rgb } = await source.capture({ wantOriginal: false });
    frames.push(Array.from({ length: rgb.length / FRAME_BYTES }, (_, v) => rgb[v * FRAME_BYTES]));
  }
  return { monitors: source.monitors, frames, truths };
}

describe('simulated student screen', () => {
  it('shows its own desktop, then during an episode a prohibited desktop with as many monitors', async () => {
    const one = await walk(0, episode(2)); // clip 2 has two monitors: a one-monitor student gets a one-monitor clip
    expect(one.monitors).toBe(1);
    expect(one.truths).toEqual([false, false, true, true, true, true, false, false]);
    expect(one.frames.map((f) => f.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(new Set(one.frames.slice(2, 6).map((f) => f[0]))).toEqual(new Set([101]));

    const two = await walk(1, episode(0));
    expect(two.monitors).toBe(2);
    expect(two.frames.every((f) => f.length === 2)).toBe(true);
    expect(two.frames.slice(2, 6).map((f) => f[0])).toEqual([201, 201, 201, 201]);
    expect(two.frames[0]).toEqual([20, 20]);
  });
});
