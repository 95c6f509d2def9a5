import { describe, expect, it } from 'vitest';
import {
  bestThreshold,
  bootstrapCi,
  confusionAt,
  evaluateAt,
  fBeta,
  groupIndex,
  METRIC_NAMES,
  metricsFromConfusion,
  mulberry32,
  precisionRecallCurve,
  thresholdSweep,
} from './metrics.js';

// 4 prohibited, 6 permitted; at 0.5: tp 3, fn 1, fp 2, tn 4.
const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const scores = [0.9, 0.8, 0.6, 0.2, 0.7, 0.55, 0.3, 0.1, 0.4, 0.05];

describe('metrics at a threshold', () => {
  it('counts the confusion matrix with score >= threshold as prohibited', () => {
    expect(confusionAt(scores, labels, 0.5)).toEqual({ tp: 3, fp: 2, tn: 4, fn: 1 });
    expect(confusionAt([0.5], [1], 0.5)).toEqual({ tp: 1, fp: 0, tn: 0, fn: 0 });
  });

  it('matches hand-computed accuracy, precision, recall, F1, F2', () => {
    const m = evaluateAt(scores, labels, 0.5);
    expect(m.n).toBe(10);
    expect(m.accuracy).toBeCloseTo(0.7, 12);
    expect(m.precision).toBeCloseTo(0.6, 12);
    expect(m.recall).toBeCloseTo(0.75, 12);
    expect(m.f1).toBeCloseTo(0.9 / 1.35, 12);
    expect(m.f2).toBeCloseTo(2.25 / 3.15, 12);
    expect(m.notes).toEqual([]);
  });

  it('gives always-prohibited F2 0.79 on 43% prevalence although it catches no one in particular', () => {
    const m = metricsFromConfusion({ tp: 43, fp: 57, tn: 0, fn: 0 });
    expect(m.f2).toBeCloseTo(0.79, 2);
    expect(m.accuracy).toBeCloseTo(0.43, 12);
    expect(m.recall).toBe(1);
  });

  it('defines the edge cases as 0 with a note instead of NaN', () => {
    const none = metricsFromConfusion({ tp: 0, fp: 0, tn: 6, fn: 4 });
    expect(none.precision).toBe(0);
    expect(none.f2).toBe(0);
    expect(none.notes.join()).toMatch(/no item predicted prohibited/);
    const noPositives = metricsFromConfusion({ tp: 0, fp: 2, tn: 8, fn: 0 });
    expect(noPositives.recall).toBe(0);
    expect(noPositives.notes.join()).toMatch(/no prohibited item/);
    const empty = metricsFromConfusion({ tp: 0, fp: 0, tn: 0, fn: 0 });
    expect(METRIC_NAMES.map((k) => empty[k])).toEqual([0, 0, 0, 0, 0]);
    expect(empty.notes.join()).toMatch(/empty/);
    expect(fBeta(0, 0, 2)).toBe(0);
  });

  it('refuses scores and labels of different lengths', () => {
    expect(() => confusionAt([0.1, 0.2], [1], 0.5)).toThrow(/differ in length/);
  });
});

describe('threshold search and PR curve', () => {
  const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
  const y = [1, 0, 1, 0, 0, 0];

  it('picks the threshold maximising F2 over all distinct scores', () => {
    const best = bestThreshold(s, y);
    expect(best.threshold).toBe(0.7);
    expect(best.fBeta).toBeCloseTo(10 / 11, 12);
    expect(best.confusion).toEqual({ tp: 2, fp: 1, tn: 3, fn: 0 });
  });

  it('follows beta: F0.5 favours precision and moves the threshold up', () => {
    expect(bestThreshold(s, y, 0.5).threshold).toBe(0.9);
  });

  it('treats tied scores as one threshold', () => {
    const sweep = thresholdSweep([0.5, 0.5, 0.2], [1, 0, 0]);
    expect(sweep.map((p) => p.threshold)).toEqual([0.5, 0.2]);
    expect(sweep[0].confusion).toEqual({ tp: 1, fp: 1, tn: 1, fn: 0 });
  });

  it('draws the PR curve from recall 0 and computes average precision', () => {
    const curve = precisionRecallCurve(s, y);
    expect(curve.points[0]).toMatchObject({ recall: 0, precision: 1 });
    expect(curve.points.map((p) => p.recall)).toEqual([0, 0.5, 0.5, 1, 1, 1, 1]);
    expect(curve.averagePrecision).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
  });

  it('handles an empty input', () => {
    expect(bestThreshold([], []).threshold).toBe(0.5);
    expect(precisionRecallCurve([], []).averagePrecision).toBe(0);
  });
});

describe('bootstrap confidence intervals', () => {
  function synthetic(n: number, seed: number): { scores: Float64Array; labels: Uint8Array } {
    const next = mulberry32(seed);
    const out = { scores: new Float64Array(n), labels: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      out.labels[i] = next() / 2 ** 32 < 0.43 ? 1 : 0;
      // An imperfect classifier: about 85% of items on the right side of 0.5.
      const right = next() / 2 ** 32 < 0.85;
      out.scores[i] = (out.labels[i] === 1) === right ? 0.75 : 0.25;
    }
    return out;
  }

  it('contains every point estimate and is reproducible with a seed', () => {
    const { scores: s, labels: y } = synthetic(500, 7);
    const point = evaluateAt(s, y, 0.5);
    const ci = bootstrapCi(s, y, 0.5, { resamples: 2000, seed: 3 });
    for (const k of METRIC_NAMES) {
      expect(ci[k][0]).toBeLessThanOrEqual(point[k]);
      expect(ci[k][1]).toBeGreaterThanOrEqual(point[k]);
      expect(ci[k][1] - ci[k][0]).toBeGreaterThan(0);
    }
    expect(bootstrapCi(s, y, 0.5, { resamples: 2000, seed: 3 })).toEqual(ci);
  });

  it('narrows as the evaluated set grows (about 1/sqrt(n))', () => {
    const small = synthetic(200, 11);
    const large = synthetic(5000, 11);
    const width = (d: typeof small) => {
      const ci = bootstrapCi(d.scores, d.labels, 0.5, { resamples: 1000 });
      return ci.accuracy[1] - ci.accuracy[0];
    };
    const ratio = width(small) / width(large);
    expect(ratio).toBeGreaterThan(3); // sqrt(25) = 5
    expect(ratio).toBeLessThan(8);
  });

  it('gives an accuracy CI of about +-1.96 * sqrt(p(1-p)/n)', () => {
    const { scores: s, labels: y } = synthetic(2000, 5);
    const p = evaluateAt(s, y, 0.5).accuracy;
    const ci = bootstrapCi(s, y, 0.5, { resamples: 4000 });
    const half = 1.96 * Math.sqrt((p * (1 - p)) / 2000);
    expect((ci.accuracy[1] - ci.accuracy[0]) / 2).toBeCloseTo(half, 2);
  });

  it('resamples whole sessions when given groups: errors that come a session at a time widen the interval', () => {
    // 100 sessions of 20 windows each; 10 sessions are wholly wrong, the rest wholly right.
    const n = 2000;
    const scores = new Float32Array(n);
    const labels = new Uint8Array(n);
    const session = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const s = Math.floor(i / 20);
      session[i] = `session-${s}`;
      labels[i] = s % 2;
      const wrong = s % 10 === 0;
      scores[i] = (labels[i] === 1) !== wrong ? 0.9 : 0.1;
    }
    const groups = groupIndex(session);
    expect(groups[0]).toBe(0);
    expect(groups[n - 1]).toBe(99);
    const byItem = bootstrapCi(scores, labels, 0.5, { resamples: 2000 });
    const bySession = bootstrapCi(scores, labels, 0.5, { resamples: 2000, groups });
    const width = (ci: typeof byItem) => ci.accuracy[1] - ci.accuracy[0];
    // 100 sessions, not 2,000 windows, are the independent draws: about sqrt(20) wider
    expect(width(bySession) / width(byItem)).toBeGreaterThan(3);
    expect(width(bySession) / 2).toBeCloseTo(1.96 * Math.sqrt((0.9 * 0.1) / 100), 1);
    expect(bySession.accuracy[0]).toBeLessThanOrEqual(0.9);
    expect(bySession.accuracy[1]).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses groups that do not match the items', () => {
    expect(() => bootstrapCi([0.9, 0.1], [1, 0], 0.5, { groups: [0] })).toThrow(/groups has 1 entries for 2 items/);
    expect(() => bootstrapCi([0.9, 0.1], [1, 0], 0.5, { groups: [0, -1] })).toThrow(/groups\[1\]/);
  });
});
