import { describe, expect, it } from 'vitest';
import { FRAME_BYTES } from '../models/preprocess.js';
import { applyTransform, DEFAULT_AUGMENT, IDENTITY, makeRng, randomTransform, type Transform } from './augment.js';

function noiseFrame(seed: number): Uint8Array {
  const rng = makeRng(seed);
  return Uint8Array.from({ length: FRAME_BYTES }, () => Math.floor(rng() * 256));
}

function run(frames: Uint8Array[], t: Transform): Float32Array[] {
  const out = new Float32Array(frames.length * FRAME_BYTES);
  applyTransform(frames, t, out, 0);
  return frames.map((_, k) => out.subarray(k * FRAME_BYTES, (k + 1) * FRAME_BYTES));
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('augment', () => {
  it('applies the very same transform to all three frames of a sequence', () => {
    const rng = makeRng(7);
    const frame = noiseFrame(1);
    for (let trial = 0; trial < 20; trial++) {
      const t = randomTransform(rng, { ...DEFAULT_AUGMENT, probability: 1 });
      // Three identical input frames must stay identical after augmentation...
      const [a, b, c] = run([frame, frame, frame], t);
      expect(maxDiff(b, a)).toBe(0);
      expect(maxDiff(c, a)).toBe(0);
      // ...and each output equals the frame transformed on its own.
      const [alone] = run([frame], t);
      expect(maxDiff(a, alone)).toBe(0);
    }
  });

  it('keeps the frame shape and the 0..255 range, and writes at the given offset', () => {
    const frames = [noiseFrame(2), noiseFrame(3), noiseFrame(4)];
    const t = randomTransform(makeRng(3), { ...DEFAULT_AUGMENT, probability: 1 });
    const out = new Float32Array(5 * FRAME_BYTES).fill(-1);
    applyTransform(frames, t, out, 2 * FRAME_BYTES);
    expect(out.subarray(0, 2 * FRAME_BYTES).every((v) => v === -1)).toBe(true);
    const written = out.subarray(2 * FRAME_BYTES);
    expect(written.length).toBe(3 * FRAME_BYTES);
    expect(written.every((v) => v >= 0 && v <= 255)).toBe(true);
  });

  it('identity leaves frames unchanged; a flip mirrors columns', () => {
    const f = noiseFrame(5);
    expect(maxDiff(run([f], IDENTITY)[0], f)).toBe(0);
    const [flipped] = run([f], { ...IDENTITY, flip: true });
    // pixel (x=0, y=10) comes from (x=49, y=10)
    for (let c = 0; c < 3; c++) expect(flipped[(10 * 50 + 0) * 3 + c]).toBeCloseTo(f[(10 * 50 + 49) * 3 + c], 3);
  });

  it('brightness and contrast change intensities as configured', () => {
    const grey = new Uint8Array(FRAME_BYTES).fill(100);
    expect(run([grey], { ...IDENTITY, brightness: 20 })[0][0]).toBeCloseTo(120, 4);
    // contrast 2 around mid-grey 128: 100 -> 72
    expect(run([grey], { ...IDENTITY, contrast: 2 })[0][0]).toBeCloseTo(72, 4);
  });

  it('draws different transforms for different sequences', () => {
    const rng = makeRng(11);
    const ts = Array.from({ length: 50 }, () => randomTransform(rng));
    expect(new Set(ts.map((t) => JSON.stringify(t))).size).toBeGreaterThan(40);
  });
});
