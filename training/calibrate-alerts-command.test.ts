import { describe, expect, it } from 'vitest';
import { withCalibrateStep } from './calibrate-alerts-command.js';

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
