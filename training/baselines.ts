import { FRAME_BYTES } from '../models/preprocess.js';
import type { SequenceSet } from './data.js';
import { bestThreshold, evaluateAt, type Metrics } from './metrics.js';

/**
 * Trivial baselines scored on exactly the sequences the model is scored on. A
 * model is only worth shipping if it clearly beats them: on 43% prevalence
 * "always prohibited" already reaches F2 0.79 while catching no one in particular.
 */

export const BASELINE_NAMES = ['majority', 'always_prohibited', 'frame_difference'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export interface BaselineResult {
  name: BaselineName;
  /** One line for the report. */
  description: string;
  metrics: Metrics;
  /** The per-sequence scores thresholded by `threshold` (for CIs and plots). */
  scores: Float64Array;
  threshold: number;
  /** True when a choice was tuned on the evaluated set itself, so its figures are too good. */
  optimistic: boolean;
}

function prevalence(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  return labels.length === 0 ? 0 : positives / labels.length;
}

/**
 * Predict the majority class of the training prior for every sequence. `prior` is
 * the share of prohibited sequences in the training data; without it the
 * evaluated set's own share is used (flagged optimistic: it peeks at the answers).
 * A prior of exactly 0.5 predicts permitted (no alarms).
 */
export function majorityBaseline(labels: ArrayLike<number>, prior?: number): BaselineResult {
  const p = prior ?? prevalence(labels);
  const predictProhibited = p > 0.5;
  const scores = new Float64Array(labels.length).fill(predictProhibited ? 1 : 0);
  const source = prior === undefined ? 'evaluated set' : 'training data';
  return {
    name: 'majority',
    description: `always "${predictProhibited ? 'prohibited' : 'permitted'}" (majority of the ${source}, ${(p * 100).toFixed(1)}% prohibited)`,
    metrics: evaluateAt(scores, labels, 0.5),
    scores,
    threshold: 0.5,
    optimistic: prior === undefined,
  };
}

export function alwaysProhibitedBaseline(labels: ArrayLike<number>): BaselineResult {
  const scores = new Float64Array(labels.length).fill(1);
  return {
    name: 'always_prohibited',
    description: 'alarm on every sequence (recall 1, precision = prevalence)',
    metrics: evaluateAt(scores, labels, 0.5),
    scores,
    threshold: 0.5,
    optimistic: false,
  };
}

/**
 * Per sequence: mean absolute pixel difference (0-255) between consecutive
 * frames, averaged over the two pairs. Browsing, chat and video change the
 * screen more than typing code does, so motion alone is a cheap detector.
 */
export function frameDifferenceScores(set: SequenceSet): Float64Array {
  const { frames, seqFrames } = set.data;
  const out = new Float64Array(set.index.length);
  for (let k = 0; k < set.index.length; k++) {
    const s = set.index[k];
    let sum = 0;
    for (let pair = 0; pair < 2; pair++) {
      const a = seqFrames[3 * s + pair] * FRAME_BYTES;
      const b = seqFrames[3 * s + pair + 1] * FRAME_BYTES;
      for (let j = 0; j < FRAME_BYTES; j++) sum += Math.abs(frames[a + j] - frames[b + j]);
    }
    out[k] = sum / (2 * FRAME_BYTES);
  }
  return out;
}

function labelsOf(set: SequenceSet): Uint8Array {
  return Uint8Array.from(set.index, (i) => set.data.labels[i]);
}

/**
 * Frame difference above a threshold -> prohibited. The threshold maximises F2 on
 * `validation` when given (an honest estimate); otherwise on the evaluated set
 * itself, which is flagged optimistic.
 */
export function frameDifferenceBaseline(evaluated: SequenceSet, validation?: SequenceSet): BaselineResult {
  const scores = frameDifferenceScores(evaluated);
  const labels = labelsOf(evaluated);
  const tuneOnValidation = validation !== undefined && validation.index.length > 0;
  const threshold = tuneOnValidation
    ? bestThreshold(frameDifferenceScores(validation), labelsOf(validation), 2).threshold
    : bestThreshold(scores, labels, 2).threshold;
  return {
    name: 'frame_difference',
    description: `mean |pixel change| between consecutive frames >= ${threshold.toFixed(2)} (of 255), threshold tuned for F2 on ${tuneOnValidation ? 'validation data' : 'the evaluated set itself: optimistic'}`,
    metrics: evaluateAt(scores, labels, threshold),
    scores,
    threshold,
    optimistic: !tuneOnValidation,
  };
}

export interface BaselineInputs {
  evaluated: SequenceSet;
  /** Share of prohibited sequences in the training data, for the majority baseline. */
  trainingPrior?: number;
  /** Sequences to tune the frame-difference threshold on. */
  validation?: SequenceSet;
}

export function scoreBaselines(inputs: BaselineInputs): Record<BaselineName, BaselineResult> {
  const labels = labelsOf(inputs.evaluated);
  return {
    majority: majorityBaseline(labels, inputs.trainingPrior),
    always_prohibited: alwaysProhibitedBaseline(labels),
    frame_difference: frameDifferenceBaseline(inputs.evaluated, inputs.validation),
  };
}
