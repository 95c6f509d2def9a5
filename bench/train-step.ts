import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../models/backend.js';
import { buildScreenClassifier, parameterCount, WINDOW_FRAMES, type ScreenClassifierArgs } from '../models/screen-classifier.js';
import { makeOptimizer, splitTrainStep } from '../training/fit.js';
import { startGradientPeer } from '../training/data-parallel.js';
import { fastForward } from '../training/fast-forward.js';
import { readHyperFile } from '../training/hyper.js';
import { lossFunction } from '../training/losses.js';
import { median } from './classifier-bench.js';

/**
 * What one training step (forward, gradients, optimiser update on one batch of
 * 3-frame sequences) costs with the training code `labwatch train` runs, so a
 * change to the gradient kernels is measured, not guessed. Data preparation
 * (augmentation, the batch copy) is not included.
 */
export interface TrainStepBenchOptions {
  /** A `--config` JSON file (training/configs/…) or a model folder's metadata.json. */
  config: string;
  /** Steps per repetition; the report gives the median repetition. */
  steps: number;
  reps: number;
  /** 2: every batch split with a worker thread, as `labwatch train --threads 2` (needs the build). */
  threads?: number;
  log?: (line: string) => void;
}

export interface TrainStepReport {
  backend: string;
  config: string;
  architecture: ScreenClassifierArgs;
  parameters: number;
  batchSize: number;
  threads: number;
  msPerStep: number;
  sequencesPerSecond: number;
  /** Per repetition: milliseconds per step. */
  repetitions: number[];
  machine: { cpus: number; loadAverage1m: number; node: string };
  date: string;
}

export async function runTrainStepBench(options: TrainStepBenchOptions): Promise<TrainStepReport> {
  const backend = await initBackend({ log: options.log ?? (() => undefined) });
  const hyper = await readHyperFile(options.config);
  const model = buildScreenClassifier(hyper.model, { seed: 1 });
  const forward = fastForward(model);
  const optimizer = makeOptimizer(hyper.optimizer, hyper.learningRate);
  const lossFn = lossFunction(hyper.loss, hyper.positiveWeight);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const n = hyper.batchSize;
  const x = tf.randomUniform([n, WINDOW_FRAMES, 50, 50, 3], 0, 255, 'float32', 7).round();
  const y = tf.tensor2d(Array.from({ length: n }, (_, i) => i % 2), [n, 1]);
  const threads = options.threads ?? 1;
  const peer = threads > 1 ? startGradientPeer({ model: hyper.model, loss: hyper.loss, positiveWeight: hyper.positiveWeight, seed: 1 }) : undefined;
  if (threads > 1 && !peer) throw new Error('--threads 2 needs the build (npm run build): the worker thread runs compiled JS');
  const half = Math.ceil(n / 2);
  const a = { x: x.slice([0], [half]), y: y.slice([0], [half]) };
  const b = { x: x.slice([half], [n - half]), y: y.slice([half], [n - half]) };
  const step = async () => {
    if (peer) {
      await splitTrainStep(peer, a, b, { forward, lossFn, variables, optimizer, loss: hyper.loss, positiveWeight: hyper.positiveWeight });
      return;
    }
    const cost = optimizer.minimize(() => lossFn(forward(x, true), y), true, variables)!;
    cost.dataSync();
    cost.dispose();
  };
  const repetitions: number[] = [];
  try {
    await step(); // warm-up: kernels compiled, optimiser slots allocated
    for (let r = 0; r < options.reps; r++) {
      const started = performance.now();
      for (let s = 0; s < options.steps; s++) await step();
      repetitions.push((performance.now() - started) / options.steps);
      options.log?.(`repetition ${r + 1}: ${repetitions[r].toFixed(1)} ms per step`);
    }
  } finally {
    await peer?.close();
    tf.dispose([x, y, a.x, a.y, b.x, b.y]);
    optimizer.dispose();
    model.dispose();
  }
  const msPerStep = median(repetitions);
  return {
    backend: backend.name,
    config: options.config,
    architecture: hyper.model,
    parameters: parameterCount(hyper.model),
    batchSize: n,
    threads,
    msPerStep: Math.round(msPerStep * 10) / 10,
    sequencesPerSecond: Math.round((1000 * n) / msPerStep),
    repetitions: repetitions.map((ms) => Math.round(ms * 10) / 10),
    machine: { cpus: os.cpus().length, loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100, node: process.version },
    date: new Date().toISOString(),
  };
}

export function formatTrainStepReport(r: TrainStepReport): string {
  return [
    `training step, ${r.backend} backend, ${r.config} (${r.parameters.toLocaleString('en-US')} parameters), batch ${r.batchSize}, ${r.threads} thread(s)`,
    `  ${r.msPerStep} ms per step (median of ${r.repetitions.length}: ${r.repetitions.join(', ')})`,
    `  ${r.sequencesPerSecond} sequences per second`,
  ].join('\n');
}
