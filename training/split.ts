import { createHash } from 'node:crypto';
import type { Split } from '../core/dataset/manifest.js';
import type { LoadedDataset, SequenceSet } from './data.js';

export interface Splits {
  train: SequenceSet;
  validation: SequenceSet;
  test: SequenceSet;
  /** Where the split came from, for the run log and metadata. */
  method: 'split-column' | 'session-hash' | 'mixed';
}

export interface SplitFractions {
  validation: number;
  test: number;
}

/**
 * Train/validation/test by session, never by window: overlapping windows of one
 * session share frames, so a random window split leaks test frames into training.
 * A row's `split` column wins when set (the dataset tools write it by session);
 * rows without one are bucketed by a hash of their session id, which is stable
 * across runs and across datasets that share sessions.
 */
export function splitBySession(data: LoadedDataset, fractions: SplitFractions = { validation: 0.15, test: 0.15 }): Splits {
  const n = data.labels.length;
  const assigned: Split[] = new Array(n);
  const bySession = new Map<string, Split>();
  let fromColumn = 0;
  for (let i = 0; i < n; i++) {
    const column = data.splitColumn[i];
    if (column !== '') {
      assigned[i] = column as Split;
      fromColumn++;
      continue;
    }
    const s = data.sessions[i];
    let split = bySession.get(s);
    if (!split) {
      split = sessionBucket(s, fractions);
      bySession.set(s, split);
    }
    assigned[i] = split;
  }
  const pick = (split: Split): SequenceSet => ({
    data,
    index: Int32Array.from(assigned.flatMap((s, i) => (s === split ? [i] : []))),
  });
  const method = fromColumn === n ? 'split-column' : fromColumn === 0 ? 'session-hash' : 'mixed';
  return { train: pick('train'), validation: pick('validation'), test: pick('test'), method };
}

/** Deterministic bucket of a session id: uniform in [0,1) from its sha256. */
export function sessionBucket(session: string, fractions: SplitFractions): Split {
  const u = createHash('sha256').update(session).digest().readUInt32BE(0) / 2 ** 32;
  if (u < fractions.test) return 'test';
  if (u < fractions.test + fractions.validation) return 'validation';
  return 'train';
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
