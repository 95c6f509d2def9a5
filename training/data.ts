import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, readDataset } from '../core/dataset/manifest.js';
import { lwError } from '../core/errors.js';
import { FRAME_BYTES, PREPROCESS_VERSION, preprocessScreen } from '../models/preprocess.js';

/**
 * A dataset in memory: every unique frame file decoded once (through the
 * preprocessing contract) into one big uint8 buffer, and sequences as triples of
 * indices into it. Overlapping windows share frames, so this is ~3x smaller than
 * storing windows.
 */
export interface LoadedDataset {
  dir: string;
  /** Unique frames, FRAME_BYTES each, 50x50 RGB HWC uint8. */
  frames: Uint8Array;
  frameCount: number;
  /** For sequence i, frame indices at [3i, 3i+1, 3i+2], oldest first. */
  seqFrames: Int32Array;
  labels: Uint8Array;
  sequenceIds: string[];
  /** Session each sequence belongs to (session_id, else student_id, else its own id). */
  sessions: string[];
  /** The `split` column ('' when absent). */
  splitColumn: string[];
  /** The `source` column ('' when absent): what the sequence shows, for error breakdowns. */
  sources: string[];
  /** The `prohibited_screen_share` column ('' when absent): screen share of the largest visible prohibited window. */
  prohibitedScreenShares: string[];
  /** sha256 over the manifest and the decoded frames' source files; identifies the data. */
  hash: string;
  /** True when the frames came from the .cache file. */
  fromCache: boolean;
}

/** A view on some sequences of a LoadedDataset (the frames are shared, not copied). */
export interface SequenceSet {
  data: LoadedDataset;
  /** Indices of the sequences in `data`. */
  index: Int32Array;
}

export interface LoadOptions {
  /** Parallel decodes (sharp runs them on libuv's thread pool). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** Write/read the .cache file (default true). */
  cache?: boolean;
}

const CACHE_DIR = '.cache';

/**
 * Load DATASET into memory. The decoded frames are cached in DATASET/.cache/ keyed
 * by a hash of the manifest, every frame file's size and mtime and the
 * preprocessing version, so a rerun on unchanged data skips all decoding.
 */
export async function loadDataset(dir: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const dataset = await readDataset(dir);
  const manifestText = await readFile(path.join(dir, MANIFEST_FILE));
  const uniquePaths: string[] = [];
  const frameIndex = new Map<string, number>();
  const seqFrames = new Int32Array(dataset.rows.length * 3);
  dataset.rows.forEach((row, i) => {
    row.frames.forEach((f, k) => {
      const key = path.normalize(f);
      let idx = frameIndex.get(key);
      if (idx === undefined) {
        idx = uniquePaths.length;
        uniquePaths.push(key);
        frameIndex.set(key, idx);
      }
      seqFrames[3 * i + k] = idx;
    });
  });

  const hasher = createHash('sha256');
  hasher.update(PREPROCESS_VERSION).update('\0').update(manifestText);
  const stats = await mapPool(uniquePaths, 64, (f) => stat(path.join(dir, f)));
  uniquePaths.forEach((f, i) => hasher.update(`\0${f}:${stats[i].size}:${Math.floor(stats[i].mtimeMs)}`));
  const hash = hasher.digest('hex');

  const cacheFile = path.join(dir, CACHE_DIR, `frames-${hash.slice(0, 24)}.bin`);
  const useCache = options.cache ?? true;
  let frames: Uint8Array | undefined;
  let fromCache = false;
  if (useCache && existsSync(cacheFile)) {
    const buf = await readFile(cacheFile);
    if (buf.length === uniquePaths.length * FRAME_BYTES) {
      frames = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      fromCache = true;
    }
  }
  if (!frames) {
    frames = new Uint8Array(uniquePaths.length * FRAME_BYTES);
    const out = frames;
    let done = 0;
    await mapPool(uniquePaths, options.concurrency ?? 8, async (f, i) => {
      const file = path.join(dir, f);
      let pixels: Uint8Array;
      try {
        pixels = await preprocessScreen(await readFile(file));
      } catch (err) {
        throw lwError('LABWATCH_ERR_DATASET_BAD_IMAGE', { path: file, reason: (err as Error).message }, err);
      }
      out.set(pixels, i * FRAME_BYTES);
      done++;
      if (options.onProgress && (done % 200 === 0 || done === uniquePaths.length)) options.onProgress(done, uniquePaths.length);
    });
    if (useCache) await writeCache(cacheFile, out);
  }

  const rows = dataset.rows;
  return {
    dir,
    frames,
    frameCount: uniquePaths.length,
    seqFrames,
    labels: Uint8Array.from(rows, (r) => r.label),
    sequenceIds: rows.map((r) => r.sequenceId),
    sessions: rows.map((r) => r.extra.session_id || r.extra.student_id || r.sequenceId),
    splitColumn: rows.map((r) => (r.extra.split ?? '').trim()),
    sources: rows.map((r) => r.extra.source ?? ''),
    prohibitedScreenShares: rows.map((r) => (r.extra.prohibited_screen_share ?? '').trim()),
    hash,
    fromCache,
  };
}

async function writeCache(file: string, frames: Uint8Array): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, frames);
    await rename(tmp, file);
  } catch {
    // A read-only dataset folder only costs the next run a re-decode.
  }
}

/** Run `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapPool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function allSequences(data: LoadedDataset): SequenceSet {
  return { data, index: Int32Array.from(data.labels, (_, i) => i) };
}

export function subset(set: SequenceSet, keep: (seq: number) => boolean): SequenceSet {
  return { data: set.data, index: set.index.filter((i) => keep(i)) };
}

export function countLabels(set: SequenceSet): { negatives: number; positives: number } {
  let positives = 0;
  for (const i of set.index) positives += set.data.labels[i];
  return { negatives: set.index.length - positives, positives };
}

/**
 * One LoadedDataset holding several (e.g. synthetic plus recorded real screens),
 * so a training set can draw from all of them. Sessions are prefixed with their
 * dataset's folder so equal ids in different datasets stay apart.
 */
export function mergeDatasets(parts: LoadedDataset[]): LoadedDataset {
  if (parts.length === 1) return parts[0];
  const frameCount = parts.reduce((a, p) => a + p.frameCount, 0);
  const frames = new Uint8Array(frameCount * FRAME_BYTES);
  const seqFrames = new Int32Array(parts.reduce((a, p) => a + p.seqFrames.length, 0));
  let frameBase = 0;
  let seqBase = 0;
  for (const p of parts) {
    frames.set(p.frames.subarray(0, p.frameCount * FRAME_BYTES), frameBase * FRAME_BYTES);
    for (let i = 0; i < p.seqFrames.length; i++) seqFrames[seqBase + i] = p.seqFrames[i] + frameBase;
    frameBase += p.frameCount;
    seqBase += p.seqFrames.length;
  }
  const hasher = createHash('sha256');
  for (const p of parts) hasher.update(p.hash);
  return {
    dir: parts.map((p) => p.dir).join('+'),
    frames,
    frameCount,
    seqFrames,
    labels: Uint8Array.from(parts.flatMap((p) => Array.from(p.labels))),
    sequenceIds: parts.flatMap((p) => p.sequenceIds.map((id) => `${p.dir}:${id}`)),
    sessions: parts.flatMap((p) => p.sessions.map((s) => `${p.dir}:${s}`)),
    splitColumn: parts.flatMap((p) => p.splitColumn),
    sources: parts.flatMap((p) => p.sources),
    prohibitedScreenShares: parts.flatMap((p) => p.prohibitedScreenShares),
    hash: hasher.digest('hex'),
    fromCache: parts.every((p) => p.fromCache),
  };
}
