import * as tf from '@tensorflow/tfjs';
import { FRAME_BYTES } from '../models/preprocess.js';
import { buildScreenClassifier, type ScreenClassifierArgs } from '../models/screen-classifier.js';
import { applyTransform, DEFAULT_AUGMENT, IDENTITY, makeRng, randomTransform } from './augment.js';
import type { SequenceSet } from './data.js';
import { fastForward, type Forward } from './fast-forward.js';
import { LOSS_NAMES, lossFunction, type LossName } from './losses.js';
import { bestThreshold } from './metrics.js';
import { marginThreshold } from './threshold.js';
import { undersample } from './sampling.js';
import { combineGradients, lossNormaliser, startGradientPeer, type GradientPeer } from './data-parallel.js';
import { finalDecision, searchDecision, type EpochScore } from './schedule.js';

/** Training hyperparameters (the optimiser part of Table 1) around the model's own args. */
export const OPTIMIZERS = ['adam', 'rmsprop', 'adamax'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const TRAIN_SPACE = {
  optimizer: OPTIMIZERS,
  learningRate: [0.003, 0.001, 0.0003],
  batchSize: [16, 32, 64],
  loss: LOSS_NAMES,
} as const;

export interface TrainHyper {
  model: ScreenClassifierArgs;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  loss: LossName;
  /** Weight of the prohibited class in the loss (the paper's 2). */
  positiveWeight: number;
}

export interface EpochRecord extends EpochScore {
  epoch: number;
  trainLoss: number;
  /** Validation F2 at the validation-optimal threshold, and that threshold. */
  valThreshold: number;
  learningRate: number;
  samples: number;
  seconds: number;
}

export interface FitOptions {
  hyper: TrainHyper;
  train: SequenceSet;
  validation: SequenceSet;
  /** search: early stopping on val F2 (patience 2, max 10); final: loss-rise stop, LR cuts. */
  mode: 'search' | 'final';
  maxEpochs?: number;
  seed?: number;
  augment?: boolean;
  /** Probability that each of the six augmentations is on for a sequence (default 0.5). */
  augmentProbability?: number;
  /** Cap on the (balanced) samples per epoch; a fresh subset each epoch. */
  maxSamplesPerEpoch?: number;
  /** Stop after the epoch that passes this time (ms since epoch), keeping the best checkpoint. */
  deadline?: number;
  onBatch?: (done: number, total: number, loss: number) => void;
  onEpoch?: (record: EpochRecord) => void;
  /** Start from these weights (a saved model of the same architecture) instead of a fresh initialisation. */
  initWeights?: tf.Tensor[];
  /** When aborted, stop after the current epoch and keep the best checkpoint, as the time budget does. */
  stop?: AbortSignal;
  /** 2: split every batch with a worker thread (training/data-parallel.ts); 1 (default): this thread only. */
  threads?: number;
  /** Told once whether the batches are split across threads, and why not when asked to. */
  onThreads?: (line: string) => void;
}

export interface FitResult {
  model: tf.LayersModel;
  history: EpochRecord[];
  bestEpoch: number;
  stopReason: string;
  /** Threshold maximising F2 on validation, for the kept checkpoint. */
  threshold: number;
  valF2: number;
  valScores: Float32Array;
  /** Threads the batches were split across: 1 when the worker could not start (TypeScript sources). */
  threads: number;
}

export async function fit(options: FitOptions): Promise<FitResult> {
  const { hyper, train, validation, mode } = options;
  const seed = options.seed ?? 1;
  const rng = makeRng(seed);
  const maxEpochs = options.maxEpochs ?? (mode === 'search' ? 10 : 30);
  const model = buildScreenClassifier(hyper.model, { seed });
  if (options.initWeights) model.setWeights(options.initWeights);
  const forward = fastForward(model);
  const optimizer = makeOptimizer(hyper.optimizer, hyper.learningRate);
  const lossFn = lossFunction(hyper.loss, hyper.positiveWeight);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const history: EpochRecord[] = [];
  let best: { weights: tf.Tensor[]; scores: Float32Array; epoch: number } | undefined;
  let stopReason = '';
  let learningRate = hyper.learningRate;
  const peer = (options.threads ?? 1) > 1 ? startGradientPeer({ model: hyper.model, loss: hyper.loss, positiveWeight: hyper.positiveWeight, seed }) : undefined;
  if ((options.threads ?? 1) > 1) options.onThreads?.(peer ? 'training on 2 threads: each batch split with a worker thread' : 'training on 1 thread: the worker thread runs compiled JS only (npm run build)');
  try {

    for (let epoch = 0; ; epoch++) {
      const started = Date.now();
      let order = undersample(train.index, train.data.labels, rng);
      if (options.maxSamplesPerEpoch && order.length > options.maxSamplesPerEpoch) order = order.subarray(0, options.maxSamplesPerEpoch);
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start < order.length; start += hyper.batchSize) {
        const ids = order.subarray(start, Math.min(start + hyper.batchSize, order.length));
        let value: number;
        if (peer && ids.length >= 2) {
          const half = Math.ceil(ids.length / 2);
          const a = makeBatch(train, ids.subarray(0, half), options.augment ?? true, rng, options.augmentProbability);
          const b = makeBatch(train, ids.subarray(half), options.augment ?? true, rng, options.augmentProbability);
          value = await splitTrainStep(peer, a, b, { forward, lossFn, variables, optimizer, loss: hyper.loss, positiveWeight: hyper.positiveWeight });
          tf.dispose([a.x, a.y, b.x, b.y]);
        } else {
          const { x, y } = makeBatch(train, ids, options.augment ?? true, rng, options.augmentProbability);
          const cost = optimizer.minimize(() => lossFn(forward(x, true), y), true, variables);
          value = (await cost!.data())[0];
          tf.dispose([x, y, cost!]);
        }
        lossSum += value;
        batches++;
        options.onBatch?.(Math.min(start + ids.length, order.length), order.length, lossSum / batches);
      }
      const scores = predictScores(forward, validation);
      const labels = labelsOf(validation);
      const valLoss = jsLoss(hyper.loss, scores, labels, hyper.positiveWeight);
      const bt = bestThreshold(scores, labels, 2);
      const record: EpochRecord = {
        epoch,
        trainLoss: batches ? lossSum / batches : 0,
        valLoss,
        valF2: bt.fBeta,
        valThreshold: bt.threshold,
        learningRate,
        samples: order.length,
        seconds: (Date.now() - started) / 1000,
      };
      history.push(record);
      options.onEpoch?.(record);

      const decision = mode === 'search' ? searchDecision(history, 2, maxEpochs) : finalDecision(history, 3, maxEpochs, 0.2);
      if (decision.bestEpoch === epoch) {
        best?.weights.forEach((w) => w.dispose());
        best = { weights: model.getWeights().map((w) => w.clone()), scores, epoch };
      }
      if (decision.lrFactor !== 1) {
        learningRate = Math.max(learningRate * decision.lrFactor, 1e-5);
        setLearningRate(optimizer, learningRate);
      }
      if (decision.stop) {
        stopReason = decision.reason ?? 'stopped';
        break;
      }
      if (options.deadline && Date.now() > options.deadline) {
        stopReason = 'time budget used up';
        break;
      }
      // wasm's data() resolves without leaving the microtask queue, so a signal
      // handler (Ctrl-C) only runs if the loop yields to the event loop
      await new Promise((resolve) => setImmediate(resolve));
      if (options.stop?.aborted) {
        stopReason = 'interrupted (Ctrl-C)';
        break;
      }
    }
  } finally {
    await peer?.close();
  }
  optimizer.dispose();
  model.setWeights(best!.weights);
  best!.weights.forEach((w) => w.dispose());
  const bt = marginThreshold(best!.scores, labelsOf(validation), 2);
  return { model, history, bestEpoch: best!.epoch, stopReason, threshold: bt.threshold, valF2: bt.fBeta, valScores: best!.scores, threads: peer ? 2 : 1 };
}

export interface SplitStepModel {
  forward: Forward;
  lossFn: (p: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  loss: LossName;
  positiveWeight: number;
}

type Batch = { x: tf.Tensor; y: tf.Tensor };

/**
 * One optimizer step on a batch given as two halves: `b`'s gradients come from
 * the worker while this thread computes `a`'s. Returns the batch's loss; the
 * caller keeps ownership of the tensors.
 */
export async function splitTrainStep(peer: GradientPeer, a: Batch, b: Batch, m: SplitStepModel): Promise<number> {
  const yA = a.y.dataSync() as Float32Array;
  const yB = b.y.dataSync() as Float32Array;
  // posted first, so the worker computes its half while this thread computes the other
  const remote = peer.gradients({ weights: m.variables.map((v) => v.dataSync() as Float32Array), x: b.x.dataSync() as Float32Array, xShape: b.x.shape, y: yB });
  const local = tf.variableGrads(() => m.lossFn(m.forward(a.x, true), a.y), m.variables);
  const localGrads = m.variables.map((v) => local.grads[v.name].dataSync() as Float32Array);
  const localLoss = local.value.dataSync()[0];
  tf.dispose([local.value, ...Object.values(local.grads)]);
  const r = await remote;
  const wA = lossNormaliser(yA, m.loss, m.positiveWeight);
  const wB = lossNormaliser(yB, m.loss, m.positiveWeight);
  const combined = combineGradients(localGrads, wA, r.grads, wB);
  const named: tf.NamedTensorMap = Object.fromEntries(m.variables.map((v, i) => [v.name, tf.tensor(combined[i], v.shape)]));
  m.optimizer.applyGradients(named);
  tf.dispose(Object.values(named));
  return (wA * localLoss + wB * r.loss) / (wA + wB);
}

export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate);
  if (name === 'adamax') return tf.train.adamax(learningRate);
  return tf.train.adam(learningRate);
}

/** tfjs's optimisers read `learningRate` on every step, so changing it keeps their moments. */
function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** A [n,3,50,50,3] float batch (0-255 values) and its [n,1] labels. */
export function makeBatch(set: SequenceSet, ids: ArrayLike<number>, augment: boolean, rng: () => number, probability = DEFAULT_AUGMENT.probability): { x: tf.Tensor; y: tf.Tensor } {
  const config = { ...DEFAULT_AUGMENT, probability };
  const { frames, seqFrames, labels } = set.data;
  const n = ids.length;
  const buf = new Float32Array(n * 3 * FRAME_BYTES);
  const y = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const s = ids[b];
    const triple = [0, 1, 2].map((k) => frames.subarray(seqFrames[3 * s + k] * FRAME_BYTES, (seqFrames[3 * s + k] + 1) * FRAME_BYTES));
    applyTransform(triple, augment ? randomTransform(rng, config) : IDENTITY, buf, b * 3 * FRAME_BYTES);
    y[b] = labels[s];
  }
  return { x: tf.tensor(buf, [n, 3, 50, 50, 3]), y: tf.tensor(y, [n, 1]) };
}

/** Probabilities for every sequence of `set`, in its order. */
export function predictScores(forward: Forward, set: SequenceSet, batchSize = 128): Float32Array {
  const out = new Float32Array(set.index.length);
  for (let start = 0; start < set.index.length; start += batchSize) {
    const ids = set.index.subarray(start, Math.min(start + batchSize, set.index.length));
    const { x, y } = makeBatch(set, ids, false, () => 0);
    const p = tf.tidy(() => forward(x, false));
    out.set(p.dataSync() as Float32Array, start);
    tf.dispose([x, y, p]);
  }
  return out;
}

export function labelsOf(set: SequenceSet): Uint8Array {
  return Uint8Array.from(set.index, (i) => set.data.labels[i]);
}

/** The training loss over a whole set, computed on scores (no tensors). */
export function jsLoss(name: LossName, scores: ArrayLike<number>, labels: ArrayLike<number>, positiveWeight: number): number {
  const eps = 1e-7;
  if (name === 'f2') {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < scores.length; i++) {
      if (labels[i] === 1) {
        tp += scores[i] * positiveWeight;
        fn += (1 - scores[i]) * positiveWeight;
      } else fp += scores[i];
    }
    return 1 - (5 * tp) / (5 * tp + 4 * fn + fp + eps);
  }
  let sum = 0;
  let weights = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = Math.min(Math.max(scores[i], eps), 1 - eps);
    if (labels[i] === 1) {
      sum -= positiveWeight * Math.log(p);
      weights += positiveWeight;
    } else {
      sum -= Math.log(1 - p);
      weights += 1;
    }
  }
  return weights ? sum / weights : 0;
}
