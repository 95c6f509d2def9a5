import { describe, expect, it } from 'vitest';
import { evaluateAt } from './metrics.js';
import { alertThreshold, marginThreshold } from './threshold.js';

describe('marginThreshold', () => {
  it('puts the threshold in the middle of the gap between the classes when they separate', () => {
    const scores = [0.1, 0.2, 0.3, 0.9, 0.95];
    const labels = [0, 0, 0, 1, 1];
    const t = marginThreshold(scores, labels);
    expect(t.threshold).toBeCloseTo(0.6, 6);
    expect(t.fBeta).toBe(1);
  });
  it('keeps the F2-best confusion matrix of the validation set', () => {
    const scores = [0.05, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.85, 0.99];
    const labels = [0, 0, 1, 0, 1, 0, 1, 1, 0, 1];
    const t = marginThreshold(scores, labels);
    const atMargin = evaluateAt(scores, labels, t.threshold);
    expect(atMargin.f2).toBeCloseTo(t.fBeta, 10);
    for (const other of scores) expect(evaluateAt(scores, labels, other).f2).toBeLessThanOrEqual(t.fBeta + 1e-12);
  });
});

describe('alertThreshold', () => {
  // Scores high first: 0.95 P, 0.9 P, 0.8 N, 0.7 P, 0.6 N, 0.5 N, 0.4 P.
  const scores = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
  const labels = [1, 1, 0, 1, 0, 0, 1];

  it('keeps the highest recall whose precision reaches the floor, above the F2 threshold', () => {
    const op = alertThreshold(scores, labels, 0.75, 0.3);
    // At 0.7: 3 TP, 1 FP -> precision 0.75, recall 0.75; lower thresholds fall under the floor.
    expect(op.floorReached).toBe(true);
    expect(op.threshold).toBeGreaterThan(0.6);
    expect(op.threshold).toBeLessThanOrEqual(0.7);
    expect(op.precision).toBeCloseTo(0.75);
    expect(op.recall).toBeCloseTo(0.75);
    const m = evaluateAt(scores, labels, op.threshold);
    expect(m.precision).toBeGreaterThanOrEqual(0.75);
  });

  it('never goes below the F2 threshold', () => {
    const op = alertThreshold(scores, labels, 0.5, 0.85);
    expect(op.threshold).toBe(0.85);
    expect(op.recall).toBeCloseTo(0.5);
  });

  it('falls back to the F2 threshold, flagged, when no threshold reaches the floor', () => {
    const op = alertThreshold([0.9, 0.8], [0, 1], 0.99, 0.5);
    expect(op).toMatchObject({ threshold: 0.5, floorReached: false });
  });
});
