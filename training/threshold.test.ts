import { describe, expect, it } from 'vitest';
import { evaluateAt } from './metrics.js';
import { marginThreshold } from './threshold.js';

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
