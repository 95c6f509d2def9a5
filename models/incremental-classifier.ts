import * as tf from '@tensorflow/tfjs';
import { lwError } from '../core/errors.js';
import { defaultModelDir } from '../core/paths.js';
import { initBackend } from './backend.js';
import { disposePlan, embedTensor, planFromModel, UnsupportedModelError, type InferencePlan } from './inference-plan.js';
import { loadScreenModel, type ScreenModelMetadata } from './model-io.js';
import { BATCHED_RNN_MIN_WINDOWS, BatchedRecurrentHead } from './batched-recurrent-head.js';
import { scoreProjectedWindows } from './recurrent-head.js';
import { FRAME_BYTES, FRAME_CHANNELS, FRAME_HEIGHT, FRAME_WIDTH } from './preprocess.js';
import { WINDOW_FRAMES } from './screen-classifier.js';

declare const frameFeaturesBrand: unique symbol;
/** One frame's cached CNN output projected for the RNN. Opaque: only pass it back to `scoreWindows`. */
export type FrameFeatures = Float32Array & { readonly [frameFeaturesBrand]: true };

export interface IncrementalOptions {
  /** Frames per CNN call (memory vs overhead; 16-64 is fastest on wasm). Default 64. */
  maxBatch?: number;
  /** From this many windows per `scoreWindows` call the recurrent products run batched in tfjs. Default BATCHED_RNN_MIN_WINDOWS. */
  batchedRnnMinWindows?: number;
}

/**
 * The assistant's hot path. Every new frame goes through the CNN once
 * (`embedFrames`), and each student's window of its last three frames is then
 * scored with three cheap recurrent steps (`scoreWindows`) — the same numbers as
 * the full model's `predict` on the window, at about a third of the cost.
 */
export class IncrementalClassifier {
  /** Windows scoring at or above it are classified prohibited (metadata.json `threshold`, F2-best). */
  readonly threshold: number;
  /** Windows scoring at or above it raise alerts in the assistant (metadata.json `alert.threshold`, else `threshold`). */
  readonly alertThreshold: number;
  readonly metadata: Partial<ScreenModelMetadata>;
  /** Length of each FrameFeatures array. */
  readonly featureSize: number;
  private plan: InferencePlan | undefined;
  private readonly maxBatch: number;
  private readonly batchedHead: BatchedRecurrentHead;
  private readonly batchedMin: number;
  /** Reused input buffer for `embedFrames`: a fresh one would be ~1.9 MB allocated and zero-filled per call of 64 frames. */
  private readonly staging: Float32Array;
  /** x*scale+offset in float32 for each byte value, or undefined when the scale is folded into the first conv. */
  private readonly pixelValues: Float32Array | undefined;

  private constructor(plan: InferencePlan, metadata: Partial<ScreenModelMetadata> & { threshold: number }, options: IncrementalOptions) {
    this.plan = plan;
    this.metadata = metadata;
    this.threshold = metadata.threshold;
    this.alertThreshold = metadata.alert?.threshold ?? metadata.threshold;
    this.featureSize = plan.projection.kernel.shape[1];
    this.pixelValues =
      plan.scale === 1 && plan.offset === 0
        ? undefined
        : Float32Array.from({ length: 256 }, (_, v) => Math.fround(Math.fround(v * Math.fround(plan.scale)) + Math.fround(plan.offset)));
    this.maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 64));
    this.batchedHead = new BatchedRecurrentHead(plan.rnn);
    this.batchedMin = options.batchedRnnMinWindows ?? BATCHED_RNN_MIN_WINDOWS;
    this.staging = new Float32Array(this.maxBatch * FRAME_BYTES);
  }

  /** Load a model folder (default: the shipped models/screen). */
  static async load(dir: string = defaultModelDir(), options: IncrementalOptions = {}): Promise<IncrementalClassifier> {
    const { model, metadata } = await loadScreenModel(dir);
    try {
      return IncrementalClassifier.build(model, metadata, options, dir);
    } finally {
      model.dispose();
    }
  }

  /** Wrap an in-memory model (e.g. right after training); its weights are copied, the model stays the caller's. */
  static async fromModel(
    model: tf.LayersModel,
    metadata: Partial<ScreenModelMetadata> & { threshold: number },
    options: IncrementalOptions = {},
  ): Promise<IncrementalClassifier> {
    await initBackend();
    return IncrementalClassifier.build(model, metadata, options, '(in-memory model)');
  }

  private static build(model: tf.LayersModel, metadata: Partial<ScreenModelMetadata> & { threshold: number }, options: IncrementalOptions, dir: string): IncrementalClassifier {
    try {
      return new IncrementalClassifier(planFromModel(model), metadata, options);
    } catch (err) {
      if (err instanceof UnsupportedModelError) throw lwError('LABWATCH_ERR_MODEL_CORRUPT', { dir, reason: err.message }, err);
      throw err;
    }
  }

  /** One CNN pass + RNN input projection per frame (50x50x3 uint8, 7,500 bytes each). */
  embedFrames(frames: readonly Uint8Array[]): FrameFeatures[] {
    const plan = this.live();
    frames.forEach((f, i) => {
      if (!(f instanceof Uint8Array) || f.length !== FRAME_BYTES) {
        throw lwError('LABWATCH_ERR_MODEL_BAD_INPUT', { reason: `frame ${i} has ${(f as Uint8Array | undefined)?.length ?? 'no'} bytes, expected ${FRAME_BYTES}` });
      }
    });
    const out: FrameFeatures[] = [];
    const size = this.featureSize;
    const lut = this.pixelValues;
    for (let start = 0; start < frames.length; start += this.maxBatch) {
      const chunk = frames.slice(start, start + this.maxBatch);
      const pixels = this.staging.subarray(0, chunk.length * FRAME_BYTES);
      chunk.forEach((frame, j) => {
        const base = j * FRAME_BYTES;
        if (!lut) pixels.set(frame, base); // native uint8 -> float32 copy
        else for (let p = 0; p < FRAME_BYTES; p++) pixels[base + p] = lut[frame[p]];
      });
      const input = tf.tensor4d(pixels, [chunk.length, FRAME_HEIGHT, FRAME_WIDTH, FRAME_CHANNELS], 'float32');
      const projected = embedTensor(plan, input);
      input.dispose();
      const data = projected.dataSync();
      projected.dispose();
      for (let j = 0; j < chunk.length; j++) out.push(data.slice(j * size, (j + 1) * size) as FrameFeatures);
    }
    return out;
  }

  /** P(prohibited) per window of three cached frames, oldest first. */
  scoreWindows(windows: readonly (readonly FrameFeatures[])[]): Float32Array {
    const plan = this.live();
    const size = this.featureSize;
    windows.forEach((w, i) => {
      if (!Array.isArray(w) || w.length !== WINDOW_FRAMES) {
        throw lwError('LABWATCH_ERR_MODEL_BAD_INPUT', { reason: `window ${i} has ${Array.isArray(w) ? w.length : 'no'} frames, expected ${WINDOW_FRAMES}` });
      }
      w.forEach((f, t) => {
        if (!(f instanceof Float32Array) || f.length !== size) {
          throw lwError('LABWATCH_ERR_MODEL_BAD_INPUT', { reason: `window ${i} frame ${t} is not a FrameFeatures of this classifier (use embedFrames)` });
        }
      });
    });
    return windows.length >= this.batchedMin ? this.batchedHead.score(windows) : scoreProjectedWindows(plan.rnn, windows);
  }

  /** Whole 3-frame windows of raw frames (evaluation); a frame object shared by windows is embedded once. */
  scoreSequences(windows: readonly (readonly Uint8Array[])[]): Float32Array {
    const index = new Map<Uint8Array, number>();
    const unique: Uint8Array[] = [];
    for (const w of windows) {
      if (!Array.isArray(w) || w.length !== WINDOW_FRAMES) {
        throw lwError('LABWATCH_ERR_MODEL_BAD_INPUT', { reason: `a window has ${Array.isArray(w) ? w.length : 'no'} frames, expected ${WINDOW_FRAMES}` });
      }
      for (const f of w) if (!index.has(f)) { index.set(f, unique.length); unique.push(f); }
    }
    const feats = this.embedFrames(unique);
    return this.scoreWindows(windows.map((w) => w.map((f) => feats[index.get(f)!])));
  }

  /** Free the weights; the classifier cannot be used afterwards. */
  dispose(): void {
    if (this.plan) {
      disposePlan(this.plan);
      this.batchedHead.dispose();
    }
    this.plan = undefined;
  }

  private live(): InferencePlan {
    if (!this.plan) throw new Error('IncrementalClassifier used after dispose()');
    return this.plan;
  }
}
