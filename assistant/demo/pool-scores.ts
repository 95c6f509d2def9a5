import type { FramePool, MonitorRect, PoolFrame } from './frame-pool.js';

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
  /** Monitors scored one by one (`scorePoolPerMonitor`); a window's score is the highest of them. */
  monitors?: number;
}

/**
 * Score every 3-frame window of every clip of a demo pool, in both walking
 * directions (students walk their permitted clip back and forth). It answers
 * "why does the demo alert here?" without running the demo: a permitted clip
 * with windows at or above the alert threshold is a desktop the model gets
 * wrong, and every student walking it will raise alerts.
 */
export function scorePool(pool: FramePool, scorer: PoolScorer): ClipScores[] {
  const clips = [...pool.permitted, ...pool.prohibited];
  return clips.map((c, clip) => ({
    clip,
    prohibited: c.prohibited,
    kinds: [...new Set(c.frames.map((f) => f.kind))],
    ...scoreFrames(c.frames.map((f) => f.rgb), scorer),
  }));
}

/** Both walking directions' window scores over one run of 50x50 frames. */
function scoreFrames(rgb: readonly Uint8Array[], scorer: PoolScorer): { forward: number[]; backward: number[] } {
  const e = scorer.embedFrames(rgb);
  const fw: unknown[][] = [];
  const bw: unknown[][] = [];
  for (let i = 0; i + 2 < e.length; i++) fw.push([e[i], e[i + 1], e[i + 2]]);
  for (let i = e.length - 1; i >= 2; i--) bw.push([e[i], e[i - 1], e[i - 2]]);
  return { forward: Array.from(fw.length ? scorer.scoreWindows(fw) : []), backward: Array.from(bw.length ? scorer.scoreWindows(bw) : []) };
}

/**
 * As `scorePool`, but a desktop of several monitors is scored monitor by
 * monitor, each cropped from the full-size original and shrunk on its own
 * (`shrink`, the shared preprocessing), and a window's score is its highest
 * monitor's. It measures what classifying each monitor separately would change:
 * side by side in one 50x50 frame, two wide monitors are squeezed about 100
 * times horizontally, and a chat tiled on one of them is a few columns wide.
 */
export async function scorePoolPerMonitor(
  pool: FramePool,
  scorer: PoolScorer,
  shrink: (frame: PoolFrame, monitor: MonitorRect) => Promise<Uint8Array>,
): Promise<ClipScores[]> {
  const whole = scorePool(pool, scorer);
  const clips = [...pool.permitted, ...pool.prohibited];
  for (const [k, c] of clips.entries()) {
    // a session keeps its screen: the first frame's monitors are the clip's
    const monitors = c.frames[0]?.monitors ?? [];
    if (monitors.length < 2) continue;
    const per: { forward: number[]; backward: number[] }[] = [];
    for (const m of monitors) per.push(scoreFrames(await Promise.all(c.frames.map((f) => shrink(f, m))), scorer));
    const max = (pick: (s: { forward: number[]; backward: number[] }) => number[]) => pick(per[0]).map((_, i) => Math.max(...per.map((s) => pick(s)[i])));
    whole[k] = { ...whole[k], forward: max((s) => s.forward), backward: max((s) => s.backward), monitors: monitors.length };
  }
  return whole;
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
