import { describe, expect, it } from 'vitest';
import { makeRng } from './augment.js';
import { undersample } from './sampling.js';

describe('undersample', () => {
  it('balances the classes, keeping every minority example, redrawn each epoch', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0)); // 100 positives
    const index = Int32Array.from(labels, (_, i) => i);
    const rng = makeRng(1);
    const a = undersample(index, labels, rng);
    const b = undersample(index, labels, rng);
    for (const epoch of [a, b]) {
      const pos = epoch.filter((i) => labels[i] === 1).length;
      expect(pos).toBe(100);
      expect(epoch.length).toBe(200);
      expect(new Set(epoch).size).toBe(200);
    }
    const negA = new Set(a.filter((i) => labels[i] === 0));
    const overlap = b.filter((i) => labels[i] === 0 && negA.has(i)).length;
    expect(overlap).toBeLessThan(50); // a fresh draw of the majority class
  });
  it('handles positives as the majority too', () => {
    const labels = Uint8Array.from({ length: 30 }, (_, i) => (i < 25 ? 1 : 0));
    const out = undersample(Int32Array.from(labels, (_, i) => i), labels, makeRng(2));
    expect(out.filter((i) => labels[i] === 0).length).toBe(5);
    expect(out.length).toBe(10);
  });
  it('uses only the given subset', () => {
    const labels = Uint8Array.from({ length: 100 }, (_, i) => i % 2);
    const index = Int32Array.from({ length: 20 }, (_, i) => i + 50);
    expect(undersample(index, labels, makeRng(3)).every((i) => i >= 50 && i < 70)).toBe(true);
  });
});
