import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScreenClassifierArgs } from '../models/screen-classifier.js';
import type { LossName } from './losses.js';

/**
 * Data-parallel training on two cores: each batch is split in two, this thread
 * computes the gradients of one half while a worker thread (its own wasm
 * instance: wasm threads are off in Node) computes the other's on a replica of
 * the model, and the two are combined into exactly the full batch's gradient
 * (see `combineGradients`). One optimizer, in this thread, applies it, so the
 * training is the single-thread one, only faster; the replica receives the
 * current weights with every half-batch (120k floats: well under a millisecond).
 */
export const MAX_TRAIN_THREADS = 2;

export interface GradPeerInit {
  model: ScreenClassifierArgs;
  loss: LossName;
  positiveWeight: number;
  seed: number;
}

export interface GradJob {
  /** Current values of the trainable variables, in `model.trainableWeights` order. */
  weights: Float32Array[];
  x: Float32Array;
  xShape: number[];
  y: Float32Array;
}

export interface GradResult {
  loss: number;
  grads: Float32Array[];
  error?: string;
}

export interface GradientPeer {
  gradients(job: GradJob): Promise<GradResult>;
  close(): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('./grad-worker.js', import.meta.url));

/**
 * The worker half of data-parallel training, or undefined where it cannot run:
 * workers run compiled JS, so from TypeScript sources (unit tests) training
 * stays on one thread.
 */
export function startGradientPeer(init: GradPeerInit): GradientPeer | undefined {
  if (!existsSync(WORKER_FILE)) return undefined;
  const worker = new Worker(WORKER_FILE, { workerData: init });
  let pending: { resolve: (r: GradResult) => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  worker.on('message', (r: GradResult) => {
    const p = pending;
    pending = undefined;
    if (r.error) p?.reject(new Error(`training worker: ${r.error}`));
    else p?.resolve(r);
  });
  worker.on('error', (err) => {
    failure = err;
    pending?.reject(err);
    pending = undefined;
  });
  return {
    gradients(job) {
      if (failure) return Promise.reject(failure);
      if (pending) return Promise.reject(new Error('training worker: one half-batch at a time'));
      return new Promise<GradResult>((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(job);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

/**
 * The full batch's gradient from the two halves'. The losses are normalised
 * means (binary cross-entropy divides by the sum of the sample weights), so
 * the full batch's gradient is the halves' weighted by their normalisers:
 * (wA gA + wB gB) / (wA + wB). Exact for 'bce'; for the soft-F2 loss, which is
 * not a mean, each half is scored as its own batch.
 */
export function combineGradients(a: Float32Array[], wA: number, b: Float32Array[], wB: number): Float32Array[] {
  if (a.length !== b.length) throw new Error(`combineGradients: ${a.length} gradients and ${b.length}`);
  const total = wA + wB;
  return a.map((ga, i) => {
    const gb = b[i];
    if (ga.length !== gb.length) throw new Error(`combineGradients: variable ${i} has ${ga.length} and ${gb.length} values`);
    const out = new Float32Array(ga.length);
    for (let k = 0; k < ga.length; k++) out[k] = (wA * ga[k] + wB * gb[k]) / total;
    return out;
  });
}

/** What a half-batch's loss is normalised by: the sum of its sample weights for 'bce', its size otherwise. */
export function lossNormaliser(labels: ArrayLike<number>, loss: LossName, positiveWeight: number): number {
  if (loss !== 'bce') return labels.length;
  let w = 0;
  for (let i = 0; i < labels.length; i++) w += labels[i] === 1 ? positiveWeight : 1;
  return w;
}
