import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { FRAME_BYTES, preprocessScreen } from './preprocess.js';

async function solidPng(width: number, height: number, rgb: [number, number, number], alpha = false) {
  const channels = alpha ? 4 : 3;
  return sharp({ create: { width, height, channels, background: { r: rgb[0], g: rgb[1], b: rgb[2], alpha: 1 } } })
    .png()
    .toBuffer();
}

describe('preprocessScreen', () => {
  it('brings an encoded screenshot of any size to 50x50 RGB', async () => {
    const out = await preprocessScreen(await solidPng(2560, 1440, [200, 10, 30], true));
    expect(out.length).toBe(FRAME_BYTES);
    expect([out[0], out[1], out[2]]).toEqual([200, 10, 30]);
  });

  it('accepts raw RGBA captures and drops alpha', async () => {
    const width = 1280, height = 800;
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i += 4) data.set([10, 120, 240, 255], i);
    const out = await preprocessScreen({ data, width, height, channels: 4 });
    expect(out.length).toBe(FRAME_BYTES);
    expect([out[7497], out[7498], out[7499]]).toEqual([10, 120, 240]);
  });

  it('keeps the left half left: no flip or transpose', async () => {
    const width = 1024, height = 768;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width / 2; x++) data[(y * width + x) * 3] = 255;
    const out = await preprocessScreen({ data, width, height, channels: 3 });
    expect(out[0]).toBe(255); // top-left pixel, red channel
    expect(out[(0 * 50 + 49) * 3]).toBe(0); // top-right pixel
  });

  it('is the identity on an already-shrunk 50x50 frame', async () => {
    const data = new Uint8Array(FRAME_BYTES).map((_, i) => (i * 37) % 256);
    const png = await sharp(data, { raw: { width: 50, height: 50, channels: 3 } }).png().toBuffer();
    expect(Buffer.from(await preprocessScreen(png)).equals(Buffer.from(data))).toBe(true);
  });

  it('rejects garbage and inconsistent raw buffers with a coded error', async () => {
    await expect(preprocessScreen(new Uint8Array([1, 2, 3]))).rejects.toSatisfy((e) =>
      isLabwatchError(e, 'LABWATCH_ERR_PREPROCESS_BAD_INPUT'),
    );
    await expect(
      preprocessScreen({ data: new Uint8Array(10), width: 100, height: 100, channels: 3 }),
    ).rejects.toThrow(/10 bytes for 100x100x3/);
  });

  it('shrinks a region (one monitor) to the same bytes as a copy of its pixels alone, RGB and RGBA', async () => {
    const [width, height] = [301, 97];
    for (const channels of [3, 4] as const) {
      let x = 7;
      const data = Uint8Array.from({ length: width * height * channels }, (_, i) => (channels === 4 && i % 4 === 3 ? 255 : (x = (x * 1103515245 + 12345) % 2 ** 31) >>> 23));
      for (const r of [{ x: 0, y: 0, w: 150, h: 97 }, { x: 150, y: 3, w: 151, h: 90 }, { x: 11, y: 13, w: 17, h: 19 }]) {
        const copy = new Uint8Array(r.w * r.h * channels);
        for (let y = 0; y < r.h; y++) copy.set(data.subarray(((r.y + y) * width + r.x) * channels, ((r.y + y) * width + r.x + r.w) * channels), y * r.w * channels);
        const want = await preprocessScreen({ data: copy, width: r.w, height: r.h, channels });
        const got = await preprocessScreen({ data, width, height, channels }, { region: r });
        expect(Buffer.from(got).equals(Buffer.from(want)), `${channels} channels, ${JSON.stringify(r)}`).toBe(true);
      }
    }
    await expect(preprocessScreen({ data: new Uint8Array(30 * 20 * 3), width: 30, height: 20, channels: 3 }, { region: { x: 20, y: 0, w: 20, h: 20 } }))
      .rejects.toThrow(/region 20x20\+20\+0 is not inside the 30x20 image/);
  });
});
