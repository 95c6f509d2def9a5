/**
 * Binary-classification metrics for labwatch (label 1 = prohibited = positive).
 *
 * Pure functions, no I/O. Conventions, chosen so no metric is ever NaN (JSON
 * turns NaN into null and a table shows garbage):
 * - an item is predicted positive when `score >= threshold`;
 * - precision with no positive prediction is 0, recall with no positive label is 0,
 *   F-beta with precision + recall = 0 is 0, every metric of an empty set is 0;
 *   each such case adds a human-readable entry to `notes`.
 */
import { mulberry32 } from '../core/random.js';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export const METRIC_NAMES = ['accuracy', 'precision', 'recall', 'f1', 'f2'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface Metrics {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  f2: number;
  confusion: Confusion;
  /** Edge cases met while computing (empty set, no positive predicted...). */
  notes: string[];
}

export type Interval = [number, number];
export type ConfidenceIntervals = Record<MetricName, Interval>;

type Numbers = ArrayLike<number>;

function checkLengths(scores: Numbers, labels: Numbers): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  }
}

/** Confusion matrix of `score >= threshold` against 0/1 labels. */
export function confusionAt(scores: Numbers, labels: Numbers, threshold: number): Confusion {
  checkLengths(scores, labels);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i] >= threshold;
    if (labels[i] === 1) predicted ? c.tp++ : c.fn++;
    else predicted ? c.fp++ : c.tn++;
  }
  return c;
}

/** F-beta from precision and recall; beta > 1 weighs recall more (F2: missing a cheater costs more than a false alarm). */
export function fBeta(precision: number, recall: number, beta: number): number {
  const b2 = beta * beta;
  const denominator = b2 * precision + recall;
  return denominator === 0 ? 0 : ((1 + b2) * precision * recall) / denominator;
}

/** Allocation-free core shared by `metricsFromConfusion` and the bootstrap loop. */
function metricValues(tp: number, fp: number, tn: number, fn: number, out: Float64Array): void {
  const n = tp + fp + tn + fn;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  out[0] = n === 0 ? 0 : (tp + tn) / n;
  out[1] = precision;
  out[2] = recall;
  out[3] = fBeta(precision, recall, 1);
  out[4] = fBeta(precision, recall, 2);
}

export function metricsFromConfusion(confusion: Confusion): Metrics {
  const { tp, fp, tn, fn } = confusion;
  const n = tp + fp + tn + fn;
  const v = new Float64Array(METRIC_NAMES.length);
  metricValues(tp, fp, tn, fn, v);
  const notes: string[] = [];
  if (n === 0) notes.push('empty set: every metric reported as 0');
  else {
    if (tp + fp === 0) notes.push('no item predicted prohibited: precision reported as 0');
    if (tp + fn === 0) notes.push('no prohibited item in the set: recall reported as 0');
  }
  return { n, accuracy: v[0], precision: v[1], recall: v[2], f1: v[3], f2: v[4], confusion: { ...confusion }, notes };
}

/** All metrics of `score >= threshold` (pass 0/1 predictions with threshold 0.5 for hard classifiers). */
export function evaluateAt(scores: Numbers, labels: Numbers, threshold: number): Metrics {
  return metricsFromConfusion(confusionAt(scores, labels, threshold));
}

export interface CurvePoint {
  threshold: number;
  precision: number;
  recall: number;
  fBeta: number;
  confusion: Confusion;
}

/**
 * One point per distinct score, highest threshold first: predicting positive for
 * every score >= threshold. One sort, then a single sweep.
 */
export function thresholdSweep(scores: Numbers, labels: Numbers, beta = 2): CurvePoint[] {
  checkLengths(scores, labels);
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) positives++;
  const points: CurvePoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    // Emit only after the last item sharing this score: ties are one threshold.
    if (k + 1 < n && scores[order[k + 1]] === scores[i]) continue;
    const precision = tp / (tp + fp);
    const recall = positives === 0 ? 0 : tp / positives;
    points.push({
      threshold: scores[i],
      precision,
      recall,
      fBeta: fBeta(precision, recall, beta),
      confusion: { tp, fp, tn: n - positives - fp, fn: positives - tp },
    });
  }
  return points;
}

export interface BestThreshold {
  threshold: number;
  fBeta: number;
  beta: number;
  confusion: Confusion;
}

/**
 * The score threshold maximising F-beta over all distinct scores. Ties keep the
 * highest threshold (fewest alarms for the same F-beta). An empty input gives 0.5.
 */
export function bestThreshold(scores: Numbers, labels: Numbers, beta = 2): BestThreshold {
  const sweep = thresholdSweep(scores, labels, beta);
  if (sweep.length === 0) return { threshold: 0.5, fBeta: 0, beta, confusion: { tp: 0, fp: 0, tn: 0, fn: 0 } };
  let best = sweep[0];
  for (const p of sweep) if (p.fBeta > best.fBeta) best = p;
  return { threshold: best.threshold, fBeta: best.fBeta, beta, confusion: best.confusion };
}

export interface PrCurve {
  points: { threshold: number; precision: number; recall: number }[];
  /** Step-wise area under the curve: sum of (recall gain) x precision. */
  averagePrecision: number;
}

/** Precision-recall curve (recall ascending), starting at recall 0 with precision 1. */
export function precisionRecallCurve(scores: Numbers, labels: Numbers): PrCurve {
  const sweep = thresholdSweep(scores, labels);
  const points = [{ threshold: sweep.length ? sweep[0].threshold : 1, precision: 1, recall: 0 }];
  let ap = 0;
  let previousRecall = 0;
  for (const p of sweep) {
    ap += (p.recall - previousRecall) * p.precision;
    previousRecall = p.recall;
    points.push({ threshold: p.threshold, precision: p.precision, recall: p.recall });
  }
  return { points, averagePrecision: ap };
}

export { mulberry32 };

/** Quantile of an ascending-sorted array, linear interpolation between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface BootstrapOptions {
  /** Default 10,000. */
  resamples?: number;
  /** Default 1: the same data gives the same intervals. */
  seed?: number;
  /** Default 0.95. */
  confidence?: number;
  /**
   * Cluster index of each item (e.g. its recording session, from `groupIndex`).
   * When given, whole clusters are resampled instead of items: windows of one
   * session share frames and one desktop, so their errors come together, and
   * resampling them one by one would give intervals far too narrow.
   */
  groups?: ArrayLike<number>;
}

/** Dense cluster indices (0..k-1, in order of first appearance) for per-item keys. */
export function groupIndex(keys: ArrayLike<string>): Int32Array {
  const ids = new Map<string, number>();
  const out = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let id = ids.get(keys[i]);
    if (id === undefined) ids.set(keys[i], (id = ids.size));
    out[i] = id;
  }
  return out;
}

/**
 * Percentile-bootstrap confidence intervals of every metric at a fixed threshold:
 * resample items with replacement, recompute the metrics, take the
 * (1-c)/2 and (1+c)/2 quantiles. Each item is reduced once to its confusion cell,
 * so a resample is only n index draws and counter increments (no sorting). With
 * `groups`, each cluster is reduced to its four cell counts and a resample draws
 * as many clusters as there are (a cluster bootstrap).
 */
export function bootstrapCi(scores: Numbers, labels: Numbers, threshold: number, options: BootstrapOptions = {}): ConfidenceIntervals {
  checkLengths(scores, labels);
  const resamples = options.resamples ?? 10_000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const n = scores.length;
  const cells = new Uint8Array(n); // 0 tp, 1 fp, 2 tn, 3 fn
  for (let i = 0; i < n; i++) {
    const predicted = scores[i] >= threshold;
    cells[i] = labels[i] === 1 ? (predicted ? 0 : 3) : predicted ? 1 : 2;
  }
  // Units drawn by a resample and their cell counts: one unit per item, or per cluster.
  const units = options.groups ? clusterCells(cells, options.groups) : itemCells(cells);
  const k = units.length / 4;
  const m = METRIC_NAMES.length;
  const samples = Array.from({ length: m }, () => new Float64Array(resamples));
  const values = new Float64Array(m);
  const counts = new Float64Array(4);
  // mulberry32 inlined: a closure call per draw costs about half the run time.
  let state = (options.seed ?? 1) >>> 0;
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let d = 0; d < k; d++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const u = 4 * Math.floor((((t ^ (t >>> 14)) >>> 0) * k) / 4294967296);
      counts[0] += units[u];
      counts[1] += units[u + 1];
      counts[2] += units[u + 2];
      counts[3] += units[u + 3];
    }
    metricValues(counts[0], counts[1], counts[2], counts[3], values);
    for (let j = 0; j < m; j++) samples[j][r] = values[j];
  }
  const lowQ = (1 - confidence) / 2;
  const result = {} as ConfidenceIntervals;
  METRIC_NAMES.forEach((name, j) => {
    const sorted = samples[j].sort();
    result[name] = [quantileSorted(sorted, lowQ), quantileSorted(sorted, 1 - lowQ)];
  });
  return result;
}

/** A metrics report at one threshold, with its bootstrap intervals. */
export interface ScoredMetrics extends Metrics {
  threshold: number;
  ci95: ConfidenceIntervals;
}

/** Metrics at `threshold` with 95% bootstrap intervals (by cluster when `options.groups` is given). */
export function metricsWithCi(scores: Numbers, labels: Numbers, threshold: number, options: BootstrapOptions): ScoredMetrics {
  const m = evaluateAt(scores, labels, threshold);
  return {
    n: m.n, accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, f2: m.f2,
    threshold, confusion: m.confusion, ci95: bootstrapCi(scores, labels, threshold, options), notes: m.notes,
  };
}

function itemCells(cells: Uint8Array): Uint32Array {
  const units = new Uint32Array(cells.length * 4);
  for (let i = 0; i < cells.length; i++) units[4 * i + cells[i]] = 1;
  return units;
}

function clusterCells(cells: Uint8Array, groups: ArrayLike<number>): Uint32Array {
  if (groups.length !== cells.length) throw new RangeError(`groups has ${groups.length} entries for ${cells.length} items`);
  let k = 0;
  for (let i = 0; i < groups.length; i++) {
    if (!Number.isInteger(groups[i]) || groups[i] < 0) throw new RangeError(`groups[${i}] must be a non-negative integer, got ${groups[i]}`);
    k = Math.max(k, groups[i] + 1);
  }
  const units = new Uint32Array(k * 4);
  for (let i = 0; i < cells.length; i++) units[4 * groups[i] + cells[i]]++;
  // Drop indices no item uses, so every drawn cluster holds items.
  const used: number[] = [];
  for (let g = 0; g < k; g++) if (units[4 * g] + units[4 * g + 1] + units[4 * g + 2] + units[4 * g + 3] > 0) used.push(g);
  return used.length === k ? units : Uint32Array.from(used.flatMap((g) => [units[4 * g], units[4 * g + 1], units[4 * g + 2], units[4 * g + 3]]));
}
