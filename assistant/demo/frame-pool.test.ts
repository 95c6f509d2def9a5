import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { preprocessScreen } from '../../models/preprocess.js';
import { frameViews } from '../../core/protocol.js';
import { loadOrBuildFramePool, MAX_CACHED_POOLS, prunePoolCache, readFramePool, viewRects, type MonitorRect, type PoolGenerator, type RenderedFrame } from './frame-pool.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * Steps 15-19 of every 20 are prohibited (`prohibitedFirst`: steps 0-4, so a
 * session's prohibited run is rendered before its permitted one); a frame's
 * pixels say its label (200 prohibited, 10 permitted); render() records how many
 * renders overlap. With `monitors`, every desktop spans them and a frame is one
 * view per monitor (byte 2 of view v is v, so views can be told apart).
 */
function fakeGenerator(prohibitedFirst = false, monitors?: MonitorRect[]): { generator: PoolGenerator; maxInFlight: () => number; renders: () => number } {
  let inFlight = 0;
  let max = 0;
  let renders = 0;
  const generator: PoolGenerator = {
    version: 'fake-1',
    session() {
      let t = 0;
      return {
        next() {
          const i = t++;
          const bad = prohibitedFirst ? i % 20 < 5 : i % 20 >= 15;
          return {
            label: bad ? 1 : 0,
            kind: bad ? 'messaging' : 'ide',
            async render(): Promise<RenderedFrame> {
              inFlight += 1;
              max = Math.max(max, inFlight);
              renders += 1;
              await new Promise((r) => setTimeout(r, 2));
              inFlight -= 1;
              const views = monitors?.length ?? 1;
              const rgb = new Uint8Array(7500 * views).fill(bad ? 200 : 10);
              for (let v = 0; v < views; v++) rgb.fill(i & 255, v * 7500, v * 7500 + 1).fill(v, v * 7500 + 2, v * 7500 + 3);
              return { png: new Uint8Array([i & 255]), rgb, width: monitors ? 2048 : 1024, height: 768, monitors };
            },
          };
        },
      };
    },
  };
  return { generator, maxInFlight: () => max, renders: () => renders };
}

describe('demo frame pool', () => {
  it('renders one frame at a time (text rendering is not thread-safe), then reads the same pool from the cache', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'lw-pool-'));
    dirs.push(cacheDir);
    const fake = fakeGenerator();
    const built = await loadOrBuildFramePool({ cacheDir, seed: 's', generator: fake.generator, sessions: 2, clipFrames: 6 });
    expect(fake.maxInFlight()).toBe(1);
    expect(built.cached).toBe(false);
    expect(built.frames).toBe(fake.renders());
    expect(built.permitted).toHaveLength(2);
    expect(built.prohibited).toHaveLength(2);
    for (const clip of built.prohibited) expect(clip.frames.every((f) => f.kind === 'messaging')).toBe(true);
    const again = await loadOrBuildFramePool({ cacheDir, seed: 's', generator: fakeGenerator().generator, sessions: 2, clipFrames: 6 });
    expect(again.cached).toBe(true);
    expect(again.frames).toBe(built.frames);
    expect(again.prohibited.flatMap((c) => c.frames.map((f) => f.rgb[0]))).toEqual(built.prohibited.flatMap((c) => c.frames.map((f) => f.rgb[0])));
    // a generator that names no monitors drew one covering the frame; the cache keeps the rectangles
    for (const pool of [built, again]) expect(pool.permitted[0].frames[0].monitors).toEqual([{ x: 0, y: 0, w: 1024, h: 768 }]);
  });

  it('gives every clip its own 50x50 frames, whatever order they were rendered in, fresh and from the cache', async () => {
    for (const prohibitedFirst of [false, true]) {
      const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'lw-pool-'));
      dirs.push(cacheDir);
      for (const round of ['built', 'cached']) {
        const pool = await loadOrBuildFramePool({ cacheDir, seed: 's', generator: fakeGenerator(prohibitedFirst).generator, sessions: 2, clipFrames: 6 });
        expect(pool.cached).toBe(round === 'cached');
        const pixel = (clips: typeof pool.permitted) => [...new Set(clips.flatMap((c) => c.frames.map((f) => f.rgb[1])))];
        expect(pixel(pool.permitted), `${round}, prohibitedFirst=${prohibitedFirst}`).toEqual([10]);
        expect(pixel(pool.prohibited), `${round}, prohibitedFirst=${prohibitedFirst}`).toEqual([200]);
      }
    }
  });

  it('stores a two-monitor desktop as two views per frame, left to right, fresh and from the cache', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'lw-pool-'));
    dirs.push(cacheDir);
    const two = [{ x: 0, y: 0, w: 1024, h: 768 }, { x: 1024, y: 0, w: 1024, h: 768 }];
    const built = await loadOrBuildFramePool({ cacheDir, seed: 's', generator: fakeGenerator(false, two).generator, sessions: 2, clipFrames: 6 });
    const again = await loadOrBuildFramePool({ cacheDir, seed: 's', generator: fakeGenerator(false, two).generator, sessions: 2, clipFrames: 6 });
    expect(again.cached).toBe(true);
    for (const pool of [built, again]) {
      const frames = [...pool.permitted, ...pool.prohibited].flatMap((c) => c.frames);
      expect(frames).toHaveLength(pool.frames);
      for (const f of frames) {
        const views = frameViews(f.rgb);
        expect(views.map((v) => v[2])).toEqual([0, 1]);
        // both views of one capture: the same render
        expect(views[1][0]).toBe(views[0][0]);
        expect(f.monitors).toEqual(two);
      }
      for (const clip of pool.prohibited) expect(clip.frames.every((f) => f.rgb[1] === 200 && f.rgb[7501] === 200)).toBe(true);
    }
    expect(again.prohibited.flatMap((c) => c.frames.map((f) => Array.from(f.rgb)))).toEqual(built.prohibited.flatMap((c) => c.frames.map((f) => Array.from(f.rgb))));
    const index = JSON.parse(await readFile(path.join(built.dir, 'index.json'), 'utf8')) as { clips: { frames: { views: number }[] }[] };
    expect(new Set(index.clips.flatMap((c) => c.frames.map((f) => f.views)))).toEqual(new Set([2]));
  });

  it('refuses a cache whose rgb.bin does not hold the views index.json names, with a clear error', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'lw-pool-'));
    dirs.push(cacheDir);
    const two = [{ x: 1024, y: 0, w: 1024, h: 768 }, { x: 0, y: 0, w: 1024, h: 768 }];
    const built = await loadOrBuildFramePool({ cacheDir, seed: 's', generator: fakeGenerator(false, two).generator, sessions: 1, clipFrames: 4 });
    const bin = path.join(built.dir, 'rgb.bin');
    const bytes = await readFile(bin);
    await writeFile(bin, bytes.subarray(0, bytes.length - 7500));
    await expect(readFramePool(built.dir)).rejects.toThrow(
      `rgb.bin holds ${bytes.length - 7500} bytes, index.json names ${built.frames} frames of ${2 * built.frames} views in all (${bytes.length} bytes)`,
    );
    // the demo then renders the pool again
    const logs: string[] = [];
    const again = await loadOrBuildFramePool({ cacheDir, seed: 's', generator: fakeGenerator(false, two).generator, sessions: 1, clipFrames: 4, log: (l) => logs.push(l) });
    expect(again.cached).toBe(false);
    expect(logs[0]).toContain('unreadable (rgb.bin holds');
  });

  it('refuses a generator whose frame does not carry one view per monitor', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'lw-pool-'));
    dirs.push(cacheDir);
    const generator: PoolGenerator = {
      version: 'fake-bad',
      session: () => {
        let t = 0;
        return {
          next: () => {
            const bad = t++ % 20 >= 15;
            return {
              label: bad ? 1 : 0,
              kind: 'ide',
              render: async () => ({ png: new Uint8Array(1), rgb: new Uint8Array(7500), width: 2048, height: 768, monitors: [{ x: 0, y: 0, w: 1024, h: 768 }, { x: 1024, y: 0, w: 1024, h: 768 }] }),
            };
          },
        };
      },
    };
    await expect(loadOrBuildFramePool({ cacheDir, seed: 's', generator, sessions: 1, clipFrames: 4 })).rejects.toThrow('generator gave 7500 bytes for a frame of 2 monitor(s), expected 2 view(s) of 7500');
  });

  it('cuts views left to right, one per monitor clamped to the frame; the whole frame for one monitor or more than four', () => {
    const m = (x: number, y: number, w = 100, h = 50) => ({ x, y, w, h });
    expect(viewRects([m(0, 0, 300, 100)], 200, 100)).toEqual([m(0, 0, 200, 100)]);
    expect(viewRects([m(100, 0, 150), m(0, 50), m(0, 0)], 200, 100)).toEqual([m(0, 0), m(0, 50), m(100, 0, 100)]);
    expect(viewRects([m(0, 0), m(100, 0), m(0, 50), m(100, 50), m(50, 25)], 200, 100)).toEqual([m(0, 0, 200, 100)]);
  });

  it("shrinks a monitor cut from the raw render to the same bytes as one cut from the frame's PNG", async () => {
    const width = 300;
    const height = 120;
    const data = new Uint8Array(width * height * 4);
    let x = 12345;
    for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? 255 : (x = (x * 1103515245 + 12345) % 2 ** 31) >>> 23;
    const png = await sharp(data, { raw: { width, height, channels: 4 } }).removeAlpha().png().toBuffer();
    for (const m of viewRects([{ x: 0, y: 0, w: 180, h: 120 }, { x: 180, y: 10, w: 200, h: 100 }], width, height)) {
      const fromPng = await sharp(png).extract({ left: m.x, top: m.y, width: m.w, height: m.h }).raw().toBuffer({ resolveWithObject: true });
      const want = await preprocessScreen({ data: fromPng.data, width: fromPng.info.width, height: fromPng.info.height, channels: 3 });
      expect(Buffer.from(await preprocessScreen({ data, width, height, channels: 4 }, { region: m })).equals(Buffer.from(want))).toBe(true);
    }
    expect(Buffer.from(await preprocessScreen({ data, width, height, channels: 4 })).equals(Buffer.from(await preprocessScreen(png)))).toBe(true);
  });

  it('keeps the few newest pools and never deletes a live render of another demo sharing the folder', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'lw-pool-'));
    dirs.push(cacheDir);
    const pools = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const [i, name] of pools.entries()) {
      await mkdir(path.join(cacheDir, name));
      const t = new Date(Date.UTC(2026, 0, 1 + i));
      await utimes(path.join(cacheDir, name), t, t);
    }
    const other = spawn('sleep', ['30']);
    const gone = spawnSync('true').pid!;
    await mkdir(path.join(cacheDir, `x.tmp-${other.pid}`));
    await mkdir(path.join(cacheDir, `y.tmp-${gone}`));
    try {
      await prunePoolCache(cacheDir, 'a');
    } finally {
      other.kill();
    }
    const left = (await readdir(cacheDir)).sort();
    // 'a' was just rendered (kept whatever its date); then the newest others up to the limit
    expect(left).toEqual(['a', 'd', 'e', 'f', `x.tmp-${other.pid}`]);
    expect(left.filter((n) => !n.includes('.tmp-'))).toHaveLength(MAX_CACHED_POOLS);
  });
});
