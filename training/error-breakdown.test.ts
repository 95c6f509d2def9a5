import { describe, expect, it } from 'vitest';
import { errorBreakdown, shareBreakdown, shareGroup, sourceGroup } from './error-breakdown.js';

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

describe('shareGroup and shareBreakdown', () => {
  it('buckets prohibited sequences by screen share and keeps permitted and unknown shares apart', () => {
    expect(shareGroup('0.0050', 1)).toBe('prohibited, < 1% of the screen');
    expect(shareGroup('0.01', 1)).toBe('prohibited, 1%-3% of the screen');
    expect(shareGroup('0.2999', 1)).toBe('prohibited, 10%-30% of the screen');
    expect(shareGroup('0.9', 1)).toBe('prohibited, >= 30% of the screen');
    expect(shareGroup('0.9', 0)).toBe('permitted');
    expect(shareGroup('', 1)).toBe('prohibited, share unknown');
    expect(shareGroup('abc', 1)).toBe('prohibited, share unknown');
  });

  it('counts misses per bucket, smallest share first and permitted last, whatever the error counts', () => {
    const shares = ['0.005', '0.006', '0.5', '0.6', '0', '0'];
    const labels = [1, 1, 1, 1, 0, 0];
    const scores = [0.1, 0.9, 0.2, 0.95, 0.7, 0.1];
    const rows = shareBreakdown(shares.map((s, i) => shareGroup(s, labels[i])), labels, scores, 0.5);
    expect(rows.map((r) => [r.group, r.n, r.misses, r.false_alarms])).toEqual([
      ['prohibited, < 1% of the screen', 2, 1, 0],
      ['prohibited, >= 30% of the screen', 2, 1, 0],
      ['permitted', 2, 0, 1],
    ]);
  });
});
