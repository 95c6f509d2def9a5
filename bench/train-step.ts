import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../models/backend.js';
import { buildScreenClassifier, parameterCount, WINDOW_FRAMES, type ScreenClassifierArgs } from '../models/screen-classifier.js';
import { makeOptimizer } from '../training/fit.js';
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
  log?: (line: string) => void;
}

export interface TrainStepReport {
  backend: string;
  config: string;
  architecture: ScreenClassifierArgs;
  parameters: number;
  batchSize: number;
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
  const step = () => {
    const cost = optimizer.minimize(() => lossFn(forward(x, true), y), true, variables)!;
    cost.dataSync();
    cost.dispose();
  };
  const repetitions: number[] = [];
  try {
    step(); // warm-up: kernels compiled, optimiser slots allocated
    for (let r = 0; r < options.reps; r++) {
      const started = performance.now();
      for (let s = 0; s < options.steps; s++) step();
      repetitions.push((performance.now() - started) / options.steps);
      options.log?.(`repetition ${r + 1}: ${repetitions[r].toFixed(1)} ms per step`);
    }
  } finally {
    tf.dispose([x, y]);
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
    msPerStep: Math.round(msPerStep * 10) / 10,
    sequencesPerSecond: Math.round((1000 * n) / msPerStep),
    repetitions: repetitions.map((ms) => Math.round(ms * 10) / 10),
    machine: { cpus: os.cpus().length, loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100, node: process.version },
    date: new Date().toISOString(),
  };
}

export function formatTrainStepReport(r: TrainStepReport): string {
  return [
    `training step, ${r.backend} backend, ${r.config} (${r.parameters.toLocaleString('en-US')} parameters), batch ${r.batchSize}`,
    `  ${r.msPerStep} ms per step (median of ${r.repetitions.length}: ${r.repetitions.join(', ')})`,
    `  ${r.sequencesPerSecond} sequences per second`,
  ].join('\n');
}
