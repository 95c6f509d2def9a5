import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FRAME_BYTES } from '../core/protocol.js';
import { frameToPng } from './png.js';

describe('frameToPng', () => {
  it('draws one monitor as a 50x50 image', async () => {
    const png = await frameToPng(new Uint8Array(FRAME_BYTES).fill(77));
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([50, 50]);
    expect(data[0]).toBe(77);
  });

  it('draws two monitors side by side, left then right, every row', async () => {
    const rgb = new Uint8Array(2 * FRAME_BYTES);
    rgb.fill(10, 0, FRAME_BYTES);
    rgb.fill(200, FRAME_BYTES);
    const { data, info } = await sharp(await frameToPng(rgb)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([100, 50, 3]);
    for (const y of [0, 25, 49]) {
      expect(data[(y * 100 + 49) * 3]).toBe(10);
      expect(data[(y * 100 + 50) * 3]).toBe(200);
    }
  });
});
