import * as tf from '@tensorflow/tfjs';
import type { SequenceSet } from './data.js';
import { fit } from './fit.js';
import type { TrialJob, TrialResult } from './search.js';

/** One search trial: a search-mode fit; failures are reported, not thrown. */
export async function runTrial(job: TrialJob, train: SequenceSet, validation: SequenceSet): Promise<TrialResult> {
  const started = Date.now();
  try {
    const r = await fit({
      hyper: job.hyper,
      train,
      validation,
      mode: 'search',
      maxEpochs: job.maxEpochs,
      seed: job.seed,
      maxSamplesPerEpoch: job.maxSamplesPerEpoch,
    });
    r.model.dispose();
    return {
      trial: job.trial,
      hyper: job.hyper,
      valF2: r.valF2,
      threshold: r.threshold,
      bestEpoch: r.bestEpoch,
      epochs: r.history.length,
      seconds: (Date.now() - started) / 1000,
      stopReason: r.stopReason,
      history: r.history,
    };
  } catch (err) {
    tf.disposeVariables();
    return {
      trial: job.trial, hyper: job.hyper, valF2: 0, threshold: 0.5, bestEpoch: 0, epochs: 0,
      seconds: (Date.now() - started) / 1000, stopReason: 'failed', history: [], error: (err as Error).message,
    };
  }
}
