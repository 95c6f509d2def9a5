import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from '../../core/process-alive.js';
import type { ScreenRegion } from '../../models/preprocess.js';
import { FRAME_BYTES, MAX_FRAME_VIEWS, viewOrder } from '../../core/protocol.js';

/**
 * A pool of pre-rendered synthetic screens for the demo. Rendering a full-size
 * desktop costs ~60-100 ms, far too much for 150 students at 1 fps on 2 cores,
 * so a few hundred frames of several simulated sessions are rendered once and
 * cached under the data folder, keyed by generator version and seed; students
 * then walk timelines drawn from the pool.
 *
 * A clip is a run of consecutive frames of one simulated session that all carry
 * the same label: permitted clips are walked during normal work, prohibited
 * clips (runs of >= 3 prohibited frames) during episodes.
 */
/** A monitor's place in a full-size frame, in pixels. */
export type MonitorRect = ScreenRegion;

export interface PoolFrame {
  /**
   * What a student's agent sends for this capture: 1..MAX_FRAME_VIEWS views of
   * FRAME_BYTES each, concatenated, one per monitor left to right (`viewRects`),
   * each that monitor's crop of the full-size render shrunk on its own by
   * preprocessScreen; a single-monitor desktop is one view, the whole frame.
   * `frameViews` (core/protocol.ts) splits them.
   */
  rgb: Uint8Array;
  /** Full-size original (PNG file in the cache folder), loaded on first use. */
  png(): Promise<Uint8Array>;
  width: number;
  height: number;
  /** The desktop's monitors in the full-size frame (one covering it all for a single monitor). */
  monitors: MonitorRect[];
  kind: string;
}

export interface Clip {
  sessionId: string;
  prohibited: boolean;
  frames: PoolFrame[];
}

export interface FramePool {
  dir: string;
  permitted: Clip[];
  prohibited: Clip[];
  frames: number;
  /** True when the pool was read from the cache (no rendering). */
  cached: boolean;
}

/** One simulated second, rendered: what the pool builder needs from the synthetic generator. */
export interface RenderedFrame {
  png: Uint8Array;
  /** The frame's views (`PoolFrame.rgb`): one per rectangle of `viewRects(monitors, width, height)`, in that order. */
  rgb: Uint8Array;
  width: number;
  height: number;
  /** The monitors the desktop spans (default: one, the whole frame). */
  monitors?: MonitorRect[];
}

export interface SimulatedStep {
  label: 0 | 1;
  kind: string;
  render(): Promise<RenderedFrame>;
}

export interface PoolGenerator {
  /** Changes whenever the generator's output for a seed changes (part of the cache key). */
  version: string;
  /** A fresh simulated session; `next()` is cheap, `render()` is the costly part. */
  session(seed: string): { next(): SimulatedStep };
}

export interface FramePoolOptions {
  /** Cache root, e.g. DATA/demo-pool. */
  cacheDir: string;
  seed: string;
  generator: PoolGenerator;
  /** Sessions in the pool (default 6). */
  sessions?: number;
  /** Most frames rendered per clip: per session, one permitted and one prohibited clip (default 25). */
  clipFrames?: number;
  log?: (line: string) => void;
}

interface IndexFile {
  version: string;
  seed: string;
  clips: { sessionId: string; prohibited: boolean; frames: { file: string; width: number; height: number; monitors: MonitorRect[]; views: number; kind: string }[] }[];
}

/**
 * Layout of the cache folder; part of the cache key. 2: rgb.bin in index order
 * (format 1 wrote it in render order, which gave a session's permitted clip the
 * 50x50 frames of its prohibited run whenever that run came first). 3: each
 * frame's monitor rectangles in index.json (`--score-pool --per-monitor`).
 * 4: a frame is 1..MAX_FRAME_VIEWS views (one per monitor, protocol v3): each
 * frame's view count in index.json, its views one after the other in rgb.bin.
 */
const POOL_FORMAT = 4;
/** Finished pools kept in the cache (tens of MB each): the demo's seeds 1-4 are all re-run without re-rendering. */
export const MAX_CACHED_POOLS = 4;
/** Simulated steps examined per candidate session to find its clips (cheap: no rendering). */
const SCAN_STEPS = 900;
/** Candidate sessions tried before giving up on finding enough with prohibited runs. */
const MAX_CANDIDATES = 200;

export async function loadOrBuildFramePool(o: FramePoolOptions): Promise<FramePool> {
  const sessions = o.sessions ?? 6;
  const perPermitted = o.clipFrames ?? 25;
  const perProhibited = o.clipFrames ?? 25;
  const key = createHash('sha256')
    .update(JSON.stringify([POOL_FORMAT, o.generator.version, o.seed, sessions, perPermitted, perProhibited]))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(o.cacheDir, key);
  const indexPath = path.join(dir, 'index.json');
  if (existsSync(indexPath)) {
    try {
      return await readFramePool(dir);
    } catch (err) {
      o.log?.(`demo: frame pool cache ${dir} unreadable (${(err as Error).message}); rendering again`);
    }
  }
  const log = o.log ?? (() => undefined);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const index: IndexFile = { version: o.generator.version, seed: o.seed, clips: [] };
  const rgbParts: Uint8Array[] = [];
  const started = Date.now();
  let rendered = 0;
  let found = 0;
  for (let c = 0; c < MAX_CANDIDATES && found < sessions; c++) {
    const sessionSeed = `${o.seed}:demo:${c}`;
    const plan = planClips(o.generator.session(sessionSeed), perPermitted, perProhibited);
    // A session without a long enough prohibited run cannot show an episode.
    if (!plan) continue;
    found += 1;
    // Replay the session and render just the planned steps.
    const sim = o.generator.session(sessionSeed);
    const wanted = new Map<number, 'p' | 'x'>([...plan.permitted.map((i) => [i, 'p'] as const), ...plan.prohibited.map((i) => [i, 'x'] as const)]);
    const last = Math.max(...wanted.keys());
    const clips = { p: [] as IndexFile['clips'][number]['frames'], x: [] as IndexFile['clips'][number]['frames'] };
    const clipRgb = { p: [] as Uint8Array[], x: [] as Uint8Array[] };
    const todo: { step: SimulatedStep; which: 'p' | 'x' }[] = [];
    for (let i = 0; i <= last; i++) {
      const step = sim.next();
      const which = wanted.get(i);
      if (which) todo.push({ step, which });
    }
    // One render at a time, never two: librsvg/pango/cairo/fontconfig text
    // rendering is not reliably thread-safe, and two SVG renders at once on
    // libuv threads can crash the process with SIGSEGV (training/synth/README.md).
    for (const t of todo) {
      const r = await t.step.render();
      const monitors = r.monitors ?? [{ x: 0, y: 0, w: r.width, h: r.height }];
      const views = viewRects(monitors, r.width, r.height).length;
      if (r.rgb.length !== views * FRAME_BYTES) {
        throw new Error(`generator gave ${r.rgb.length} bytes for a frame of ${monitors.length} monitor(s), expected ${views} view(s) of ${FRAME_BYTES}`);
      }
      const file = `f${String(rendered).padStart(5, '0')}.png`;
      await writeFile(path.join(tmp, file), r.png);
      clipRgb[t.which].push(r.rgb);
      clips[t.which].push({ file, width: r.width, height: r.height, monitors, views, kind: t.step.kind });
      rendered += 1;
      if (rendered % 25 === 0) log(`demo: rendered ${rendered} pool frames (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    index.clips.push({ sessionId: sessionSeed, prohibited: false, frames: clips.p }, { sessionId: sessionSeed, prohibited: true, frames: clips.x });
    // rgb.bin follows index.json's order (readPool walks it clip by clip), not the render order
    rgbParts.push(...clipRgb.p, ...clipRgb.x);
  }
  if (found === 0) throw new Error('the session simulator produced no session with a prohibited episode');
  await writeFile(path.join(tmp, 'rgb.bin'), Buffer.concat(rgbParts));
  await writeFile(path.join(tmp, 'index.json'), JSON.stringify(index));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  await prunePoolCache(o.cacheDir, key);
  log(`demo: frame pool of ${rendered} frames rendered in ${((Date.now() - started) / 1000).toFixed(1)} s, cached in ${dir}`);
  return { ...(await readPool(dir, index)), cached: false };
}

/**
 * The rectangles of a frame's views, in view order: each monitor, clamped to the
 * frame, left to right (by x, then y), as the agent sends them (protocol v3);
 * the whole frame for a single monitor, and for a desktop of more than
 * MAX_FRAME_VIEWS monitors (the agent then sends the whole desktop as one view).
 */
export function viewRects(monitors: readonly MonitorRect[], width: number, height: number): MonitorRect[] {
  const whole = [{ x: 0, y: 0, w: width, h: height }];
  if (monitors.length < 2 || monitors.length > MAX_FRAME_VIEWS) return whole;
  const rects = monitors
    .map((m) => {
      const x = Math.max(0, m.x);
      const y = Math.max(0, m.y);
      return { x, y, w: Math.min(m.x + m.w, width) - x, h: Math.min(m.y + m.h, height) - y };
    })
    .filter((m) => m.w > 0 && m.h > 0)
    .sort(viewOrder);
  return rects.length > 0 ? rects : whole;
}

/**
 * Pick, from one cheap pass over a session, a run of permitted steps and the
 * steps of its prohibited runs of >= 3 frames. Null when it has none.
 */
function planClips(sim: { next(): SimulatedStep }, perPermitted: number, perProhibited: number): { permitted: number[]; prohibited: number[] } | null {
  const labels: number[] = [];
  for (let i = 0; i < SCAN_STEPS; i++) labels.push(sim.next().label);
  const runs: { label: number; start: number; len: number }[] = [];
  for (let i = 0; i < labels.length; i++) {
    const prev = runs[runs.length - 1];
    if (prev && prev.label === labels[i]) prev.len += 1;
    else runs.push({ label: labels[i], start: i, len: 1 });
  }
  const prohibited: number[] = [];
  for (const r of runs) {
    if (r.label !== 1 || r.len < 3) continue;
    for (let i = r.start; i < r.start + r.len && prohibited.length < perProhibited; i++) prohibited.push(i);
  }
  const longest = runs.filter((r) => r.label === 0).sort((a, b) => b.len - a.len)[0];
  if (prohibited.length < 3 || !longest || longest.len < Math.min(perPermitted, 3)) return null;
  const permitted = Array.from({ length: Math.min(perPermitted, longest.len) }, (_, i) => longest.start + i);
  return { permitted, prohibited };
}

/** Read a pool folder written by loadOrBuildFramePool (its `dir`). */
export async function readFramePool(dir: string): Promise<FramePool> {
  return readPool(dir, JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as IndexFile);
}

async function readPool(dir: string, index: IndexFile): Promise<FramePool> {
  const rgb = new Uint8Array(await readFile(path.join(dir, 'rgb.bin')));
  // rgb.bin must hold exactly the views index.json names, frame after frame
  const allFrames = index.clips.flatMap((c) => c.frames);
  for (const f of allFrames) {
    if (!Number.isInteger(f.views) || f.views < 1 || f.views > MAX_FRAME_VIEWS) {
      throw new Error(`index.json gives frame ${f.file} ${String(f.views)} views, a frame has 1 to ${MAX_FRAME_VIEWS}`);
    }
  }
  const views = allFrames.reduce((n, f) => n + f.views, 0);
  if (rgb.length !== views * FRAME_BYTES) {
    throw new Error(`rgb.bin holds ${rgb.length} bytes, index.json names ${allFrames.length} frames of ${views} views in all (${views * FRAME_BYTES} bytes)`);
  }
  let at = 0;
  let frames = 0;
  const toClip = (c: IndexFile['clips'][number]): Clip => ({
    sessionId: c.sessionId,
    prohibited: c.prohibited,
    frames: c.frames.map((f) => {
      const frame = rgb.subarray(at * FRAME_BYTES, (at + f.views) * FRAME_BYTES);
      at += f.views;
      frames += 1;
      let png: Promise<Uint8Array> | undefined;
      return {
        rgb: frame,
        png: () => (png ??= readFile(path.join(dir, f.file)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength))),
        width: f.width,
        height: f.height,
        monitors: f.monitors,
        kind: f.kind,
      };
    }),
  });
  const clips = index.clips.map(toClip).filter((c) => c.frames.length > 0);
  return {
    dir,
    permitted: clips.filter((c) => !c.prohibited),
    prohibited: clips.filter((c) => c.prohibited),
    frames,
    cached: true,
  };
}

/**
 * Keep the MAX_CACHED_POOLS most recently rendered pools (`keep` among them). A
 * `KEY.tmp-PID` folder is another demo rendering right now (two demos may share
 * a data folder): it is left alone while that process lives, removed once it
 * has died mid-render.
 */
export async function prunePoolCache(cacheDir: string, keep: string): Promise<void> {
  const finished: { name: string; mtime: number }[] = [];
  for (const name of await readdir(cacheDir)) {
    const pid = /\.tmp-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined) {
      if (!processAlive(Number(pid))) await rm(path.join(cacheDir, name), { recursive: true, force: true });
      continue;
    }
    if (name !== keep) finished.push({ name, mtime: (await stat(path.join(cacheDir, name))).mtimeMs });
  }
  finished.sort((a, b) => b.mtime - a.mtime);
  for (const old of finished.slice(MAX_CACHED_POOLS - 1)) await rm(path.join(cacheDir, old.name), { recursive: true, force: true });
}
