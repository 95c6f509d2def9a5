import type { Split } from '../core/dataset/manifest.js';
import { lwError } from '../core/errors.js';
import { FRAME_BYTES } from '../models/preprocess.js';
import { alertSweep, replayAlerts, scoredChains, type AlertReplay } from './alert-replay.js';
import { BASELINE_NAMES, scoreBaselines, type BaselineName } from './baselines.js';
import { allSequences, loadDataset, subset, type SequenceSet } from './data.js';
import { errorBreakdown, shareBreakdown, shareGroup, sourceGroup, type BreakdownRow } from './error-breakdown.js';
import { bestThreshold, groupIndex, metricsWithCi, precisionRecallCurve, type PrCurve, type ScoredMetrics } from './metrics.js';

export type { ScoredMetrics } from './metrics.js';

/**
 * `labwatch evaluate`: score a model on a dataset (or one split of it) at the
 * model's own threshold, with bootstrap CIs and trivial baselines beside it.
 */

/** What evaluation needs from a model (IncrementalClassifier fits). */
export interface SequenceScorer {
  /** Decision threshold stored with the model. */
  readonly threshold: number;
  /** Alert threshold stored with the model (metadata.json `alert.threshold`), if any. */
  readonly alertThreshold?: number;
  /** P(prohibited) per 3-frame window of 50x50x3 uint8 frames. */
  scoreSequences(windows: Uint8Array[][]): Float32Array | Promise<Float32Array>;
}

export interface LoadedScorer {
  scorer: SequenceScorer;
  /** Free-form facts about the model for the report (metadata.json subset). */
  info: Record<string, unknown>;
}

export interface EvaluateOptions {
  datasetDir: string;
  modelDir: string;
  loadModel: (dir: string) => Promise<LoadedScorer>;
  /** Only rows whose `split` column equals this. */
  split?: Split;
  /** Bootstrap resamples (default 10,000). */
  resamples?: number;
  seed?: number;
  /** Windows per model call (bounds memory). */
  batchSize?: number;
  /** Also break the errors down by scene (the manifest's `source` column). */
  bySource?: boolean;
  /** Also break the errors down by how much of the screen the prohibited window shows (`prohibited_screen_share` column). */
  byShare?: boolean;
  /** Also replay the assistant's alert rule over chains of consecutive windows, confirming after this many windows. */
  alertsConfirm?: number;
  log?: (line: string) => void;
}

/** Alert thresholds the `--alerts` sweep tries besides the model's own. */
export const ALERT_SWEEP_THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95];

export interface AlertsReport extends AlertReplay {
  /** The same replay at other thresholds, lowest first. */
  sweep: AlertReplay[];
}

export interface BaselineReport extends ScoredMetrics {
  description: string;
  optimistic: boolean;
}

export interface EvaluationReport extends ScoredMetrics {
  average_precision: number;
  /** The F2-best threshold on this very set: a ceiling, not a fair estimate. */
  best_threshold_here: { threshold: number; f2: number };
  baseline: Record<BaselineName, BaselineReport>;
  model: Record<string, unknown> & { dir: string; threshold: number };
  dataset: {
    dir: string;
    split: Split | 'all';
    n: number;
    /** Sessions the evaluated windows come from: the bootstrap resamples these, not single windows. */
    sessions: number;
    prohibited: number;
    prevalence: number;
    hash: string;
    training_prior: number | null;
    baseline_tuned_on: 'validation' | 'evaluated set';
  };
  resamples: number;
  seed: number;
  seconds: number;
  /** With `bySource`: errors per scene at the model's threshold, worst first. */
  by_source?: BreakdownRow[];
  /** With `byShare`: errors by screen share of the prohibited window, smallest first, then permitted. */
  by_share?: BreakdownRow[];
  /** With `alertsConfirm`: the alert rule replayed at the model's alert threshold, and a sweep. */
  alerts?: AlertsReport;
}

/** Scores, labels and curve kept beside the report, for plots. */
export interface EvaluationResult {
  report: EvaluationReport;
  scores: Float32Array;
  labels: Uint8Array;
  curve: PrCurve;
}

const stderrLog = (line: string) => process.stderr.write(`${line}\n`);

function prevalenceOf(set: SequenceSet): number {
  let positives = 0;
  for (const i of set.index) positives += set.data.labels[i];
  return set.index.length === 0 ? 0 : positives / set.index.length;
}

/** Fewer sessions than this get a note that their bootstrap intervals are not informative. */
export const MIN_CI_SESSIONS = 10;

/** Cluster index per sequence of `set`: its session, the unit the bootstrap resamples. */
export function sessionGroups(set: SequenceSet): Int32Array {
  return groupIndex(Array.from(set.index, (i) => set.data.sessions[i]));
}

/** Model scores for every sequence of `set`, in batches of windows viewing the shared frame buffer. */
export async function scoreSet(scorer: SequenceScorer, set: SequenceSet, batchSize = 256, log?: (line: string) => void): Promise<Float32Array> {
  const { frames, seqFrames } = set.data;
  const out = new Float32Array(set.index.length);
  const frame = (f: number) => frames.subarray(f * FRAME_BYTES, (f + 1) * FRAME_BYTES);
  let nextReport = Date.now() + 5000;
  for (let start = 0; start < set.index.length; start += batchSize) {
    const windows: Uint8Array[][] = [];
    for (let k = start; k < Math.min(start + batchSize, set.index.length); k++) {
      const s = set.index[k];
      windows.push([frame(seqFrames[3 * s]), frame(seqFrames[3 * s + 1]), frame(seqFrames[3 * s + 2])]);
    }
    const probs = await scorer.scoreSequences(windows);
    if (probs.length !== windows.length) throw new Error(`model returned ${probs.length} scores for ${windows.length} windows`);
    out.set(probs, start);
    if (log && Date.now() > nextReport) {
      log(`scored ${start + windows.length}/${set.index.length} sequences`);
      nextReport = Date.now() + 5000;
    }
  }
  return out;
}

export async function evaluate(options: EvaluateOptions): Promise<EvaluationResult> {
  const started = performance.now();
  const log = options.log ?? stderrLog;
  const resamples = options.resamples ?? 10_000;
  const seed = options.seed ?? 1;

  log(`loading dataset ${options.datasetDir}`);
  const data = await loadDataset(options.datasetDir, {
    onProgress: (done, total) => log(`decoded ${done}/${total} frames`),
  });
  const all = allSequences(data);
  const inSplit = (name: Split) => subset(all, (i) => data.splitColumn[i] === name);
  const evaluated = options.split ? inSplit(options.split) : all;
  if (evaluated.index.length === 0) {
    const reason = options.split
      ? `no row has split "${options.split}" (${data.splitColumn.some((s) => s !== '') ? 'the split column holds other values' : 'the manifest has no split column'})`
      : 'the manifest has no rows';
    throw lwError('LABWATCH_ERR_EVAL_EMPTY_SET', { dir: options.datasetDir, reason });
  }
  const notes: string[] = [];
  if (!options.split && data.splitColumn.some((s) => s === 'train' || s === 'validation')) {
    notes.push('the dataset has train/validation rows and no --split was given: the model may have trained on some evaluated rows; use --split test');
  }
  const train = options.split && options.split !== 'train' ? inSplit('train') : undefined;
  const validation = options.split && options.split !== 'validation' ? inSplit('validation') : undefined;
  const trainingPrior = train && train.index.length > 0 ? prevalenceOf(train) : undefined;

  log(`loading model ${options.modelDir}`);
  const { scorer, info } = await options.loadModel(options.modelDir);
  const threshold = scorer.threshold;
  log(`scoring ${evaluated.index.length} sequences at threshold ${threshold}`);
  const scores = await scoreSet(scorer, evaluated, options.batchSize, log);
  const labels = Uint8Array.from(evaluated.index, (i) => data.labels[i]);

  const groups = sessionGroups(evaluated);
  const sessions = groups.reduce((a, g) => Math.max(a, g + 1), 0);
  log(`bootstrapping 95% intervals (${resamples} resamples of ${sessions} sessions)`);
  const model = metricsWithCi(scores, labels, threshold, { resamples, seed, groups });
  if (sessions < MIN_CI_SESSIONS) {
    notes.push(`the windows come from only ${sessions} session(s): intervals that resample so few sessions say little; record more sessions for a usable interval`);
  }
  const curve = precisionRecallCurve(scores, labels);
  const best = bestThreshold(scores, labels, 2);
  const baselines = scoreBaselines({ evaluated, trainingPrior, validation });
  const baseline = {} as Record<BaselineName, BaselineReport>;
  for (const name of BASELINE_NAMES) {
    const b = baselines[name];
    baseline[name] = { ...metricsWithCi(b.scores, labels, b.threshold, { resamples, seed, groups }), description: b.description, optimistic: b.optimistic };
  }
  const prohibited = labels.reduce((a, v) => a + v, 0);
  const report: EvaluationReport = {
    ...model,
    notes: [...model.notes, ...notes],
    average_precision: curve.averagePrecision,
    best_threshold_here: { threshold: best.threshold, f2: best.fBeta },
    baseline,
    model: { ...info, dir: options.modelDir, threshold },
    dataset: {
      dir: options.datasetDir,
      split: options.split ?? 'all',
      n: labels.length,
      sessions,
      prohibited,
      prevalence: prohibited / labels.length,
      hash: data.hash,
      training_prior: trainingPrior ?? null,
      baseline_tuned_on: validation && validation.index.length > 0 ? 'validation' : 'evaluated set',
    },
    resamples,
    seed,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
  if (options.bySource) {
    const groups = Array.from(evaluated.index, (i) => sourceGroup(data.sources[i]));
    report.by_source = errorBreakdown(groups, labels, scores, threshold);
  }
  if (options.byShare) {
    const groups = Array.from(evaluated.index, (i) => shareGroup(data.prohibitedScreenShares[i], data.labels[i]));
    report.by_share = shareBreakdown(groups, labels, scores, threshold);
  }
  if (options.alertsConfirm !== undefined) {
    const chains = scoredChains(data.seqFrames, evaluated.index, scores, labels);
    const at = scorer.alertThreshold ?? threshold;
    const sweep = [...new Set([...ALERT_SWEEP_THRESHOLDS, at])].sort((a, b) => a - b);
    report.alerts = { ...replayAlerts(chains, at, options.alertsConfirm), sweep: alertSweep(chains, sweep, options.alertsConfirm) };
  }
  return { report, scores, labels, curve };
}
