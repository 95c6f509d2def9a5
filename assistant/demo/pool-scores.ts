import { frameViews } from '../../core/protocol.js';
import type { FramePool, PoolFrame } from './frame-pool.js';

const badPoolFrame = (what: string) => new Error(`pool frame: ${what}`);

/** What pool scoring needs from the model: IncrementalClassifier's two calls. */
export interface PoolScorer {
  embedFrames(frames: readonly Uint8Array[]): unknown[];
  scoreWindows(windows: readonly (readonly unknown[])[]): Float32Array;
}

export interface ClipScores {
  /** Index in the pool: permitted clips first, then prohibited ones. */
  clip: number;
  prohibited: boolean;
  kinds: string[];
  /** Scores of the 3-frame windows as a student walks the clip forward, then backward. */
  forward: number[];
  backward: number[];
  /** Set when the clip's frames carry several views (monitors), each scored on its own; a window's score is the highest of them. */
  monitors?: number;
}

/**
 * Score every 3-frame window of every clip of a demo pool, in both walking
 * directions (students walk their permitted clip back and forth), as the
 * assistant scores a student's frames (assistant/inference-batcher.ts): each
 * view of a frame (one per monitor) is embedded on its own, each view's 3-frame
 * window is scored, and the window's score is the highest of its views, so a
 * chat on one monitor is not diluted by an IDE on the other. A window whose
 * frames carry different view counts is left out, as the assistant starts a
 * student's window again when the monitor count changes (a simulated session
 * keeps its screen, so a clip's frames all have the same count).
 *
 * It answers "why does the demo alert here?" without running the demo: a
 * permitted clip with windows at or above the alert threshold is a desktop the
 * model gets wrong, and every student walking it will raise alerts.
 */
export function scorePool(pool: FramePool, scorer: PoolScorer): ClipScores[] {
  return scoreClips(pool, scorer, (f) => frameViews(f.rgb, badPoolFrame));
}

/**
 * As `scorePool`, the old way (`--whole-desktop`): each frame is one view of the
 * whole desktop, its full-size original shrunk into one 50x50 frame (`shrink`,
 * the shared preprocessing). It measures what classifying each monitor on its
 * own changes: side by side in one 50x50 frame, two wide monitors are squeezed
 * about 100 times horizontally, and a chat tiled on one of them is a few
 * columns wide. A frame of one view is the whole desktop already and is kept.
 */
export async function scorePoolWholeDesktop(pool: FramePool, scorer: PoolScorer, shrink: (frame: PoolFrame) => Promise<Uint8Array>): Promise<ClipScores[]> {
  const whole = new Map<PoolFrame, Uint8Array[]>();
  for (const c of [...pool.permitted, ...pool.prohibited]) {
    for (const f of c.frames) {
      if (whole.has(f)) continue;
      const views = frameViews(f.rgb, badPoolFrame);
      whole.set(f, views.length === 1 ? views : [await shrink(f)]);
    }
  }
  return scoreClips(pool, scorer, (f) => whole.get(f)!);
}

function scoreClips(pool: FramePool, scorer: PoolScorer, viewsOf: (f: PoolFrame) => Uint8Array[]): ClipScores[] {
  const clips = [...pool.permitted, ...pool.prohibited];
  return clips.map((c, clip) => {
    const views = c.frames.map(viewsOf);
    const most = Math.max(0, ...views.map((v) => v.length));
    return {
      clip,
      prohibited: c.prohibited,
      kinds: [...new Set(c.frames.map((f) => f.kind))],
      ...scoreFrames(views, scorer),
      ...(most > 1 ? { monitors: most } : {}),
    };
  });
}

/** Both walking directions' window scores over one run of frames (each 1+ views): per window, the highest view's. */
function scoreFrames(views: readonly Uint8Array[][], scorer: PoolScorer): { forward: number[]; backward: number[] } {
  const flat = scorer.embedFrames(views.flat());
  let at = 0;
  const e = views.map((v) => flat.slice(at, (at += v.length)));
  // one window per view: [frame a's view v, frame b's view v, frame c's view v]
  const windows: unknown[][] = [];
  const groups: { forward: boolean; from: number; n: number }[] = [];
  const add = (forward: boolean, a: unknown[], b: unknown[], c: unknown[]) => {
    if (a.length !== b.length || b.length !== c.length) return;
    groups.push({ forward, from: windows.length, n: a.length });
    for (let v = 0; v < a.length; v++) windows.push([a[v], b[v], c[v]]);
  };
  for (let i = 0; i + 2 < e.length; i++) add(true, e[i], e[i + 1], e[i + 2]);
  for (let i = e.length - 1; i >= 2; i--) add(false, e[i], e[i - 1], e[i - 2]);
  const scores = windows.length ? scorer.scoreWindows(windows) : new Float32Array();
  const forward: number[] = [];
  const backward: number[] = [];
  for (const g of groups) (g.forward ? forward : backward).push(Math.max(...scores.subarray(g.from, g.from + g.n)));
  return { forward, backward };
}

/** One line per clip: '#' at or above the alert threshold, '+' at or above the F2 threshold, '.' below. */
export function formatPoolScores(scores: ClipScores[], thresholds: { alert: number; f2: number }): string {
  const mark = (s: number) => (s >= thresholds.alert ? '#' : s >= thresholds.f2 ? '+' : '.');
  const lines = [`windows: '#' >= alert threshold ${thresholds.alert.toFixed(3)}, '+' >= F2 threshold ${thresholds.f2.toFixed(3)}, '.' below`];
  // per class: clips with a wrong window, clips, wrong windows, windows
  const tally = { permitted: [0, 0, 0, 0], prohibited: [0, 0, 0, 0] };
  for (const c of scores) {
    const all = [...c.forward, ...c.backward];
    const wrong = c.prohibited ? all.filter((s) => s < thresholds.alert).length : all.filter((s) => s >= thresholds.alert).length;
    const t = c.prohibited ? tally.prohibited : tally.permitted;
    t[0] += wrong > 0 ? 1 : 0;
    t[1] += 1;
    t[2] += wrong;
    t[3] += all.length;
    lines.push(
      `${String(c.clip).padStart(2)} ${c.prohibited ? 'prohibited' : 'permitted '} ${c.forward.map(mark).join('')} | ${c.backward.map(mark).join('')}` +
        `  ${wrong}/${all.length} ${c.prohibited ? 'under' : 'over'} the alert threshold  ${c.kinds.join(', ')}${c.monitors ? ` (${c.monitors} monitors, each on its own)` : ''}`,
    );
  }
  // the demo's false alerts come from the first figure, its missed episodes from the second
  const [pc, pn, pw, pt] = tally.permitted;
  const [qc, qn, qw, qt] = tally.prohibited;
  lines.push(`summary: ${pc} of ${pn} permitted clips have windows over the alert threshold (${pw} of ${pt} windows); ${qc} of ${qn} prohibited clips have windows under it (${qw} of ${qt} windows)`);
  return lines.join('\n');
}
