import { describe, expect, it } from 'vitest';
import { FRAME_BYTES } from '../models/preprocess.js';
import { alwaysProhibitedBaseline, frameDifferenceScores, majorityBaseline, scoreBaselines } from './baselines.js';
import { allSequences, type LoadedDataset } from './data.js';

/** Sequences of flat grey frames: `levels[i]` are the three grey levels of sequence i. */
function flatDataset(levels: [number, number, number][], labels: number[]): LoadedDataset {
  const frames = new Uint8Array(levels.length * 3 * FRAME_BYTES);
  const seqFrames = new Int32Array(levels.length * 3);
  levels.forEach((triple, i) =>
    triple.forEach((level, k) => {
      frames.fill(level, (3 * i + k) * FRAME_BYTES, (3 * i + k + 1) * FRAME_BYTES);
      seqFrames[3 * i + k] = 3 * i + k;
    }),
  );
  const ids = levels.map((_, i) => `s${i}`);
  return {
    dir: '/nowhere',
    frames,
    frameCount: levels.length * 3,
    seqFrames,
    labels: Uint8Array.from(labels),
    sequenceIds: ids,
    sessions: ids,
    splitColumn: ids.map(() => ''),
    sources: ids.map(() => ''),
    prohibitedScreenShares: ids.map(() => ''),
    hash: 'test',
    fromCache: false,
  };
}

const prevalence43 = Array.from({ length: 100 }, (_, i) => (i < 43 ? 1 : 0));

describe('baselines', () => {
  it('always-prohibited reaches F2 0.79 on 43% prevalence with accuracy only 0.43', () => {
    const b = alwaysProhibitedBaseline(prevalence43);
    expect(b.metrics.f2).toBeCloseTo(0.79, 2);
    expect(b.metrics.recall).toBe(1);
    expect(b.metrics.accuracy).toBeCloseTo(0.43, 12);
  });

  it('majority follows the training prior, else the evaluated set', () => {
    const permitted = majorityBaseline(prevalence43, 0.3);
    expect(permitted.metrics.confusion).toEqual({ tp: 0, fp: 0, tn: 57, fn: 43 });
    expect(permitted.metrics.accuracy).toBeCloseTo(0.57, 12);
    expect(permitted.metrics.notes.join()).toMatch(/no item predicted prohibited/);
    expect(permitted.optimistic).toBe(false);
    expect(majorityBaseline(prevalence43, 0.7).metrics.recall).toBe(1);
    const own = majorityBaseline(prevalence43);
    expect(own.description).toMatch(/permitted.*evaluated set/);
    expect(own.optimistic).toBe(true);
  });

  it('measures mean absolute change between consecutive frames', () => {
    const data = flatDataset([[10, 10, 10], [0, 30, 30], [0, 40, 0]], [0, 1, 1]);
    expect(Array.from(frameDifferenceScores(allSequences(data)))).toEqual([0, 15, 40]);
  });

  it('tunes the frame-difference threshold on validation data when given, else flags it optimistic', () => {
    const evaluated = allSequences(flatDataset([[5, 5, 5], [5, 6, 5], [0, 50, 0], [0, 80, 0]], [0, 0, 1, 1]));
    const selfTuned = scoreBaselines({ evaluated }).frame_difference;
    expect(selfTuned.optimistic).toBe(true);
    expect(selfTuned.metrics.f2).toBe(1);
    expect(selfTuned.description).toMatch(/optimistic/);

    // Validation says motion 1 is already prohibited: the honest threshold then raises a false alarm.
    const validation = allSequences(flatDataset([[0, 0, 0], [0, 1, 0]], [0, 1]));
    const honest = scoreBaselines({ evaluated, validation }).frame_difference;
    expect(honest.optimistic).toBe(false);
    expect(honest.threshold).toBe(1);
    expect(honest.metrics.confusion).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
  });
});
