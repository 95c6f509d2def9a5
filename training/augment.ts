import { seededRandom } from '../core/random.js';
import { FRAME_CHANNELS, FRAME_HEIGHT, FRAME_WIDTH } from '../models/preprocess.js';

/**
 * The paper's six augmentations (horizontal flip, rotation, zoom, crop, contrast,
 * brightness), drawn once per sequence and applied identically to its three
 * frames: the RNN learns from what changes between frames, so frames of one
 * sequence must not move relative to each other. Plain typed-array code: one
 * inverse-mapped bilinear resample (all geometric parts folded into one affine
 * map computed once per sequence) plus one affine colour map.
 */
export interface AugmentConfig {
  /** Probability that each augmentation is switched on for a sequence. */
  probability: number;
  maxRotationDeg: number;
  /** Zoom-in factor drawn from [1, maxZoom]. */
  maxZoom: number;
  /** Crop keeps a window of side drawn from [1 - maxCrop, 1] of the frame, at a random place. */
  maxCrop: number;
  /** Contrast factor drawn from [1 - maxContrast, 1 + maxContrast]. */
  maxContrast: number;
  /** Brightness shift (0-255 scale) drawn from [-maxBrightness, maxBrightness]. */
  maxBrightness: number;
}

export const DEFAULT_AUGMENT: AugmentConfig = {
  probability: 0.5,
  maxRotationDeg: 5,
  maxZoom: 1.15,
  maxCrop: 0.15,
  maxContrast: 0.2,
  maxBrightness: 25,
};

export interface Transform {
  flip: boolean;
  rotationRad: number;
  /** Total magnification (zoom times crop). */
  scale: number;
  /** Centre of the sampled window relative to the frame centre, in pixels. */
  offsetX: number;
  offsetY: number;
  contrast: number;
  brightness: number;
}

export const IDENTITY: Transform = { flip: false, rotationRad: 0, scale: 1, offsetX: 0, offsetY: 0, contrast: 1, brightness: 0 };

/** Small seeded PRNG (mulberry32): reproducible runs from `--seed`. */
export function makeRng(seed: number): () => number {
  return seededRandom(seed);
}

export function randomTransform(rng: () => number, config: AugmentConfig = DEFAULT_AUGMENT): Transform {
  const on = () => rng() < config.probability;
  const range = (lo: number, hi: number) => lo + (hi - lo) * rng();
  const t: Transform = { ...IDENTITY };
  if (on()) t.flip = true;
  if (on()) t.rotationRad = (range(-config.maxRotationDeg, config.maxRotationDeg) * Math.PI) / 180;
  if (on()) t.scale *= range(1, config.maxZoom);
  if (on()) {
    const keep = range(1 - config.maxCrop, 1);
    t.scale /= keep;
    // The kept window may sit anywhere inside the frame.
    const slack = ((1 - keep) * FRAME_WIDTH) / 2;
    t.offsetX = range(-slack, slack);
    t.offsetY = range(-slack, slack);
  }
  if (on()) t.contrast = range(1 - config.maxContrast, 1 + config.maxContrast);
  if (on()) t.brightness = range(-config.maxBrightness, config.maxBrightness);
  return t;
}

const PIXELS = FRAME_WIDTH * FRAME_HEIGHT;
const FRAME_VALUES = PIXELS * FRAME_CHANNELS;
/** Offsets of the right and lower bilinear neighbours. */
const DX = FRAME_CHANNELS;
const DY = FRAME_WIDTH * FRAME_CHANNELS;

/**
 * Write `frames` (each 50x50x3 uint8 HWC), transformed by `t`, into `out` as
 * float 0..255 values starting at `outOffset` (frames back to back).
 */
export function applyTransform(frames: readonly Uint8Array[], t: Transform, out: Float32Array, outOffset: number): void {
  const geometric = t.flip || t.rotationRad !== 0 || t.scale !== 1 || t.offsetX !== 0 || t.offsetY !== 0;
  const gain = t.contrast;
  // contrast around mid-grey, then brightness: v' = (v - 128) * c + 128 + b
  const bias = 128 * (1 - gain) + t.brightness;
  const colour = gain !== 1 || bias !== 0;
  if (!geometric) {
    frames.forEach((f, k) => {
      const base = outOffset + k * FRAME_VALUES;
      for (let j = 0; j < FRAME_VALUES; j++) out[base + j] = colour ? clamp255(f[j] * gain + bias) : f[j];
    });
    return;
  }
  const map = sampleMap(t);
  frames.forEach((f, k) => {
    const base = outOffset + k * FRAME_VALUES;
    for (let p = 0; p < PIXELS; p++) {
      const i00 = map.i00[p];
      const wx = map.wx[p];
      const wy = map.wy[p];
      for (let c = 0; c < FRAME_CHANNELS; c++) {
        const a = f[i00 + c];
        const b = f[i00 + DX + c];
        const cc = f[i00 + DY + c];
        const d = f[i00 + DX + DY + c];
        const top = a + (b - a) * wx;
        const bottom = cc + (d - cc) * wx;
        const v = top + (bottom - top) * wy;
        out[base + p * FRAME_CHANNELS + c] = colour ? clamp255(v * gain + bias) : v;
      }
    }
  });
}

interface SampleMap {
  i00: Int32Array;
  wx: Float32Array;
  wy: Float32Array;
}

/** For each output pixel, the source neighbourhood and bilinear weights (edges clamped). */
function sampleMap(t: Transform): SampleMap {
  const m: SampleMap = {
    i00: new Int32Array(PIXELS),
    wx: new Float32Array(PIXELS),
    wy: new Float32Array(PIXELS),
  };
  const cx = (FRAME_WIDTH - 1) / 2;
  const cy = (FRAME_HEIGHT - 1) / 2;
  const cos = Math.cos(t.rotationRad) / t.scale;
  const sin = Math.sin(t.rotationRad) / t.scale;
  for (let y = 0; y < FRAME_HEIGHT; y++) {
    for (let x = 0; x < FRAME_WIDTH; x++) {
      let u = x - cx;
      const v = y - cy;
      if (t.flip) u = -u;
      const sx = clamp(cos * u - sin * v + cx + t.offsetX, 0, FRAME_WIDTH - 1);
      const sy = clamp(sin * u + cos * v + cy + t.offsetY, 0, FRAME_HEIGHT - 1);
      const x0 = Math.min(Math.floor(sx), FRAME_WIDTH - 2);
      const y0 = Math.min(Math.floor(sy), FRAME_HEIGHT - 2);
      const p = y * FRAME_WIDTH + x;
      m.i00[p] = (y0 * FRAME_WIDTH + x0) * FRAME_CHANNELS;
      m.wx[p] = sx - x0;
      m.wy[p] = sy - y0;
    }
  }
  return m;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
