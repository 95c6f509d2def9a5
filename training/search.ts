import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { convPlan, DEFAULT_ARGS, TABLE1_SPACE, validateArgs, type ScreenClassifierArgs } from '../models/screen-classifier.js';
import { FRAME_CHANNELS } from '../models/preprocess.js';
import { makeRng } from './augment.js';
import type { LoadedDataset, SequenceSet } from './data.js';
import { TRAIN_SPACE, type EpochRecord, type TrainHyper } from './fit.js';

/**
 * Random search over Table 1 (model) x the optimiser space, each trial a short
 * search-mode fit (early stopping on validation F2, patience 2), run in parallel
 * on worker threads (one wasm backend each).
 */
export interface TrialResult {
  trial: number;
  hyper: TrainHyper;
  valF2: number;
  threshold: number;
  bestEpoch: number;
  epochs: number;
  seconds: number;
  stopReason: string;
  history: EpochRecord[];
  error?: string;
}

export interface TrialJob {
  trial: number;
  hyper: TrainHyper;
  seed: number;
  maxEpochs: number;
  maxSamplesPerEpoch?: number;
}

/**
 * Multiply-adds per new frame in the assistant (CNN plus the RNN input
 * projection, which the incremental scheme computes once per frame): what bounds
 * its frames/s, and roughly what a training sample costs.
 */
export function frameCostMacs(args: ScreenClassifierArgs): number {
  const plan = convPlan(args);
  let inCh: number = FRAME_CHANNELS;
  let macs = 0;
  plan.filters.forEach((f, i) => {
    const [h, w] = plan.blockShapes[i];
    const convH = args.pooling ? h * 2 : h;
    const convW = args.pooling ? w * 2 : w;
    macs += convH * convW * args.kernelSize * args.kernelSize * inCh * f;
    inCh = f;
  });
  const gates = args.rnnType === 'lstm' ? 4 : 3;
  return macs + plan.frameFeatures * gates * args.rnnUnits;
}

/** Per-frame CNN cost cap for search candidates (keeps >= 5,000 new frames/s on one core realistic). */
export const MAX_FRAME_MACS = 600_000;

/**
 * `n` trial configurations: the first is the fast default, the rest drawn
 * uniformly from the spaces, skipping invalid or too slow architectures.
 */
export function sampleTrials(n: number, seed: number, positiveWeight = 2): TrainHyper[] {
  const rng = makeRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const trials: TrainHyper[] = [{ model: DEFAULT_ARGS, optimizer: 'adam', learningRate: 0.001, batchSize: 32, loss: 'bce', positiveWeight }];
  const seen = new Set(trials.map((t) => JSON.stringify(t)));
  for (let attempts = 0; trials.length < n && attempts < 10_000; attempts++) {
    const raw = Object.fromEntries(Object.entries(TABLE1_SPACE).map(([k, values]) => [k, pick(values as readonly unknown[])]));
    let model: ScreenClassifierArgs;
    try {
      model = validateArgs(raw as Partial<ScreenClassifierArgs>);
    } catch {
      continue;
    }
    if (frameCostMacs(model) > MAX_FRAME_MACS) continue;
    const hyper: TrainHyper = {
      model,
      optimizer: pick(TRAIN_SPACE.optimizer),
      learningRate: pick(TRAIN_SPACE.learningRate),
      batchSize: pick(TRAIN_SPACE.batchSize),
      loss: pick(TRAIN_SPACE.loss),
      positiveWeight,
    };
    const key = JSON.stringify(hyper);
    if (seen.has(key)) continue;
    seen.add(key);
    trials.push(hyper);
  }
  return trials;
}

export interface SearchOptions {
  train: SequenceSet;
  validation: SequenceSet;
  trials: TrainHyper[];
  seed: number;
  maxEpochs: number;
  maxSamplesPerEpoch?: number;
  /** Parallel workers (<= 2 on this machine); 0 runs trials in this thread. */
  workers: number;
  onResult?: (result: TrialResult) => void;
}

const WORKER_FILE = fileURLToPath(new URL('./search-worker.js', import.meta.url));

/** Run every trial; results sorted best first (validation F2, then fewer seconds). */
export async function runSearch(options: SearchOptions): Promise<TrialResult[]> {
  const jobs: TrialJob[] = options.trials.map((hyper, trial) => ({
    trial,
    hyper,
    seed: options.seed + trial,
    maxEpochs: options.maxEpochs,
    maxSamplesPerEpoch: options.maxSamplesPerEpoch,
  }));
  // Workers run compiled JS; from TypeScript sources (tests) trials run in-process.
  const useWorkers = options.workers > 0 && existsSync(WORKER_FILE);
  const results = useWorkers ? await runInWorkers(jobs, options) : await runInProcess(jobs, options);
  return results.sort((a, b) => b.valF2 - a.valF2 || a.seconds - b.seconds);
}

async function runInProcess(jobs: TrialJob[], options: SearchOptions): Promise<TrialResult[]> {
  const { runTrial } = await import('./search-trial.js');
  const results: TrialResult[] = [];
  for (const job of jobs) {
    const r = await runTrial(job, options.train, options.validation);
    options.onResult?.(r);
    results.push(r);
  }
  return results;
}

/** Shared view of the data for workers: frames live once in shared memory. */
export interface WorkerData {
  frames: Uint8Array;
  frameCount: number;
  seqFrames: Int32Array;
  labels: Uint8Array;
  trainIndex: Int32Array;
  validationIndex: Int32Array;
}

function sharedCopy(data: LoadedDataset): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(data.frames.byteLength));
  shared.set(data.frames);
  return shared;
}

async function runInWorkers(jobs: TrialJob[], options: SearchOptions): Promise<TrialResult[]> {
  const data = options.train.data;
  const workerData: WorkerData = {
    frames: sharedCopy(data),
    frameCount: data.frameCount,
    seqFrames: data.seqFrames,
    labels: data.labels,
    trainIndex: options.train.index,
    validationIndex: options.validation.index,
  };
  const queue = [...jobs];
  const results: TrialResult[] = [];
  const count = Math.min(options.workers, jobs.length);
  await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(WORKER_FILE, { workerData });
        const next = () => {
          const job = queue.shift();
          if (job) worker.postMessage(job);
          else void worker.terminate().then(() => resolve());
        };
        worker.on('message', (r: TrialResult) => {
          options.onResult?.(r);
          results.push(r);
          next();
        });
        worker.on('error', reject);
        worker.on('online', next);
      }),
    ),
  );
  return results;
}

const COLUMNS = ['rank', 'trial', 'val_f2', 'threshold', 'best_epoch', 'epochs', 'seconds', 'optimizer', 'lr', 'batch', 'loss', 'conv', 'filters', 'kernel', 'strides', 'act', 'pool', 'rnn', 'rnn_act', 'units', 'dropout', 'dense', 'dense_units', 'frame_macs', 'stop'];

function row(r: TrialResult, rank: number): (string | number)[] {
  const m = r.hyper.model;
  return [
    rank, r.trial, r.valF2.toFixed(4), r.threshold.toFixed(4), r.bestEpoch + 1, r.epochs, r.seconds.toFixed(0),
    r.hyper.optimizer, r.hyper.learningRate, r.hyper.batchSize, r.hyper.loss,
    m.convLayers, m.firstFilters, m.kernelSize, m.strides, m.convActivation, m.pooling ? 'yes' : 'no',
    m.rnnType, m.rnnActivation, m.rnnUnits, m.dropout, m.denseLayers, m.denseUnits, frameCostMacs(m), r.error ? `error: ${r.error}` : r.stopReason,
  ];
}

/** search-results.csv and search-results.md in `outDir`, best trial first. */
export async function writeSearchTable(outDir: string, results: TrialResult[]): Promise<{ csv: string; md: string }> {
  await mkdir(outDir, { recursive: true });
  const rows = results.map((r, i) => row(r, i + 1));
  const csvCell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const csv = [COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
  const md = [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map((v) => String(v).replace(/\|/g, '/')).join(' | ')} |`),
  ].join('\n') + '\n';
  const files = { csv: path.join(outDir, 'search-results.csv'), md: path.join(outDir, 'search-results.md') };
  await writeFile(files.csv, csv);
  await writeFile(files.md, `# Hyperparameter search\n\nValidation F2 at the validation-optimal threshold; best first.\n\n${md}`);
  return files;
}
