import { describe, expect, it } from 'vitest';
import { applyAlertRule, newRuleState } from './alert-rule.js';

const alertsFor = (scores: number[], confirm?: number) => {
  const state = newRuleState();
  return scores.map((s) => applyAlertRule(state, s, 0.5, confirm).alert);
};

describe('alert rule', () => {
  it('alerts once per suspicious run, counting the first window as following a permitted one', () => {
    expect(alertsFor([0.9, 0.95, 0.7, 0.2, 0.1, 0.6, 0.9, 0.4, 0.5])).toEqual([true, false, false, false, false, true, false, false, true]);
  });

  it('treats a score equal to the threshold as suspicious', () => {
    expect(applyAlertRule(newRuleState(), 0.5, 0.5)).toEqual({ suspicious: true, alert: true });
    expect(applyAlertRule(newRuleState(), 0.4999, 0.5)).toEqual({ suspicious: false, alert: false });
  });

  it('with confirm = 2, ignores a lone suspicious window and alerts on the second of a run, once', () => {
    // lone spike, then a run of four, then a spike, then a run of two
    const scores = [0.1, 0.9, 0.1, 0.8, 0.9, 0.9, 0.7, 0.2, 0.9, 0.3, 0.6, 0.6];
    expect(alertsFor(scores, 2)).toEqual([false, false, false, false, true, false, false, false, false, false, false, true]);
  });

  it('with confirm = 2, flags a student whose first two windows are suspicious', () => {
    expect(alertsFor([0.9, 0.9, 0.9], 2)).toEqual([false, true, false]);
  });
});
