import { describe, expect, it } from 'vitest';
import type { Clip, FramePool, MonitorRect, PoolFrame } from './frame-pool.js';
import { formatPoolScores, scorePool, scorePoolPerMonitor, type PoolScorer } from './pool-scores.js';

/** A clip whose frames are uniform grey levels. */
function clip(prohibited: boolean, levels: number[], kind: string, monitors: MonitorRect[] = [{ x: 0, y: 0, w: 10, h: 10 }]): Clip {
  return {
    sessionId: 's',
    prohibited,
    frames: levels.map((v) => ({ rgb: new Uint8Array(7500).fill(v), png: async () => new Uint8Array(), width: 20, height: 10, monitors, kind })),
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

  it('scores a desktop of two monitors monitor by monitor, a window counting as its highest monitor', async () => {
    const twoMonitors = [{ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 10, h: 10 }];
    const wide: FramePool = {
      dir: '/nowhere',
      // squeezed into one frame, the chat on the right monitor is too dim to flag (60/255)
      permitted: [clip(false, [0, 0, 0, 0], 'ide')],
      prohibited: [clip(true, [60, 60, 60, 60], 'ide+messaging', twoMonitors)],
      frames: 8,
      cached: true,
    };
    const shrunk: MonitorRect[] = [];
    // on its own the right monitor is all chat, the left one all IDE
    const shrink = async (_f: PoolFrame, m: MonitorRect) => {
      shrunk.push(m);
      return new Uint8Array(7500).fill(m.x === 0 ? 0 : 255);
    };
    const whole = scorePool(wide, newestBrightness);
    const per = await scorePoolPerMonitor(wide, newestBrightness, shrink);
    expect(whole[1].forward.every((s) => s < 0.8)).toBe(true);
    expect(per[1].forward).toEqual([1, 1]);
    expect(per[1].backward).toEqual([1, 1]);
    expect(per[1].monitors).toBe(2);
    // a single-monitor clip is the whole frame already: left as scored, never cropped
    expect(per[0]).toEqual(whole[0]);
    expect(shrunk.filter((m) => m.x === 0)).toHaveLength(4);
    expect(shrunk).toHaveLength(8);
    expect(formatPoolScores(per, { alert: 0.8, f2: 0.5 })).toContain('0/4 under the alert threshold  ide+messaging (2 monitors, each on its own)');
  });
});
