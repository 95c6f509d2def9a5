import type { FramePool } from './frame-pool.js';

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
  return clips.map((c, clip) => {
    const e = scorer.embedFrames(c.frames.map((f) => f.rgb));
    const fw: unknown[][] = [];
    const bw: unknown[][] = [];
    for (let i = 0; i + 2 < e.length; i++) fw.push([e[i], e[i + 1], e[i + 2]]);
    for (let i = e.length - 1; i >= 2; i--) bw.push([e[i], e[i - 1], e[i - 2]]);
    return {
      clip,
      prohibited: c.prohibited,
      kinds: [...new Set(c.frames.map((f) => f.kind))],
      forward: Array.from(fw.length ? scorer.scoreWindows(fw) : []),
      backward: Array.from(bw.length ? scorer.scoreWindows(bw) : []),
    };
  });
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
        `  ${wrong}/${all.length} ${c.prohibited ? 'under' : 'over'} the alert threshold  ${c.kinds.join(', ')}`,
    );
  }
  // the demo's false alerts come from the first figure, its missed episodes from the second
  const [pc, pn, pw, pt] = tally.permitted;
  const [qc, qn, qw, qt] = tally.prohibited;
  lines.push(`summary: ${pc} of ${pn} permitted clips have windows over the alert threshold (${pw} of ${pt} windows); ${qc} of ${qn} prohibited clips have windows under it (${qw} of ${qt} windows)`);
  return lines.join('\n');
}
