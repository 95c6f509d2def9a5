import { describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { summariseSpeedRuns, validateMeasureSpeedOptions } from './measure-speed-command.js';

describe('summariseSpeedRuns', () => {
  it('takes the median of each batch size over the runs, then the better batch', () => {
    // one run slowed by another job on the machine must not decide the figure
    const runs = [
      [{ batch: 16, framesPerCpuSecond: 6100 }, { batch: 64, framesPerCpuSecond: 6300 }],
      [{ batch: 16, framesPerCpuSecond: 3900 }, { batch: 64, framesPerCpuSecond: 4100 }],
      [{ batch: 16, framesPerCpuSecond: 6000 }, { batch: 64, framesPerCpuSecond: 6200 }],
    ];
    const s = summariseSpeedRuns(runs);
    expect(s.perBatch).toEqual([
      { batch: 16, runs: [6100, 3900, 6000], median: 6000 },
      { batch: 64, runs: [6300, 4100, 6200], median: 6200 },
    ]);
    expect(s.framesPerCpuSecond).toBe(6200);
  });

  it('averages the middle two of an even number of runs', () => {
    expect(summariseSpeedRuns([[{ batch: 16, framesPerCpuSecond: 5000 }], [{ batch: 16, framesPerCpuSecond: 5400 }]]).framesPerCpuSecond).toBe(5200);
  });
});

describe('validateMeasureSpeedOptions', () => {
  it('lists every bad option at once', () => {
    try {
      validateMeasureSpeedOptions({ model: '/nonexistent/model', runs: '0' });
      expect.unreachable();
    } catch (err) {
      expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toMatch(/--model \/nonexistent\/model: no such folder[\s\S]*--runs 0: expected an integer from 1 to 20/);
    }
  });
});
