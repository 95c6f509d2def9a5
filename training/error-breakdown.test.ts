import { describe, expect, it } from 'vitest';
import { errorBreakdown, sourceGroup } from './error-breakdown.js';

describe('sourceGroup', () => {
  it('names a synthetic scene by its distinct frame kinds, without the session', () => {
    expect(sourceGroup('synth:syn10-00001:ide+terminal|ide+terminal|ide+terminal')).toBe('ide+terminal');
    expect(sourceGroup('synth:s7:ide|ide+browser-qa|ide+browser-qa')).toBe('ide > ide+browser-qa');
    expect(sourceGroup('synth:s7:ide|browser-qa|ide')).toBe('ide > browser-qa > ide');
  });

  it('keeps other sources as written and names a missing one', () => {
    expect(sourceGroup('record:side-chat')).toBe('record:side-chat');
    expect(sourceGroup('  ')).toBe('(no source)');
  });
});

describe('errorBreakdown', () => {
  it('counts false alarms and misses per group at the threshold, worst group first', () => {
    const groups = ['ide', 'ide', 'ide+pdf', 'ide+pdf', 'ide+pdf', 'chat', 'chat'];
    const labels = [0, 0, 0, 0, 1, 1, 1];
    const scores = [0.1, 0.6, 0.7, 0.9, 0.2, 0.8, 0.5];
    expect(errorBreakdown(groups, labels, scores, 0.5)).toEqual([
      { group: 'ide+pdf', n: 3, prohibited: 1, false_alarms: 2, misses: 1 },
      { group: 'ide', n: 2, prohibited: 0, false_alarms: 1, misses: 0 },
      // A score equal to the threshold is an alarm, as in the assistant.
      { group: 'chat', n: 2, prohibited: 2, false_alarms: 0, misses: 0 },
    ]);
  });

  it('refuses inputs of different lengths', () => {
    expect(() => errorBreakdown(['a'], [0, 1], [0.1, 0.2], 0.5)).toThrow(/1 groups, 2 labels and 2 scores/);
  });
});
