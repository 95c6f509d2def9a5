import type { CaptureSource } from '../../agent/capture-source.js';
import { FRAME_BYTES } from '../../core/protocol.js';
import type { Clip, FramePool } from './frame-pool.js';
import type { Timeline } from './timeline.js';

export interface CaptureTruth {
  /** Capture slot (0-based, in capture order). */
  slot: number;
  prohibited: boolean;
  /** The first slot of the episode, which identifies it within the student. */
  episode?: number;
}

/**
 * A simulated student's screen: permitted work walks one session's permitted
 * clip back and forth (the screen changes a little every second, as when
 * typing), and during an episode of the timeline the screen shows a prohibited
 * clip. Every capture reports its ground truth to `onCapture`, in capture order.
 *
 * A capture's `rgb` is the pool frame's views, one per monitor (protocol v3), as
 * a real agent sends them; hello reports the monitors of the student's own
 * desktop (its permitted clip's). An episode shows a prohibited clip of a
 * desktop with as many views as the student's own: a student does not plug a
 * monitor in to open a chat, and a change of monitor count makes the assistant
 * start the window again, which would cost the episode its first two windows.
 * Only when the pool has no such clip does the episode show another.
 */
export function buildSyntheticSource(o: {
  pool: FramePool;
  timeline: Timeline;
  student: number;
  onCapture: (truth: CaptureTruth) => void;
}): CaptureSource {
  const work = o.pool.permitted[o.student % o.pool.permitted.length];
  const views = (c: Clip) => (c.frames[0]?.rgb.length ?? 0) / FRAME_BYTES;
  const alike = o.pool.prohibited.filter((c) => views(c) === views(work));
  const episodeClips = alike.length > 0 ? alike : o.pool.prohibited;
  let slot = 0;
  return {
    monitors: work.frames[0]?.monitors.length ?? 1,
    async capture({ wantOriginal }) {
      const k = slot++;
      const ep = o.timeline.episodeAt(k);
      let frame;
      if (ep) {
        const clip = episodeClips[ep.clip % episodeClips.length];
        frame = clip.frames[(k - ep.first) % clip.frames.length];
      } else {
        const n = work.frames.length;
        const period = Math.max(1, 2 * n - 2);
        const p = (k + o.student * 7) % period;
        frame = work.frames[p < n ? p : period - p];
      }
      o.onCapture({ slot: k, prohibited: ep !== undefined, episode: ep?.first });
      if (!wantOriginal) return { rgb: frame.rgb };
      // the pool holds the PNG already (loaded on first use): nothing to encode, nothing to free
      return { rgb: frame.rgb, original: { width: frame.width, height: frame.height, bytes: 0, png: () => frame.png() } };
    },
  };
}
