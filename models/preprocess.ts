import sharp, { type Sharp } from 'sharp';
import { lwError } from '../core/errors.js';

/**
 * The preprocessing contract: every screen image the model ever sees — a live
 * capture in the agent, a generated desktop, a recorded real screen, a dataset
 * frame at training or evaluation time — goes through `preprocessScreen`, so the
 * model is evaluated on exactly what it sees in an exam. Bump the version when
 * the output for the same input changes; it is recorded in model metadata and a
 * model built for another version is refused.
 */
export const PREPROCESS_VERSION = 'lw-pre-1';
export const FRAME_WIDTH = 50;
export const FRAME_HEIGHT = 50;
export const FRAME_CHANNELS = 3;
export const FRAME_BYTES = FRAME_WIDTH * FRAME_HEIGHT * FRAME_CHANNELS;
/** Screens larger than this (per side) are refused: no real monitor layout is this big. */
export const MAX_SCREEN_SIDE = 16_384;

/** Raw pixels as captured (node-screenshots gives RGBA). */
export interface RawScreen {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** What `metadata.json` records about the preprocessing a model expects. */
export const PREPROCESS_SPEC = {
  version: PREPROCESS_VERSION,
  width: FRAME_WIDTH,
  height: FRAME_HEIGHT,
  channels: FRAME_CHANNELS,
  resize: 'sharp fit=fill (aspect ratio not kept), kernel=lanczos3, alpha dropped',
  layout: 'HWC uint8 RGB; the model scales to [0,1] by dividing by 255',
} as const;

/** A rectangle of a screen in pixels: one monitor of a desktop. */
export interface ScreenRegion {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Bring any screen image (encoded PNG/JPEG/SVG, or raw RGB/RGBA pixels of any size)
 * to the model's 50x50x3 uint8 RGB input (HWC, row-major, 7,500 bytes).
 * A 50x50 RGB image comes back unchanged, so datasets may store frames already shrunk.
 *
 * With `region`, only that rectangle of the image (one monitor of a desktop) is
 * shrunk: byte for byte what a copy of those pixels alone would give, without
 * the copy (libvips crops in place; models/preprocess.test.ts checks the bytes).
 */
export async function preprocessScreen(input: Uint8Array | RawScreen, options: { region?: ScreenRegion } = {}): Promise<Uint8Array> {
  let image = toSharp(input);
  const r = options.region;
  if (r) {
    const ok = [r.x, r.y, r.w, r.h].every(Number.isInteger) && r.x >= 0 && r.y >= 0 && r.w > 0 && r.h > 0;
    const size = input instanceof Uint8Array ? undefined : input;
    if (!ok || (size && (r.x + r.w > size.width || r.y + r.h > size.height))) {
      throw lwError('LABWATCH_ERR_PREPROCESS_BAD_INPUT', { reason: `region ${r.w}x${r.h}+${r.x}+${r.y} is not inside the ${size ? `${size.width}x${size.height} ` : ''}image` });
    }
    image = image.extract({ left: r.x, top: r.y, width: r.w, height: r.h });
  }
  try {
    const { data, info } = await image
      .removeAlpha()
      .resize(FRAME_WIDTH, FRAME_HEIGHT, { fit: 'fill', kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== FRAME_CHANNELS || data.length !== FRAME_BYTES) {
      throw new Error(`unexpected ${info.channels}-channel output of ${data.length} bytes`);
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (err) {
    throw lwError('LABWATCH_ERR_PREPROCESS_BAD_INPUT', { reason: (err as Error).message }, err);
  }
}

function toSharp(input: Uint8Array | RawScreen): Sharp {
  if (input instanceof Uint8Array) {
    if (input.length === 0) throw lwError('LABWATCH_ERR_PREPROCESS_BAD_INPUT', { reason: 'the image is empty' });
    return sharp(input, { failOn: 'error', limitInputPixels: MAX_SCREEN_SIDE * MAX_SCREEN_SIDE });
  }
  const { data, width, height, channels } = input;
  const sideOk = (n: number) => Number.isInteger(n) && n > 0 && n <= MAX_SCREEN_SIDE;
  if (!sideOk(width) || !sideOk(height)) {
    throw lwError('LABWATCH_ERR_PREPROCESS_BAD_INPUT', { reason: `bad size ${width}x${height}` });
  }
  if (channels !== 3 && channels !== 4) {
    throw lwError('LABWATCH_ERR_PREPROCESS_BAD_INPUT', { reason: `${channels} channels (need 3 or 4)` });
  }
  if (data.length !== width * height * channels) {
    throw lwError('LABWATCH_ERR_PREPROCESS_BAD_INPUT', {
      reason: `${data.length} bytes for ${width}x${height}x${channels} (expected ${width * height * channels})`,
    });
  }
  return sharp(data, { raw: { width, height, channels } });
}
