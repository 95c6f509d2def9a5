import type { SequenceRow, Split } from '../core/dataset/manifest.js';
import { splitBySession as splitRows } from '../core/dataset/split.js';
import type { LoadedDataset, SequenceSet } from './data.js';

export interface Splits {
  train: SequenceSet;
  validation: SequenceSet;
  test: SequenceSet;
  /** Where the split came from, for the run log and metadata. */
  method: 'split-column' | 'session-grouped' | 'mixed';
}

export interface SplitFractions {
  validation: number;
  test: number;
}

/**
 * Train/validation/test by session, never by window: overlapping windows of one
 * session share frames, so a random window split leaks test frames into training.
 * A row's `split` column wins when set (`labwatch dataset split` writes it by
 * session); rows without one go through the same splitter, grouped by session.
 */
export function splitBySession(data: LoadedDataset, fractions: SplitFractions = { validation: 0.15, test: 0.15 }, seed = 0): Splits {
  const n = data.labels.length;
  const assigned: Split[] = new Array(n);
  const unassigned: number[] = [];
  for (let i = 0; i < n; i++) {
    const column = data.splitColumn[i];
    if (column !== '') assigned[i] = column as Split;
    else unassigned.push(i);
  }
  if (unassigned.length > 0) {
    // The dataset tools' splitter: groups by session, joins groups sharing a frame, stratifies.
    const rows: SequenceRow[] = unassigned.map((i) => ({
      sequenceId: data.sequenceIds[i] ?? String(i),
      label: data.labels[i] as 0 | 1,
      frames: [0, 1, 2].map((k) => String(data.seqFrames[3 * i + k])) as [string, string, string],
      extra: { session_id: data.sessions[i] },
      line: 0,
    }));
    const result = splitRows(rows, { train: 1 - fractions.validation - fractions.test, ...fractions }, seed);
    unassigned.forEach((i, k) => (assigned[i] = result.splits[k]));
  }
  const pick = (split: Split): SequenceSet => ({
    data,
    index: Int32Array.from(assigned.flatMap((s, i) => (s === split ? [i] : []))),
  });
  const method = unassigned.length === 0 ? 'split-column' : unassigned.length === n ? 'session-grouped' : 'mixed';
  return { train: pick('train'), validation: pick('validation'), test: pick('test'), method };
}

/** Sessions present in more than one split (must be empty; a test asserts it). */
export function leakedSessions(splits: Splits): string[] {
  const owner = new Map<string, string>();
  const leaked = new Set<string>();
  for (const name of ['train', 'validation', 'test'] as const) {
    for (const i of splits[name].index) {
      const s = splits[name].data.sessions[i];
      const o = owner.get(s);
      if (o === undefined) owner.set(s, name);
      else if (o !== name) leaked.add(s);
    }
  }
  return [...leaked];
}
