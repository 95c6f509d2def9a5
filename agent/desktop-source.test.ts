import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FRAME_BYTES, frameViews, MAX_FRAME_VIEWS, viewOrder } from '../core/protocol.js';
import { preprocessScreen } from '../models/preprocess.js';
import type { MonitorRect } from './capture-source.js';
import { composeMonitors, type MonitorShot } from './capture.js';
import { buildDesktopSource, joinViews, shrinkMonitor } from './desktop-source.js';

/** Copy `rect` of an image `width` pixels wide, `channels` bytes a pixel, into `out`: the reference crop. */
function copyRect(data: Uint8Array, width: number, channels: number, rect: MonitorRect, out: Uint8Array): void {
  const row = rect.w * channels;
  for (let y = 0; y < rect.h; y++) {
    const from = ((rect.y + y) * width + rect.x) * channels;
    out.set(data.subarray(from, from + row), y * row);
  }
}

/** Deterministic noise with some structure (gradients, edges), `channels` bytes a pixel. */
function noise(width: number, height: number, channels: number, seed: number): Uint8Array {
  const out = new Uint8Array(width * height * channels);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const p = Math.floor(i / channels);
    out[i] = (i % 7 === 0 ? (p % width) * 3 : (s >>> 16)) & 0xff;
  }
  if (channels === 4) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

function shot(x: number, y: number, width: number, height: number, seed: number): MonitorShot {
  return { x, y, width, height, data: noise(width, height, 4, seed) };
}

const crop = (data: Uint8Array, width: number, r: MonitorRect) => {
  const out = new Uint8Array(r.w * r.h * 3);
  copyRect(data, width, 3, r, out);
  return out;
};

describe('shrinkMonitor', () => {
  it('gives byte for byte preprocessScreen of the cropped pixels (odd sizes and offsets, big and small shrinks)', async () => {
    const cases: [number, number, MonitorRect[]][] = [
      [3840, 1080, [{ x: 0, y: 0, w: 1920, h: 1080 }, { x: 1920, y: 0, w: 1920, h: 1080 }]],
      [3000, 1200, [{ x: 0, y: 120, w: 1280, h: 1024 }, { x: 1280, y: 0, w: 1720, h: 1200 }]],
      [101, 77, [{ x: 3, y: 5, w: 41, h: 33 }, { x: 50, y: 1, w: 51, h: 76 }, { x: 7, y: 9, w: 20, h: 30 }]],
    ];
    for (const [width, height, rects] of cases) {
      const data = noise(width, height, 3, width + height);
      for (const r of rects) {
        const want = await preprocessScreen({ data: crop(data, width, r), width: r.w, height: r.h, channels: 3 });
        const got = await shrinkMonitor({ data, width, height, channels: 3 }, r);
        expect(Buffer.from(got).equals(Buffer.from(want)), `${width}x${height} ${JSON.stringify(r)}`).toBe(true);
      }
    }
  });

  it('gives the same bytes for RGBA captures (node-screenshots)', async () => {
    const data = noise(64, 32, 4, 9);
    const r = { x: 32, y: 0, w: 32, h: 32 };
    const rgba = new Uint8Array(r.w * r.h * 4);
    copyRect(data, 64, 4, r, rgba);
    const want = await preprocessScreen({ data: rgba, width: r.w, height: r.h, channels: 4 });
    expect(Buffer.from(await shrinkMonitor({ data, width: 64, height: 32, channels: 4 }, r)).equals(Buffer.from(want))).toBe(true);
  });
});

describe('views', () => {
  it('are joined one after the other, left to right then top to bottom', () => {
    const a = new Uint8Array(FRAME_BYTES).fill(1);
    const b = new Uint8Array(FRAME_BYTES).fill(2);
    expect(joinViews([a])).toBe(a);
    const joined = joinViews([a, b]);
    expect(frameViews(joined).map((v) => v[0])).toEqual([1, 2]);
    const rects = [{ x: 1920, y: 0 }, { x: 0, y: 1080 }, { x: -1280, y: 200 }, { x: 0, y: 0 }];
    expect(rects.sort(viewOrder)).toEqual([{ x: -1280, y: 200 }, { x: 0, y: 0 }, { x: 0, y: 1080 }, { x: 1920, y: 0 }]);
  });
});

describe('desktop source through node-screenshots (one image per monitor)', () => {
  it('shrinks each monitor on its own, left to right, and keeps the whole desktop as the evidence original', async () => {
    // a laptop panel at the right, a taller monitor left of it (negative x), listed right first
    const shots = [shot(0, 100, 64, 40, 1), shot(-48, 0, 48, 80, 2)];
    const source = await buildDesktopSource({ openX11: null, captureMonitors: async () => shots.map((s) => ({ ...s })) });
    expect([source.method, source.monitors]).toEqual(['node-screenshots', 2]);
    for (const wantOriginal of [false, true]) {
      const { rgb, original } = await source.capture({ wantOriginal });
      const views = frameViews(rgb);
      expect(views).toHaveLength(2);
      for (const [i, s] of [shots[1], shots[0]].entries()) {
        const want = await preprocessScreen({ data: s.data, width: s.width, height: s.height, channels: 4 });
        expect(Buffer.from(views[i]).equals(Buffer.from(want)), `view ${i}`).toBe(true);
      }
      expect(original === undefined).toBe(!wantOriginal);
      if (original) {
        const composed = composeMonitors(shots);
        const { data, info } = await sharp(await original.png()).raw().toBuffer({ resolveWithObject: true });
        original.release?.();
        expect([info.width, info.height]).toEqual([112, 140]);
        const want = await sharp(composed.data, { raw: { width: composed.width, height: composed.height, channels: 4 } }).removeAlpha().raw().toBuffer();
        expect(data.equals(want)).toBe(true);
      }
    }
  });

  it('shrinks a monitor that is not opaque as RGBA, as preprocessScreen does', async () => {
    const translucent = shot(64, 0, 32, 32, 3);
    for (let i = 3; i < translucent.data.length; i += 8) translucent.data[i] = 128;
    const shots = [shot(0, 0, 64, 32, 4), translucent];
    const source = await buildDesktopSource({ openX11: null, captureMonitors: async () => shots });
    const views = frameViews((await source.capture({ wantOriginal: false })).rgb);
    for (const [i, s] of shots.entries()) {
      const want = await preprocessScreen({ data: s.data, width: s.width, height: s.height, channels: 4 });
      expect(Buffer.from(views[i]).equals(Buffer.from(want)), `view ${i}`).toBe(true);
    }
  });

  it(`sends one view of the whole desktop for one monitor and for more than ${MAX_FRAME_VIEWS}`, async () => {
    for (const shots of [[shot(0, 0, 40, 30, 5)], Array.from({ length: MAX_FRAME_VIEWS + 1 }, (_, i) => shot(i * 20, 0, 20, 30, 6 + i))]) {
      const source = await buildDesktopSource({ openX11: null, captureMonitors: async () => shots });
      const { rgb } = await source.capture({ wantOriginal: false });
      expect(source.monitors).toBe(shots.length);
      expect(rgb).toHaveLength(FRAME_BYTES);
      expect(Buffer.from(rgb).equals(Buffer.from(await preprocessScreen(composeMonitors(shots))))).toBe(true);
    }
  });
});
