import { describe, expect, it } from 'vitest';
import { isLabwatchError } from '../errors.js';
import type { SequenceRow } from './manifest.js';
import { checkNoSharedFrames, groupKey, splitBySession } from './split.js';

/** Sliding windows (stride 1) over one session's frames, like the recorder writes. */
function session(id: string, labels: (0 | 1)[], column: 'session_id' | 'student_id' | 'none' = 'session_id'): SequenceRow[] {
  const rows: SequenceRow[] = [];
  for (let i = 0; i + 2 < labels.length; i++) {
    rows.push({
      sequenceId: `${id}-${String(i).padStart(4, '0')}`,
      label: labels.slice(i, i + 3).includes(1) ? 1 : 0,
      frames: [`frames/${id}/${i}.png`, `frames/${id}/${i + 1}.png`, `frames/${id}/${i + 2}.png`],
      extra: column === 'none' ? {} : { [column]: id },
      line: 0,
    });
  }
  return rows;
}

function manySessions(n: number): SequenceRow[] {
  const rows: SequenceRow[] = [];
  for (let s = 0; s < n; s++) {
    const labels = Array.from({ length: 12 + (s % 5) }, (_, i) => ((s % 3 === 0 && i > 5) ? 1 : 0) as 0 | 1);
    rows.push(...session(`s${s}`, labels));
  }
  return rows;
}

describe('splitBySession', () => {
  it('keeps every session in one split, so overlapping windows never leak frames', () => {
    const rows = manySessions(30);
    const { rows: out, splits } = splitBySession(rows, { train: 0.7, validation: 0.15, test: 0.15 }, 7);
    const splitOfSession = new Map<string, Set<string>>();
    out.forEach((r, i) => {
      const set = splitOfSession.get(r.extra.session_id) ?? new Set();
      set.add(splits[i]);
      splitOfSession.set(r.extra.session_id, set);
    });
    expect([...splitOfSession.values()].every((s) => s.size === 1)).toBe(true);
    expect(() => checkNoSharedFrames(out)).not.toThrow();
  });

  it('approaches the asked fractions and gives every split both labels', () => {
    const rows = manySessions(40);
    const { rows: out } = splitBySession(rows, { train: 0.7, validation: 0.15, test: 0.15 }, 'seed-a');
    for (const [split, share] of [['train', 0.7], ['validation', 0.15], ['test', 0.15]] as const) {
      const mine = out.filter((r) => r.extra.split === split);
      expect(Math.abs(mine.length / out.length - share)).toBeLessThan(0.06);
      expect(new Set(mine.map((r) => r.label))).toEqual(new Set([0, 1]));
    }
  });

  it('keeps an evaluation-only set out of train when --train is 0', () => {
    const { rows: out } = splitBySession(manySessions(20), { train: 0, validation: 0.5, test: 0.5 }, 3);
    expect(out.some((r) => r.extra.split === 'train')).toBe(false);
    const val = out.filter((r) => r.extra.split === 'validation').length;
    expect(Math.abs(val / out.length - 0.5)).toBeLessThan(0.1);
  });

  it('is deterministic for a seed and changes with another seed', () => {
    const rows = manySessions(30);
    const a = splitBySession(rows, undefined, 1).splits;
    expect(splitBySession(rows, undefined, 1).splits).toEqual(a);
    expect(splitBySession(rows, undefined, 2).splits).not.toEqual(a);
  });

  it('falls back to student_id, then to the sequence-id prefix', () => {
    expect(groupKey(session('alice', [0, 0, 0], 'student_id')[0])).toBe('student_id=alice');
    expect(groupKey(session('rec12', [0, 0, 0], 'none')[0])).toBe('prefix=rec12');
    const rows = [...session('a', [0, 0, 1, 1, 0], 'none'), ...session('b', [0, 0, 0, 0, 0], 'none'), ...session('c', [1, 1, 1, 0, 0], 'none')];
    const { rows: out } = splitBySession(rows, { train: 0.34, validation: 0.33, test: 0.33 }, 3);
    for (const id of ['a', 'b', 'c']) expect(new Set(out.filter((r) => r.sequenceId.startsWith(`${id}-`)).map((r) => r.extra.split)).size).toBe(1);
  });

  it('joins sessions that share a frame file, even when their ids differ', () => {
    const a = session('x', [0, 0, 0, 0, 1, 1]);
    const b = session('y', [0, 0, 0, 1, 1, 1]);
    b[0] = { ...b[0], frames: [a[0].frames[0], b[0].frames[1], b[0].frames[2]] }; // y reuses a frame of x
    const many = [...a, ...b, ...manySessions(10)];
    for (let seed = 0; seed < 10; seed++) {
      const { rows: out } = splitBySession(many, undefined, seed);
      expect(out.find((r) => r.sequenceId === 'x-0000')!.extra.split).toBe(out.find((r) => r.sequenceId === 'y-0000')!.extra.split);
    }
  });

  it('groups by an explicit column when asked', () => {
    // Three classrooms; each classroom must stay whole.
    const rows = manySessions(12).map((r) => ({ ...r, extra: { ...r.extra, room: `r${Number(r.extra.session_id.slice(1)) % 3}` } }));
    const { rows: out } = splitBySession(rows, { train: 0.34, validation: 0.33, test: 0.33 }, 0, 'room');
    for (const room of ['r0', 'r1', 'r2']) expect(new Set(out.filter((r) => r.extra.room === room).map((r) => r.extra.split)).size).toBe(1);
    expect(new Set(out.map((r) => r.extra.split)).size).toBe(3);
  });

  it('refuses fractions that do not add up to 1, naming the problem', () => {
    try {
      splitBySession(manySessions(3), { train: 0.7, validation: 0.2, test: 0.2 }, 0);
      expect.unreachable();
    } catch (err) {
      expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toMatch(/add up to 1\.1/);
    }
  });

  it('detects a frame used by two splits', () => {
    const rows = session('s', [0, 0, 0, 0]).map((r, i) => ({ ...r, extra: { ...r.extra, split: i === 0 ? 'train' : 'test' } }));
    expect(() => checkNoSharedFrames(rows)).toThrow(/LABWATCH_ERR_DATASET_SPLIT_LEAK|both the train and test/);
  });
});
