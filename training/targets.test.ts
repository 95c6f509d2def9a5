import { describe, expect, it } from 'vitest';
import { assessTargets, targetsMarkdown } from './targets.js';

describe('assessTargets', () => {
  const good = { f2: 0.97, recall: 0.98, precision: 0.92 };

  it('passes a run that meets every figure', () => {
    const checks = assessTargets({ syntheticTest: good, realHoldout: { f2: 0.95, precision: 0.9, recall: 0.97 }, inferenceFramesPerCpuSecond: 7600, trainingMinutes: 48 });
    expect(checks.map((c) => c.met)).toEqual([true, true, true, true]);
  });

  it('fails a high-F2 model whose precision is under the floor (flagging everything must not pass)', () => {
    const checks = assessTargets({ syntheticTest: { ...good, precision: 0.85 }, realHoldout: { f2: 0.96, precision: 0.8 }, inferenceFramesPerCpuSecond: 4000, trainingMinutes: 130 });
    expect(checks.map((c) => c.met)).toEqual([false, false, false, false]);
    expect(checks[1].measured).toContain('precision 0.800');
  });

  it('says "not measured" instead of guessing when no holdout or speed figure exists', () => {
    const checks = assessTargets({ syntheticTest: good, trainingMinutes: 10 });
    expect(checks[1].met).toBeNull();
    expect(checks[1].measured).toMatch(/--holdout/);
    expect(checks[2].met).toBeNull();
    const md = targetsMarkdown(checks).join('\n');
    expect(md).toContain('| synthetic test split | F2 >= 0.96');
    expect(md).toContain('not measured');
  });

  it("counts the starting model's minutes for a fine-tuned model (two runs, both stated)", () => {
    const within = assessTargets({ syntheticTest: good, trainingMinutes: 50, initMinutes: 63 });
    expect(within[3].met).toBe(true);
    expect(within[3].measured).toBe('113.0 min in all (63.0 min for the starting model + 50.0 min fine-tuning)');
    expect(assessTargets({ syntheticTest: good, trainingMinutes: 60, initMinutes: 63 })[3].met).toBe(false);
  });
});
