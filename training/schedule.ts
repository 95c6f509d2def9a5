/**
 * Epoch-level decisions of training, as pure functions of the validation history
 * so they can be tested on made-up loss curves.
 */
export interface EpochScore {
  valLoss: number;
  valF2: number;
}

export interface Decision {
  stop: boolean;
  reason?: string;
  /** Epoch (0-based) with the best validation F2 so far: the checkpoint to keep. */
  bestEpoch: number;
  /** Factor for the learning rate of the next epoch (1 = unchanged). */
  lrFactor: number;
}

/**
 * Index of the best F2. On synthetic data F2 saturates early, so ties go to the
 * lower validation loss (better separated scores, a threshold that transfers).
 */
export function bestF2Epoch(history: readonly EpochScore[]): number {
  let best = 0;
  for (let i = 1; i < history.length; i++) {
    const h = history[i];
    const b = history[best];
    if (h.valF2 > b.valF2 || (h.valF2 === b.valF2 && h.valLoss < b.valLoss)) best = i;
  }
  return best;
}

/**
 * Search trials: early stopping on validation F2 with `patience` epochs without
 * improvement, at most `maxEpochs`.
 */
export function searchDecision(history: readonly EpochScore[], patience = 2, maxEpochs = 10): Decision {
  const bestEpoch = bestF2Epoch(history);
  const last = history.length - 1;
  // Patience counts from the first epoch that reached the best F2: a tie is no improvement.
  let firstBest = 0;
  for (let i = 1; i < history.length; i++) if (history[i].valF2 > history[firstBest].valF2) firstBest = i;
  if (history.length >= maxEpochs) return { stop: true, reason: `reached ${maxEpochs} epochs`, bestEpoch, lrFactor: 1 };
  if (last - firstBest >= patience) {
    return { stop: true, reason: `validation F2 did not improve for ${patience} epochs`, bestEpoch, lrFactor: 1 };
  }
  return { stop: false, bestEpoch, lrFactor: 1 };
}

/** Changes of the validation loss smaller than this count as "no change". */
export const LOSS_DELTA = 1e-4;
/** Final training also stops after this many epochs without a better validation loss. */
export const STALE_STOP = 6;

/**
 * Final training: stop when the validation loss has risen `rises` epochs in a row
 * (or at `maxEpochs`); multiply the learning rate by `factor` once the validation
 * loss has not beaten its best for `patience` epochs (then wait `patience` again).
 * Changes under LOSS_DELTA are noise: they neither rise nor improve.
 */
export function finalDecision(history: readonly EpochScore[], rises = 3, maxEpochs = 30, factor = 0.2, patience = 2): Decision {
  const bestEpoch = bestF2Epoch(history);
  const last = history.length - 1;
  const losses = history.map((h) => h.valLoss);
  // Epochs since the loss last improved, counting a cut as a fresh start.
  let sinceBest = 0;
  let best = Infinity;
  for (const loss of losses) {
    if (loss < best - LOSS_DELTA) {
      best = loss;
      sinceBest = 0;
    } else if (++sinceBest >= patience) sinceBest = 0;
  }
  const stale = last > 0 && !(losses[last] < Math.min(...losses.slice(0, last)) - LOSS_DELTA);
  const lrFactor = stale && sinceBest === 0 ? factor : 1;
  let run = 0;
  for (let i = last; i > 0 && losses[i] > losses[i - 1] + LOSS_DELTA; i--) run++;
  if (run >= rises) return { stop: true, reason: `validation loss rose ${rises} epochs in a row`, bestEpoch, lrFactor };
  // Once the learning rate has been cut a few times nothing moves any more.
  const bestLossEpoch = losses.indexOf(Math.min(...losses));
  if (last - bestLossEpoch >= STALE_STOP) {
    return { stop: true, reason: `validation loss did not improve for ${STALE_STOP} epochs`, bestEpoch, lrFactor };
  }
  if (history.length >= maxEpochs) return { stop: true, reason: `reached ${maxEpochs} epochs`, bestEpoch, lrFactor };
  return { stop: false, bestEpoch, lrFactor };
}
