import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { isLabwatchError } from '../core/errors.js';
import { defaultModelDir } from '../core/paths.js';
import { initBackend } from '../models/backend.js';
import { IncrementalClassifier, type FrameFeatures } from '../models/incremental-classifier.js';
import { loadScreenModel } from '../models/model-io.js';
import { FRAME_BYTES } from '../models/preprocess.js';
import { buildScreenClassifier, DEFAULT_ARGS, parameterCount, WINDOW_FRAMES, type ScreenClassifierArgs } from '../models/screen-classifier.js';

/**
 * Classifier throughput in *new frames per second*: with one frame per student
 * per second, this is how many students one core can watch. Three ways to
 * classify a student's newest window:
 *  - full-conv3d: the training-form model's predict on the whole window;
 *  - full-conv2d: the same window through the time-folded Conv2D CNN (3 CNN passes);
 *  - incremental: one CNN pass for the new frame, the two older ones cached,
 *    then three recurrent steps (what the assistant does).
 */
export const METHODS = ['full-conv3d', 'full-conv2d', 'incremental'] as const;
export type Method = (typeof METHODS)[number];

export interface BenchOptions {
  /** Model folder; when it holds no model, DEFAULT_ARGS with random weights is used. */
  modelDir?: string;
  batchSizes: number[];
  methods?: Method[];
  warmupMs: number;
  repMs: number;
  reps: number;
  /** Progress lines (stderr by default in run.ts). */
  log?: (line: string) => void;
}

export interface BenchRow {
  method: Method;
  batch: number;
  /** Median over the repetitions, per wall-clock second. */
  framesPerSecond: number;
  /** Median per second of this process's CPU time: what one dedicated core would do on a busy machine. */
  framesPerCpuSecond: number;
  /** Median wall-clock milliseconds per call of `batch` new frames. */
  msPerBatch: number;
  repetitions: Measurement[];
}

export interface Measurement {
  wallFps: number;
  cpuFps: number;
}

export interface BenchReport {
  backend: string;
  /** Whether the wasm backend may use threads (it cannot in Node: one core). */
  wasmThreads: boolean;
  wasmSimd: boolean;
  model: { source: 'shipped' | 'random-default'; dir: string; parameters: number; architecture: ScreenClassifierArgs; note?: string };
  rows: BenchRow[];
  settings: { warmupMs: number; repMs: number; reps: number };
  machine: {
    cpus: number;
    cpuModel: string;
    loadAverage1m: number;
    node: string;
    /** Wall-clock speed of a fixed plain-JS multiply-add loop during the run: compare runs to see how contended the machine was. */
    referenceMacPerSecond: number;
  };
  date: string;
}

export async function runClassifierBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => undefined);
  const backend = await initBackend({ log });
  const dir = options.modelDir ?? defaultModelDir();
  let model: tf.LayersModel;
  let source: BenchReport['model']['source'] = 'shipped';
  let architecture: ScreenClassifierArgs = DEFAULT_ARGS;
  let threshold = 0.5;
  let note: string | undefined;
  try {
    const loaded = await loadScreenModel(dir);
    model = loaded.model;
    architecture = loaded.metadata.architecture;
    threshold = loaded.metadata.threshold;
  } catch (err) {
    if (!isLabwatchError(err, 'LABWATCH_ERR_MODEL_NOT_FOUND')) throw err;
    source = 'random-default';
    note = `no model in ${dir}: DEFAULT_ARGS with random weights (same cost as a trained model of that architecture)`;
    log(note);
    model = buildScreenClassifier(DEFAULT_ARGS, { seed: 1 });
  }
  const clf = await IncrementalClassifier.fromModel(model, { threshold }, { maxBatch: Math.max(...options.batchSizes) });
  const maxBatch = Math.max(...options.batchSizes);
  const pool = randomFrames(maxBatch * WINDOW_FRAMES, 12345);
  const rows: BenchRow[] = [];
  const referenceBefore = referenceSpeed();
  try {
    for (const method of options.methods ?? METHODS) {
      for (const batch of options.batchSizes) {
        const step = makeStep(method, batch, pool, model, clf);
        const reps = measure(step, batch, options);
        const fps = median(reps.map((r) => r.wallFps));
        const cpuFps = median(reps.map((r) => r.cpuFps));
        rows.push({
          method,
          batch,
          framesPerSecond: Math.round(fps),
          framesPerCpuSecond: Math.round(cpuFps),
          msPerBatch: round3((1000 * batch) / fps),
          repetitions: reps.map((r) => ({ wallFps: Math.round(r.wallFps), cpuFps: Math.round(r.cpuFps) })),
        });
        log(`${method} batch ${batch}: ${Math.round(fps)} new frames/s (${Math.round(cpuFps)} per CPU second)`);
      }
    }
  } finally {
    clf.dispose();
    model.dispose();
  }
  return {
    backend: backend.name,
    wasmThreads: backend.name === 'wasm' && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
    wasmSimd: backend.name === 'wasm' && tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    model: { source, dir, parameters: parameterCount(architecture), architecture, note },
    rows,
    settings: { warmupMs: options.warmupMs, repMs: options.repMs, reps: options.reps },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      loadAverage1m: round3(os.loadavg()[0]),
      node: process.version,
      referenceMacPerSecond: Math.round((referenceBefore + referenceSpeed()) / 2),
    },
    date: new Date().toISOString(),
  };
}

/** A function that classifies `batch` new frames (one per student) once. */
function makeStep(method: Method, batch: number, pool: Uint8Array[], model: tf.LayersModel, clf: IncrementalClassifier): () => void {
  const windows = Array.from({ length: batch }, (_, i) => pool.slice(i * WINDOW_FRAMES, (i + 1) * WINDOW_FRAMES));
  if (method === 'full-conv3d') {
    return () => {
      const flat = new Float32Array(batch * WINDOW_FRAMES * FRAME_BYTES);
      windows.forEach((w, i) => w.forEach((f, t) => flat.set(f, (i * WINDOW_FRAMES + t) * FRAME_BYTES)));
      const x = tf.tensor5d(flat, [batch, WINDOW_FRAMES, 50, 50, 3]);
      const y = model.predict(x) as tf.Tensor;
      y.dataSync();
      tf.dispose([x, y]);
    };
  }
  if (method === 'full-conv2d') return () => void clf.scoreSequences(windows);
  // Incremental: the two older frames of every window were embedded on earlier ticks.
  const older = clf.embedFrames(windows.flatMap((w) => w.slice(0, 2)));
  const newest = windows.map((w) => w[2]);
  return () => {
    const fresh = clf.embedFrames(newest);
    clf.scoreWindows(fresh.map((f, i): FrameFeatures[] => [older[2 * i], older[2 * i + 1], f]));
  };
}

/** Frames per wall-clock and per CPU second of each repetition, after a warm-up. */
export function measure(step: () => void, framesPerStep: number, options: Pick<BenchOptions, 'warmupMs' | 'repMs' | 'reps'>): Measurement[] {
  const until = performance.now() + options.warmupMs;
  do step(); while (performance.now() < until);
  const reps: Measurement[] = [];
  for (let r = 0; r < options.reps; r++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let frames = 0;
    let now = start;
    do {
      step();
      frames += framesPerStep;
      now = performance.now();
    } while (now - start < options.repMs);
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = Math.max((cpu.user + cpu.system) / 1000, 1e-3);
    reps.push({ wallFps: (frames * 1000) / (now - start), cpuFps: (frames * 1000) / cpuMs });
  }
  return reps;
}

/** Wall-clock multiply-adds per second of a fixed plain-JS loop (30 ms warm-up, 100 ms timed). */
export function referenceSpeed(): number {
  const a = new Float64Array(1024).fill(1.0001);
  const b = new Float64Array(1024).fill(0.5);
  const chunk = () => {
    let sum = 0;
    for (let i = 0; i < 1024; i++) sum += a[i] * b[i];
    return sum;
  };
  const run = (ms: number) => {
    let n = 0;
    let sink = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      for (let r = 0; r < 64; r++) sink += chunk();
      n += 64 * 1024;
    }
    if (sink < 0) throw new Error('unreachable');
    return (n * 1000) / (performance.now() - start);
  };
  run(30);
  return run(100);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Distinct pseudo-random screens (blocks of colour plus noise), generated once. */
function randomFrames(n: number, seed: number): Uint8Array[] {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: n }, () => {
    const f = new Uint8Array(FRAME_BYTES);
    const split = Math.floor(rand() * 50);
    const colours = [rand() * 255, rand() * 255];
    for (let p = 0; p < FRAME_BYTES; p++) {
      const x = Math.floor(p / 3) % 50;
      f[p] = Math.min(255, Math.max(0, Math.round((x < split ? colours[0] : colours[1]) + (rand() - 0.5) * 40)));
    }
    return f;
  });
}

/** The report as a fixed-width table. */
export function formatReport(report: BenchReport): string {
  const batches = [...new Set(report.rows.map((r) => r.batch))];
  const methods = [...new Set(report.rows.map((r) => r.method))];
  const table = (title: string, pick: (r: BenchRow) => number) => {
    const head = [title, ...batches.map((b) => `batch ${b}`)];
    const body = methods.map((m) => [m, ...batches.map((b) => {
      const row = report.rows.find((r) => r.method === m && r.batch === b);
      return row ? String(pick(row)) : '-';
    })]);
    const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i].length)));
    const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    return [line(head), ...body.map(line)];
  };
  const m = report.model;
  return [
    `labwatch classifier benchmark — new frames classified per second (median of ${report.settings.reps} x ${report.settings.repMs} ms after ${report.settings.warmupMs} ms warm-up)`,
    `backend: ${report.backend}${report.backend === 'wasm' ? ` (SIMD ${report.wasmSimd ? 'on' : 'off'}, threads ${report.wasmThreads ? 'on' : 'off: one core'})` : ''}`,
    `model: ${m.source === 'shipped' ? `shipped model ${m.dir}` : 'NOT TRAINED — DEFAULT_ARGS with random weights'} (${m.parameters} parameters, ${m.architecture.convLayers} conv x ${m.architecture.firstFilters}+ filters, ${m.architecture.rnnType.toUpperCase()} ${m.architecture.rnnUnits})`,
    `machine: ${report.machine.cpus} cpu(s) ${report.machine.cpuModel}, load average ${report.machine.loadAverage1m}, node ${report.machine.node}, plain-JS reference ${(report.machine.referenceMacPerSecond / 1e9).toFixed(2)} G multiply-adds/s (lower = more contended machine)`,
    '',
    ...table('new frames / wall s', (r) => r.framesPerSecond),
    '',
    ...table('new frames / CPU s', (r) => r.framesPerCpuSecond),
    '',
    'full-conv3d: training-form model.predict on whole 3-frame windows; full-conv2d: whole windows, time-folded Conv2D CNN;',
    'incremental: one CNN pass per new frame + three recurrent steps (what the assistant runs).',
  ].join('\n');
}
