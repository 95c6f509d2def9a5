import { describe, expect, it } from 'vitest';
import type { Clip, FramePool } from './frame-pool.js';
import { formatPoolScores, scorePool, type PoolScorer } from './pool-scores.js';

/** A clip whose frames are uniform grey levels. */
function clip(prohibited: boolean, levels: number[], kind: string): Clip {
  return {
    sessionId: 's',
    prohibited,
    frames: levels.map((v) => ({ rgb: new Uint8Array(7500).fill(v), png: async () => new Uint8Array(), width: 10, height: 10, kind })),
  };
}

/** Scores a window by the brightness of its newest frame (0-255 -> 0-1). */
const newestBrightness: PoolScorer = {
  embedFrames: (frames) => frames.map((f) => f[0] / 255),
  scoreWindows: (windows) => Float32Array.from(windows.map((w) => w[2] as number)),
};

describe('demo pool scores', () => {
  const pool: FramePool = {
    dir: '/nowhere',
    permitted: [clip(false, [0, 0, 0, 255, 0], 'ide')],
    prohibited: [clip(true, [255, 255, 255, 0], 'ai-chat')],
    frames: 9,
    cached: true,
  };

  it('scores every window of every clip in both walking directions, permitted clips first', () => {
    const scores = scorePool(pool, newestBrightness);
    expect(scores.map((s) => [s.clip, s.prohibited, s.kinds])).toEqual([[0, false, ['ide']], [1, true, ['ai-chat']]]);
    expect(scores[0].forward).toEqual([0, 1, 0]);
    expect(scores[0].backward).toEqual([0, 0, 0]);
    expect(scores[1].forward).toEqual([1, 0]);
    expect(scores[1].backward).toEqual([1, 1]);
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
});
