/**
 * Where a model errs, by scene: sequences grouped by what their `source` column
 * says they show, each group with its errors at the model's threshold. Models of
 * this project have failed on particular desktops (an IDE tiled with a PDF
 * viewer, a small browser beside an editor), which totals hide.
 */

export interface BreakdownRow {
  /** The scene: for synthetic rows the kinds of its frames, oldest first, repeats in a row merged. */
  group: string;
  n: number;
  prohibited: number;
  /** Permitted sequences scored at or above the threshold. */
  false_alarms: number;
  /** Prohibited sequences scored below the threshold. */
  misses: number;
}

/** Rows listed in the text report (the JSON form has every group). */
export const BREAKDOWN_TEXT_ROWS = 25;

/**
 * The scene a `source` value names, without the session it came from, so equal
 * scenes of different sessions share a group:
 * `synth:<session>:<kinds of frame 1>|<frame 2>|<frame 3>` -> the kinds in order,
 * repeats in a row merged, joined by " > " (`ide+terminal > ide+browser-qa`); `record:<scenario>`
 * and anything else as written; an empty source -> "(no source)".
 */
export function sourceGroup(source: string): string {
  const s = source.trim();
  if (s === '') return '(no source)';
  const synth = /^synth:[^:]*:(.+)$/.exec(s);
  if (!synth) return s;
  const kinds: string[] = [];
  for (const kind of synth[1].split('|')) if (kinds[kinds.length - 1] !== kind) kinds.push(kind);
  return kinds.join(' > ');
}

/** Groups sorted by errors (false alarms + misses), most first; ties by size, then name. */
export function errorBreakdown(groups: readonly string[], labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): BreakdownRow[] {
  if (groups.length !== labels.length || labels.length !== scores.length) {
    throw new Error(`errorBreakdown: ${groups.length} groups, ${labels.length} labels and ${scores.length} scores must be as many`);
  }
  const rows = new Map<string, BreakdownRow>();
  for (let i = 0; i < groups.length; i++) {
    let row = rows.get(groups[i]);
    if (!row) rows.set(groups[i], (row = { group: groups[i], n: 0, prohibited: 0, false_alarms: 0, misses: 0 }));
    const alarm = scores[i] >= threshold;
    row.n++;
    if (labels[i] === 1) {
      row.prohibited++;
      if (!alarm) row.misses++;
    } else if (alarm) row.false_alarms++;
  }
  const errors = (r: BreakdownRow) => r.false_alarms + r.misses;
  return [...rows.values()].sort((a, b) => errors(b) - errors(a) || b.n - a.n || a.group.localeCompare(b.group));
}

/**
 * Upper bounds of the screen-share buckets of `shareGroup`. At 50x50 a share of
 * 0.01 is 25 pixels: below it a chat window is a few dots, and the label rule
 * (training/synth/labels.ts, MIN_VISIBLE_SHARE 0.004) still calls it prohibited.
 */
export const SHARE_BUCKETS = [0.01, 0.03, 0.1, 0.3] as const;

const pct = (x: number) => `${+(x * 100).toFixed(1)}%`;
const SHARE_GROUPS = [
  ...SHARE_BUCKETS.map((hi, i) => `prohibited, ${i === 0 ? '< ' : `${pct(SHARE_BUCKETS[i - 1])}-`}${pct(hi)} of the screen`),
  `prohibited, >= ${pct(SHARE_BUCKETS[SHARE_BUCKETS.length - 1])} of the screen`,
  'prohibited, share unknown',
  'permitted',
];

/**
 * The bucket of a sequence by the `prohibited_screen_share` column the generator
 * writes (the largest screen share a prohibited window shows in its frames):
 * permitted sequences form one group, prohibited ones are bucketed by share,
 * and a missing or unreadable share is its own group, never a guess.
 */
export function shareGroup(share: string, label: number): string {
  if (label !== 1) return SHARE_GROUPS[SHARE_GROUPS.length - 1];
  const x = share.trim() === '' ? NaN : Number(share);
  if (!Number.isFinite(x) || x <= 0) return SHARE_GROUPS[SHARE_GROUPS.length - 2];
  const i = SHARE_BUCKETS.findIndex((hi) => x < hi);
  return SHARE_GROUPS[i === -1 ? SHARE_BUCKETS.length : i];
}

/** `errorBreakdown` over `shareGroup` groups, in bucket order (smallest share first, permitted last). */
export function shareBreakdown(groups: readonly string[], labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): BreakdownRow[] {
  const order = (g: string) => SHARE_GROUPS.indexOf(g);
  return errorBreakdown(groups, labels, scores, threshold).sort((a, b) => order(a.group) - order(b.group));
}
