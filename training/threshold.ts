import { thresholdSweep } from './metrics.js';

/**
 * The decision threshold: the F2-best operating point on validation, placed in
 * the middle of the score gap below it rather than on the lowest positive score.
 * Every threshold in that gap gives the same validation confusion matrix; on a
 * small or easily separated validation set the gap is wide, and its edge (what a
 * plain argmax returns) misses new screens whose scores land a little lower.
 */
export function marginThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, beta = 2): { threshold: number; fBeta: number } {
  const sweep = thresholdSweep(scores, labels, beta);
  if (sweep.length === 0) return { threshold: 0.5, fBeta: 0 };
  let best = 0;
  for (let i = 1; i < sweep.length; i++) if (sweep[i].fBeta > sweep[best].fBeta) best = i;
  const upper = sweep[best].threshold;
  // The next distinct score below (sweep is highest first); none: all scores are predicted positive.
  const lower = best + 1 < sweep.length ? sweep[best + 1].threshold : Math.max(0, upper - 0.05);
  return { threshold: (upper + lower) / 2, fBeta: sweep[best].fBeta };
}
