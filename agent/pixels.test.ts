import { describe, expect, it } from 'vitest';
import { preprocessScreen } from '../models/preprocess.js';
import { pack3, swapRedBlue } from './pixels.js';

/** The obvious byte-by-byte conversion, to check the word-wise one against. */
function reference(src: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) out.set(src.subarray(p * 4, p * 4 + 3), p * 3);
  return out;
}

function noise(bytes: number, seed: number, opaque = true): Uint8Array {
  const out = new Uint8Array(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = opaque && i % 4 === 3 ? 255 : x >> 16;
  }
  return out;
}

describe('pack3', () => {
  it('equals the byte-wise conversion for any pixel count and any alignment', () => {
    for (const pixels of [0, 1, 3, 4, 5, 7, 64, 407]) {
      for (const shift of [0, 1, 2, 3]) {
        // a source that does not start on a 4-byte boundary takes the byte loop; the result must not change
        const backing = noise(pixels * 4 + 8, pixels + shift, false);
        const src = backing.subarray(shift, shift + pixels * 4);
        const dst = new Uint8Array(pixels * 3);
        pack3(src, 0, dst, 0, pixels);
        expect(dst, `${pixels} px, shift ${shift}`).toEqual(reference(src, pixels));
      }
    }
  });

  it('writes at a pixel offset, which is how a screen arriving in pieces is assembled', () => {
    const src = noise(400 * 4, 9);
    const whole = new Uint8Array(400 * 3);
    pack3(src, 0, whole, 0, 400);
    const pieces = new Uint8Array(400 * 3);
    for (const [from, to] of [[0, 16], [16, 17], [17, 100], [100, 400]]) pack3(src, from * 4, pieces, from, to - from);
    expect(pieces).toEqual(whole);
  });

  it('says whether every 4th (alpha) byte was 255', () => {
    const opaque = noise(64 * 4, 3);
    expect(pack3(opaque, 0, new Uint8Array(64 * 3), 0, 64)).toBe(255);
    const translucent = opaque.slice();
    translucent[4 * 37 + 3] = 254;
    expect(pack3(translucent, 0, new Uint8Array(64 * 3), 0, 64)).toBe(254);
  });
});

describe('the preprocessing contract on packed pixels', () => {
  const width = 640;
  const height = 360;
  const rgba = noise(width * height * 4, 5);

  it('an opaque RGBA capture, packed to RGB, shrinks to the same 50x50 bytes', async () => {
    const rgb = new Uint8Array(width * height * 3);
    expect(pack3(rgba, 0, rgb, 0, width * height)).toBe(255);
    const fromRgba = await preprocessScreen({ data: rgba, width, height, channels: 4 });
    const fromRgb = await preprocessScreen({ data: rgb, width, height, channels: 3 });
    expect(Buffer.from(fromRgb).equals(Buffer.from(fromRgba))).toBe(true);
  });

  it('a BGR screen shrinks to the BGR of the same bytes (each channel is shrunk alike)', async () => {
    const rgb = new Uint8Array(width * height * 3);
    pack3(rgba, 0, rgb, 0, width * height);
    const bgr = swapRedBlue(rgb.slice());
    const fromRgb = await preprocessScreen({ data: rgb, width, height, channels: 3 });
    const fromBgr = swapRedBlue(await preprocessScreen({ data: bgr, width, height, channels: 3 }));
    expect(Buffer.from(fromBgr).equals(Buffer.from(fromRgb))).toBe(true);
  });
});
