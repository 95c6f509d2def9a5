import { describe, expect, it } from 'vitest';
import type { Clip, FramePool, PoolFrame } from './frame-pool.js';
import { formatPoolScores, scorePool, scorePoolWholeDesktop, type PoolScorer } from './pool-scores.js';

/** A frame of uniform grey views, one per level (one level: a single-monitor desktop). */
function frame(levels: number[], kind: string): PoolFrame {
  const rgb = new Uint8Array(7500 * levels.length);
  levels.forEach((v, i) => rgb.fill(v, i * 7500, (i + 1) * 7500));
  const monitors = levels.map((_, i) => ({ x: i * 10, y: 0, w: 10, h: 10 }));
  return { rgb, png: async () => new Uint8Array([levels.length]), width: 10 * levels.length, height: 10, monitors, kind };
}

/** A clip whose frames are uniform grey levels (each a number for one view, or an array for one view per monitor). */
function clip(prohibited: boolean, levels: (number | number[])[], kind: string): Clip {
  return { sessionId: 's', prohibited, frames: levels.map((v) => frame(typeof v === 'number' ? [v] : v, kind)) };
}

/** A pool of these clips. */
const poolOf = (permitted: Clip[], prohibited: Clip[]): FramePool => ({
  dir: '/nowhere', permitted, prohibited, frames: [...permitted, ...prohibited].reduce((n, c) => n + c.frames.length, 0), cached: true,
});

/** Scores a window by the brightness of its newest frame (0-255 -> 0-1). */
const newestBrightness: PoolScorer = {
  embedFrames: (frames) => frames.map((f) => f[0] / 255),
  scoreWindows: (windows) => Float32Array.from(windows.map((w) => w[2] as number)),
};

/** Scores back to the grey level they came from. */
const levels = (scores: number[]) => scores.map((s) => Math.round(s * 255));

describe('demo pool scores', () => {
  const pool = poolOf([clip(false, [0, 0, 0, 255, 0], 'ide')], [clip(true, [255, 255, 255, 0], 'ai-chat')]);

  it('scores every window of every clip in both walking directions, permitted clips first', () => {
    const scores = scorePool(pool, newestBrightness);
    expect(scores.map((s) => [s.clip, s.prohibited, s.kinds])).toEqual([[0, false, ['ide']], [1, true, ['ai-chat']]]);
    expect(scores[0].forward).toEqual([0, 1, 0]);
    expect(scores[0].backward).toEqual([0, 0, 0]);
    expect(scores[1].forward).toEqual([1, 0]);
    expect(levels(scores[1].backward)).toEqual([255, 255]);
  });

  it('marks windows against both thresholds and counts the wrong ones per clip', () => {
    const text = formatPoolScores(scorePool(pool, newestBrightness), { alert: 0.8, f2: 0.5 });
    const [, permitted, prohibited] = text.split('\n');
    expect(permitted).toContain('permitted  .#. | ...  1/6 over the alert threshold  ide');
    expect(prohibited).toContain('prohibited #. | ##  1/4 under the alert threshold  ai-chat');
    expect(text.split('\n').at(-1)).toBe(
      'summary: 1 of 1 permitted clips have windows over the alert threshold (1 of 6 windows); 1 of 1 prohibited clips have windows under it (1 of 4 windows)',
    );
  });

  it('scores each monitor of a desktop on its own, a window counting as its highest monitor, as the assistant does', () => {
    const embedded: number[] = [];
    const counting: PoolScorer = { ...newestBrightness, embedFrames: (frames) => (embedded.push(frames.length), newestBrightness.embedFrames(frames)) };
    // the left monitor shows the IDE, the right one a chat that comes and goes
    const wide = poolOf([clip(false, [0, 0, 0, 0], 'ide')], [clip(true, [[0, 255], [0, 255], [0, 50], [0, 255]], 'ide+messaging')]);
    const scores = scorePool(wide, counting);
    expect(levels(scores[1].forward)).toEqual([50, 255]);
    expect(levels(scores[1].backward)).toEqual([255, 255]);
    expect(scores[1].monitors).toBe(2);
    expect(scores[0].monitors).toBeUndefined();
    // every view of every frame embedded once
    expect(embedded).toEqual([4, 8]);
    const text = formatPoolScores(scores, { alert: 0.8, f2: 0.5 });
    expect(text).toContain('prohibited .# | ##  1/4 under the alert threshold  ide+messaging (2 monitors, each on its own)');
    expect(text).not.toMatch(/ide \(/);
  });

  it('leaves out a window whose frames carry different view counts (the assistant starts the window again)', () => {
    const mixed = poolOf([clip(false, [10, 10, [0, 20], [0, 30], [0, 40]], 'ide')], []);
    const [s] = scorePool(mixed, newestBrightness);
    // frames 2-4 (two views each) make the only window, in each direction
    expect(levels(s.forward)).toEqual([40]);
    expect(levels(s.backward)).toEqual([20]);
    expect(s.monitors).toBe(2);
  });

  it('with --whole-desktop scores each desktop of several monitors as one view shrunk from its original', async () => {
    const wide = poolOf([clip(false, [0, 0, 0, 0], 'ide')], [clip(true, [[0, 255], [0, 255], [0, 255], [0, 255]], 'ide+messaging')]);
    const shrunk: PoolFrame[] = [];
    // squeezed into one frame, the chat on the right monitor is too dim to flag (60/255)
    const shrink = async (f: PoolFrame) => {
      shrunk.push(f);
      expect(await f.png()).toEqual(new Uint8Array([2]));
      return new Uint8Array(7500).fill(60);
    };
    const whole = await scorePoolWholeDesktop(wide, newestBrightness, shrink);
    expect(levels(whole[1].forward)).toEqual([60, 60]);
    expect(whole[1].monitors).toBeUndefined();
    // a single-monitor frame is the whole desktop already: never shrunk again, scored as by default
    expect(shrunk).toHaveLength(4);
    expect(whole[0]).toEqual(scorePool(wide, newestBrightness)[0]);
    expect(formatPoolScores(whole, { alert: 0.8, f2: 0.5 })).toMatch(/4\/4 under the alert threshold {2}ide\+messaging$/m);
  });
});
