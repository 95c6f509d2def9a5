import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrBuildFramePool, MAX_CACHED_POOLS, prunePoolCache, type PoolGenerator, type RenderedFrame } from './frame-pool.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * Steps 15-19 of every 20 are prohibited (`prohibitedFirst`: steps 0-4, so a
 * session's prohibited run is rendered before its permitted one); a frame's
 * pixels say its label (200 prohibited, 10 permitted); render() records how many
 * renders overlap.
 */
function fakeGenerator(prohibitedFirst = false): { generator: PoolGenerator; maxInFlight: () => number; renders: () => number } {
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
              return { png: new Uint8Array([i & 255]), rgb: new Uint8Array(7500).fill(bad ? 200 : 10).fill(i & 255, 0, 1), width: 1024, height: 768 };
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
