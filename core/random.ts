import { createHash } from 'node:crypto';

/**
 * mulberry32: a small, fast, seedable PRNG returning uint32. Training, search,
 * splits and bootstrap CIs draw from it so a `--seed` reproduces a run exactly.
 * (The synthetic generator uses its own richer Rng in training/synth/prng.ts.)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform floats in [0, 1) from mulberry32; a string seed is hashed first. */
export function seededRandom(seed: number | string): () => number {
  const numeric = typeof seed === 'number' ? seed : createHash('sha256').update(seed).digest().readUInt32LE(0);
  const next = mulberry32(numeric);
  return () => next() / 4294967296;
}
