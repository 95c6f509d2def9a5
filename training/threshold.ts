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

export interface AlertOperatingPoint {
  threshold: number;
  /** Validation figures at that threshold. */
  precision: number;
  recall: number;
  f2: number;
  /** False when no threshold reaches the precision floor: the F2 threshold is kept. */
  floorReached: boolean;
}

/**
 * The assistant's alert threshold: the lowest threshold (highest recall) whose
 * validation precision reaches `minPrecision`. The F2-best threshold suits the
 * evaluation, but in a 150-student exam every point of false-positive rate is
 * hundreds of alarms an hour, and an alarm that stays on also hides the next
 * real episode (alerts fire on permitted -> suspicious). Falls back to
 * `fallback` (the F2 threshold) when the floor is out of reach or would be lower.
 */
export function alertThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, minPrecision: number, fallback: number): AlertOperatingPoint {
  const sweep = thresholdSweep(scores, labels, 2);
  const at = (t: number) => {
    const p = sweep.filter((s) => s.threshold >= t).at(-1);
    return p ? { precision: p.precision, recall: p.recall, f2: p.fBeta } : { precision: 0, recall: 0, f2: 0 };
  };
  // Highest first: the last point still at or above the floor has the highest recall.
  let pick: (typeof sweep)[number] | undefined;
  for (const p of sweep) if (p.precision >= minPrecision && p.confusion.tp > 0) pick = p;
  if (!pick) return { threshold: fallback, ...at(fallback), floorReached: false };
  // Mid-gap to the next lower score, as marginThreshold does, so a screen scoring a hair under the last kept one is not flipped.
  const i = sweep.indexOf(pick);
  const lower = i + 1 < sweep.length ? sweep[i + 1].threshold : pick.threshold;
  const threshold = Math.max(fallback, (pick.threshold + lower) / 2);
  return { threshold, ...at(threshold), floorReached: true };
}
