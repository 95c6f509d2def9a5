import { describe, expect, it } from 'vitest';
import { applyAlertRule } from './alert-rule.js';

describe('alert rule', () => {
  it('alerts once per suspicious run, counting the first window as following a permitted one', () => {
    const state = { lastSuspicious: false };
    const scores = [0.9, 0.95, 0.7, 0.2, 0.1, 0.6, 0.9, 0.4, 0.5];
    const alerts = scores.map((s) => applyAlertRule(state, s, 0.5).alert);
    expect(alerts).toEqual([true, false, false, false, false, true, false, false, true]);
  });

  it('treats a score equal to the threshold as suspicious', () => {
    expect(applyAlertRule({ lastSuspicious: false }, 0.5, 0.5)).toEqual({ suspicious: true, alert: true });
    expect(applyAlertRule({ lastSuspicious: false }, 0.4999, 0.5)).toEqual({ suspicious: false, alert: false });
  });
});
