import path from 'node:path';
import { lwError } from '../errors.js';
import { seededRandom } from '../random.js';
import { SPLITS, type SequenceRow, type Split } from './manifest.js';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.7, validation: 0.15, test: 0.15 };

export interface SplitResult {
  /** Copies of the input rows, in order, with `extra.split` set. */
  rows: SequenceRow[];
  /** Split of each input row, same order. */
  splits: Split[];
  /** How rows were grouped: the column asked for, or the fallback chain. */
  groupedBy: string;
  /** Groups (after joining groups that share frame files) per split. */
  groups: Record<Split, number>;
}

/**
 * The recording session a row belongs to. Overlapping windows of one session
 * share frames, so all of a session's rows must land in the same split.
 * With `by` the column is used as given; otherwise `session_id`, then
 * `student_id`, then the sequence id without its last `-`/`_`/`:`/`/` part
 * ("sess3-0007" -> "sess3"), per row.
 */
export function groupKey(row: SequenceRow, by?: string): string {
  if (by !== undefined) return `${by}=${row.extra[by] ?? ''}`;
  const session = row.extra.session_id?.trim();
  if (session) return `session_id=${session}`;
  const student = row.extra.student_id?.trim();
  if (student) return `student_id=${student}`;
  const cut = Math.max(...['-', '_', ':', '/'].map((c) => row.sequenceId.lastIndexOf(c)));
  return `prefix=${cut > 0 ? row.sequenceId.slice(0, cut) : row.sequenceId}`;
}

/**
 * Assign train/validation/test by recording session, never by window.
 * Groups that share a frame file are joined first, so no frame can appear in two
 * splits. Groups are stratified by their majority label and dealt greedily to the
 * split furthest below its target, in a seeded random order; then each split
 * that lacks a label gets a group with it when another split can spare one.
 * Pure and deterministic for the same rows, fractions and seed.
 */
export function splitBySession(
  rows: SequenceRow[],
  fractions: SplitFractions = DEFAULT_FRACTIONS,
  seed: string | number = 0,
  by?: string,
): SplitResult {
  checkFractions(fractions);
  const keys = rows.map((r) => groupKey(r, by));
  const components = joinSharedFrames(rows, keys);

  // Per component: row indexes and label counts.
  const comps = new Map<string, { rows: number[]; pos: number }>();
  rows.forEach((r, i) => {
    const c = components.get(keys[i])!;
    const entry = comps.get(c) ?? { rows: [], pos: 0 };
    entry.rows.push(i);
    entry.pos += r.label;
    comps.set(c, entry);
  });
  const rand = rng(seed);
  const list = [...comps.entries()].map(([key, v]) => ({ key, ...v, size: v.rows.length, sort: rand() }));
  list.sort((a, b) => a.sort - b.sort);

  const assigned = new Map<string, Split>();
  const active = SPLITS.filter((s) => fractions[s] > 0);
  const count: Record<Split, number> = { train: 0, validation: 0, test: 0 };
  // Stratify: deal prohibited-majority and permitted-majority groups separately.
  for (const majority of [1, 0]) {
    const stratum = list.filter((g) => (g.pos * 2 >= g.size ? 1 : 0) === majority);
    const total = stratum.reduce((s, g) => s + g.size, 0);
    const got: Record<Split, number> = { train: 0, validation: 0, test: 0 };
    // Largest groups first so the small ones can even out the fractions.
    for (const g of [...stratum].sort((a, b) => b.size - a.size || a.sort - b.sort)) {
      let best = active[0];
      let bestDeficit = -Infinity;
      for (const s of active) {
        const deficit = (fractions[s] * total - got[s]) / Math.max(fractions[s], 1e-9);
        if (deficit > bestDeficit) { best = s; bestDeficit = deficit; }
      }
      assigned.set(g.key, best);
      got[best] += g.size;
      count[best] += g.size;
    }
  }

  // Both labels in every split where possible: move a group from a split that has several.
  for (const label of [0, 1] as const) {
    for (const s of active) {
      const has = (split: Split) => list.some((g) => assigned.get(g.key) === split && (label === 1 ? g.pos > 0 : g.pos < g.size));
      if (has(s)) continue;
      const donors = list
        .filter((g) => (label === 1 ? g.pos > 0 : g.pos < g.size))
        .filter((g) => {
          const from = assigned.get(g.key)!;
          return from !== s && list.filter((o) => o !== g && assigned.get(o.key) === from && (label === 1 ? o.pos > 0 : o.pos < o.size)).length > 0;
        })
        .sort((a, b) => a.size - b.size);
      if (donors.length > 0) assigned.set(donors[0].key, s);
    }
  }

  const splits = rows.map((_, i) => assigned.get(components.get(keys[i])!)!);
  const out = rows.map((r, i) => ({ ...r, extra: { ...r.extra, split: splits[i] } }));
  checkNoSharedFrames(out);
  const groups: Record<Split, number> = { train: 0, validation: 0, test: 0 };
  for (const g of list) groups[assigned.get(g.key)!]++;
  return { rows: out, splits, groupedBy: by ?? 'session_id > student_id > sequence-id prefix', groups };
}

/** Throws LABWATCH_ERR_DATASET_SPLIT_LEAK when one frame file is used by rows of two splits. */
export function checkNoSharedFrames(rows: SequenceRow[]): void {
  const seen = new Map<string, string>();
  for (const r of rows) {
    const split = r.extra.split ?? '';
    if (split === '') continue;
    for (const f of r.frames) {
      const key = path.posix.normalize(f.replace(/\\/g, '/'));
      const other = seen.get(key);
      if (other !== undefined && other !== split) throw lwError('LABWATCH_ERR_DATASET_SPLIT_LEAK', { frame: f, a: other, b: split });
      seen.set(key, split);
    }
  }
}

function checkFractions(f: SplitFractions): void {
  const values = SPLITS.map((s) => f[s]);
  const problems: string[] = [];
  for (const s of SPLITS) if (!(Number.isFinite(f[s]) && f[s] >= 0 && f[s] <= 1)) problems.push(`  --${s}: ${f[s]} must be between 0 and 1`);
  const sum = values.reduce((a, b) => a + b, 0);
  if (problems.length === 0 && Math.abs(sum - 1) > 1e-6) problems.push(`  fractions add up to ${Number(sum.toFixed(6))}, they must add up to 1`);
  // --train 0 is allowed: a set kept for evaluation only (e.g. validation and test halves for alert replays)
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.join('\n') });
}

/** Union-find over group keys: groups sharing any frame file become one component. */
function joinSharedFrames(rows: SequenceRow[], keys: string[]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let p = parent.get(k) ?? k;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p)!;
    parent.set(k, p);
    return p;
  };
  const byFrame = new Map<string, string>();
  rows.forEach((r, i) => {
    find(keys[i]);
    for (const f of r.frames) {
      const frame = path.posix.normalize(f.replace(/\\/g, '/'));
      const other = byFrame.get(frame);
      if (other === undefined) byFrame.set(frame, keys[i]);
      else {
        const a = find(other);
        const b = find(keys[i]);
        if (a !== b) parent.set(b, a);
      }
    }
  });
  return new Map(keys.map((k) => [k, find(k)]));
}

function rng(seed: string | number): () => number {
  return seededRandom(String(seed));
}
