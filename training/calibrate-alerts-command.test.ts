import { describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { validateCalibrateOptions, withCalibrateStep } from './calibrate-alerts-command.js';

const train = 'labwatch train --dataset d --out runs/A';
const calibrateA = 'labwatch model calibrate-alerts --model runs/A --dataset t --split validation --confirm-windows 2 --write';
const fineTune = 'labwatch train --init runs/A --dataset d --out runs/B';
const calibrateB = 'labwatch model calibrate-alerts --model runs/B --dataset t --split validation --confirm-windows 2 --write';

describe('withCalibrateStep', () => {
  it('appends the calibration to a training command', () => {
    expect(withCalibrateStep(train, calibrateA)).toBe(`${train} && ${calibrateA}`);
  });

  it('replaces a previous calibration of the same model rather than stacking them', () => {
    expect(withCalibrateStep(`${train} && ${calibrateA}`, calibrateA)).toBe(`${train} && ${calibrateA}`);
  });

  it("keeps a fine-tune's own training step and its base model's calibration", () => {
    const chain = `${train} && ${calibrateA} && ${fineTune}`;
    expect(withCalibrateStep(chain, calibrateB)).toBe(`${chain} && ${calibrateB}`);
    expect(withCalibrateStep(`${chain} && ${calibrateB}`, calibrateB)).toBe(`${chain} && ${calibrateB}`);
  });
});

describe('validateCalibrateOptions', () => {
  it('lists every bad option at once, a bad --f2-tolerance among them', () => {
    try {
      validateCalibrateOptions({ model: '/nonexistent-model', confirmWindows: '0', f2Tolerance: '0.5' });
      expect.unreachable();
    } catch (err) {
      expect(isLabwatchError(err) && err.code).toBe('LABWATCH_ERR_CONFIG_INVALID');
      const message = (err as Error).message;
      expect(message).toMatch(/--model \/nonexistent-model: no such folder/);
      expect(message).toMatch(/--dataset is required/);
      expect(message).toMatch(/--confirm-windows 0: expected an integer/);
      expect(message).toMatch(/--f2-tolerance 0.5: expected a number from 0 to 0.05/);
    }
  });
});
