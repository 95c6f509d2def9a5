import { describe, expect, it } from 'vitest';
import { makeRng } from './augment.js';
import type { LoadedDataset } from './data.js';
import { repeatErrors } from './repeat-errors.js';
import { undersample } from './sampling.js';

function labelsOnly(labels: number[]): LoadedDataset {
  return { labels: Uint8Array.from(labels) } as unknown as LoadedDataset;
}

describe('repeatErrors', () => {
  const data = labelsOnly([0, 0, 0, 1, 1, 1]);
  const train = { data, index: Int32Array.from([0, 1, 2, 3, 4, 5]) };
  // sequence 1 is a false alarm, sequence 4 a miss
  const scores = [0.1, 0.8, 0.2, 0.9, 0.3, 0.7];

  it('counts the starting model\'s false alarms and misses `repeat` times, the rest once', () => {
    const r = repeatErrors(train, scores, 0.5, 3);
    expect(r.falsePositives).toBe(1);
    expect(r.falseNegatives).toBe(1);
    const counts = [0, 1, 2, 3, 4, 5].map((s) => r.train.index.filter((i) => i === s).length);
    expect(counts).toEqual([1, 3, 1, 1, 3, 1]);
    expect(r.train.data).toBe(data);
  });

  it('changes nothing with repeat 1', () => {
    expect(Array.from(repeatErrors(train, scores, 0.5, 1).train.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('makes the undersampler draw a repeated false alarm more often', () => {
    const labels = Array.from({ length: 200 }, (_, i) => (i < 20 ? 1 : 0));
    const big = { data: labelsOnly(labels), index: Int32Array.from(labels, (_, i) => i) };
    const s = labels.map((l, i) => (i === 100 ? 0.9 : l ? 0.9 : 0.1)); // only 100 is wrong
    const rng = makeRng(4);
    const drawn = (set: { index: Int32Array }) => {
      let n = 0;
      for (let e = 0; e < 400; e++) n += undersample(set.index, big.data.labels, rng).filter((i) => i === 100).length;
      return n;
    };
    const plain = drawn(big);
    const repeated = drawn(repeatErrors(big, s, 0.5, 4).train);
    expect(repeated).toBeGreaterThan(plain * 2); // ~3.9x in expectation
  });

  it('refuses a repeat outside 1..5 and mismatched scores', () => {
    expect(() => repeatErrors(train, scores, 0.5, 0)).toThrow(/1\.\.5/);
    expect(() => repeatErrors(train, scores, 0.5, 9)).toThrow(/1\.\.5/);
    expect(() => repeatErrors(train, [0.1], 0.5, 2)).toThrow(/1 scores for 6/);
  });
});
