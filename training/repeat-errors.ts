import type { SequenceSet } from './data.js';

/** Highest accepted `--repeat-errors`: beyond it the errors crowd out the rest of the data. */
export const MAX_ERROR_REPEAT = 5;

export interface RepeatedErrors {
  /** The training set with every misclassified sequence present `repeat` times. */
  train: SequenceSet;
  falsePositives: number;
  falseNegatives: number;
}

/**
 * Fine-tuning focus: the sequences the starting model gets wrong at its own
 * threshold are counted `repeat` times in the training set, so each epoch
 * draws them more often. Why: the models' errors are concentrated (tiled
 * permitted desktops read as chat or web pages, sparse prohibited pages read
 * as editors); fresh data dilutes them among easy desktops it already gets
 * right. Both kinds of error are repeated, so the class balance the
 * undersampler keeps is not tilted towards either.
 */
export function repeatErrors(train: SequenceSet, scores: ArrayLike<number>, threshold: number, repeat: number): RepeatedErrors {
  if (scores.length !== train.index.length) throw new Error(`repeatErrors: ${scores.length} scores for ${train.index.length} sequences`);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_ERROR_REPEAT) throw new Error(`repeatErrors: repeat must be an integer in 1..${MAX_ERROR_REPEAT}, got ${repeat}`);
  const extra: number[] = [];
  let falsePositives = 0;
  let falseNegatives = 0;
  train.index.forEach((seq, k) => {
    const positive = train.data.labels[seq] === 1;
    const predicted = scores[k] >= threshold;
    if (positive === predicted) return;
    if (positive) falseNegatives += 1;
    else falsePositives += 1;
    for (let r = 1; r < repeat; r++) extra.push(seq);
  });
  const index = new Int32Array(train.index.length + extra.length);
  index.set(train.index);
  index.set(extra, train.index.length);
  return { train: { data: train.data, index }, falsePositives, falseNegatives };
}
