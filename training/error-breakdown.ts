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
