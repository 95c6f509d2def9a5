import { describe, expect, it } from 'vitest';
import { finalDecision, searchDecision, type EpochScore } from './schedule.js';

const curve = (losses: number[], f2s: number[]): EpochScore[] => losses.map((valLoss, i) => ({ valLoss, valF2: f2s[i] }));

describe('search early stopping (validation F2, patience 2, max 10)', () => {
  it('keeps going while F2 improves', () => {
    expect(searchDecision(curve([1, 0.9, 0.8], [0.5, 0.6, 0.7])).stop).toBe(false);
  });
  it('stops after two epochs without a better F2 and keeps the best epoch', () => {
    const d = searchDecision(curve([1, 0.9, 0.8, 0.8], [0.5, 0.8, 0.79, 0.8]));
    // an equal F2 is no improvement, but the checkpoint kept is the one with the lower loss
    expect(d.stop).toBe(true);
    expect(d.bestEpoch).toBe(3);
  });
  it('one bad epoch is tolerated', () => {
    expect(searchDecision(curve([1, 0.9, 0.95], [0.5, 0.8, 0.7])).stop).toBe(false);
  });
  it('stops at 10 epochs even when still improving', () => {
    const f2 = Array.from({ length: 10 }, (_, i) => i / 10);
    const d = searchDecision(curve(f2.map((x) => 1 - x), f2));
    expect(d.stop).toBe(true);
    expect(d.bestEpoch).toBe(9);
  });
});

describe('final training (loss rises 3x -> stop, no improvement -> lr x0.2, best-F2 checkpoint)', () => {
  it('stops only after three consecutive rises of the validation loss', () => {
    const f2 = [0.5, 0.6, 0.7, 0.65, 0.6, 0.55];
    expect(finalDecision(curve([1, 0.8, 0.7, 0.75, 0.8], f2)).stop).toBe(false);
    const d = finalDecision(curve([1, 0.8, 0.7, 0.75, 0.8, 0.85], f2));
    expect(d.stop).toBe(true);
    expect(d.bestEpoch).toBe(2);
  });
  it('a dip resets the run of rises', () => {
    expect(finalDecision(curve([1, 1.1, 1.2, 1.0, 1.05, 1.1], [0, 0, 0, 0, 0, 0])).stop).toBe(false);
  });
  it('cuts the learning rate after two epochs that do not beat the best loss, then waits two again', () => {
    const f = (losses: number[]) => finalDecision(curve(losses, losses.map(() => 0.5))).lrFactor;
    expect(f([1, 0.8])).toBe(1);
    expect(f([1, 0.8, 0.85])).toBe(1);
    expect(f([1, 0.8, 0.85, 0.82])).toBeCloseTo(0.2);
    expect(f([1, 0.8, 0.85, 0.82, 0.81])).toBe(1);
    expect(f([1, 0.8, 0.85, 0.82, 0.81, 0.9])).toBeCloseTo(0.2);
    expect(f([1, 0.8, 0.85, 0.7])).toBe(1);
  });
  it('stops after 6 epochs without a better validation loss, even without 3 rises in a row', () => {
    const flat = [0.5, 0.4, 0.45, 0.41, 0.44, 0.42, 0.43];
    expect(finalDecision(curve(flat, flat.map(() => 0.5))).stop).toBe(false);
    const d = finalDecision(curve([...flat, 0.41], [...flat, 0.41].map(() => 0.5)));
    expect(d.stop).toBe(true);
    expect(d.reason).toContain('did not improve');
  });
  it('ignores loss changes below 1e-4 (no rise, no improvement)', () => {
    const d = finalDecision(curve([0.7, 0.71, 0.71001, 0.71002, 0.71003], [0.5, 0.5, 0.5, 0.5, 0.5]));
    expect(d.stop).toBe(false);
  });
  it('the kept checkpoint is the best F2, not the lowest loss; equal F2 goes to the lower loss', () => {
    expect(finalDecision(curve([1, 0.5, 0.6], [0.7, 0.8, 0.9])).bestEpoch).toBe(2);
    expect(finalDecision(curve([1, 0.5, 0.6], [1, 1, 1])).bestEpoch).toBe(1);
  });
  it('stops at the epoch cap', () => {
    expect(finalDecision(curve([1, 0.9, 0.8], [1, 1, 1]), 3, 3).stop).toBe(true);
  });
});
