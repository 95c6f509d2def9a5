import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../models/backend.js';
import { FRAME_BYTES } from '../models/preprocess.js';
import { loadScreenModel, saveScreenModel } from '../models/model-io.js';
import { lwError } from '../core/errors.js';
import { parameterCount } from '../models/screen-classifier.js';
import { makeRng } from './augment.js';
import { scoreBaselines } from './baselines.js';
import { countLabels, loadDataset, mergeDatasets, subset, type LoadedDataset, type SequenceSet } from './data.js';
import { fastForward } from './fast-forward.js';
import { fit, labelsOf, predictScores, type TrainHyper } from './fit.js';
import { evaluateAt, metricsWithCi, precisionRecallCurve, type ScoredMetrics } from './metrics.js';
import { sessionGroups } from './evaluate.js';
import { confusionMatrixSvg, prCurveSvg, trainingCurvesSvg, writePlot } from './plots.js';
import { modelReadme } from './model-readme.js';
import { assessTargets, TARGETS, type TargetCheck } from './targets.js';
import { alertThreshold } from './threshold.js';
import { buildProgress, buildRunLog } from './progress.js';
import { runSearch, sampleTrials, writeSearchTable, type TrialResult } from './search.js';
import { splitBySession, type Splits } from './split.js';
import { shuffle } from './sampling.js';
import { repeatErrors } from './repeat-errors.js';

/**
 * `labwatch train`: the paper's methodology end to end. Load (and cache) the
 * data, split by session, optionally search hyperparameters, train the final
 * model (best-F2 checkpoint, LR cuts, loss-rise stop), pick the F2-optimal
 * threshold on validation, measure the synthetic test split with CIs and
 * baselines, and save the model folder with everything needed to trust and
 * reproduce it.
 */
export interface TrainOptions {
  dataset: string;
  out: string;
  /** Extra datasets (e.g. recorded real screens) mixed into train/validation/test by session. */
  real: string[];
  /** Number of search trials (0: no search, train `hyper` directly). */
  search: number;
  /** Max epochs of the final training. */
  epochs: number;
  seed: number;
  /** Hyperparameters to train without search (defaults to the search's first candidate). */
  hyper?: TrainHyper;
  /** Max epochs per search trial (<= 10). */
  searchEpochs: number;
  /** Train sequences drawn (per trial epoch) during search. */
  searchSamples: number;
  /** Validation sequences used by search trials. */
  searchValidation: number;
  /** Cap of balanced samples per final epoch (0: all). */
  epochSamples: number;
  workers: number;
  /** Probability of each augmentation per sequence in the final training (default 0.5). */
  augmentProbability?: number;
  /** Wall-clock budget of the final training in minutes (0: none). */
  maxMinutes: number;
  /** Bootstrap resamples for the test CIs. */
  resamples: number;
  /**
   * Datasets evaluated after the model is saved (e.g. the real-screen holdout):
   * reported in metadata.json and README.md, never used for any choice.
   */
  holdout: string[];
  /**
   * A saved model folder to start from (fine-tuning): its weights initialise the
   * final training and its architecture must equal `hyper.model`; no search.
   */
  init?: string;
  /**
   * With `init`: training sequences the starting model misclassifies at its
   * threshold count this many times (1: off; training/repeat-errors.ts).
   */
  repeatErrors?: number;
  /** Threads of the final training (1-2; training/data-parallel.ts). */
  threads?: number;
  /** The command line, recorded as the reproduce command. */
  command: string;
  /** Aborted: the final training stops after its current epoch and the run finishes as usual (Ctrl-C in the CLI). */
  stop?: AbortSignal;
  log?: (line: string) => void;
}

export interface TrainSummary {
  outDir: string;
  threshold: number;
  hyper: TrainHyper;
  test: ScoredMetrics;
  minutes: number;
}

export async function train(options: TrainOptions): Promise<TrainSummary> {
  const started = Date.now();
  const progress = buildProgress();
  const say = options.log ?? ((line: string) => progress.line(line));
  const runLog = buildRunLog(path.join(options.out, 'run-log.jsonl'));
  runLog('start', { options: { ...options, log: undefined } });
  const backend = await initBackend({ log: (l) => say(l) });

  const parts: LoadedDataset[] = [];
  for (const dir of [options.dataset, ...options.real]) {
    say(`loading ${dir}`);
    const t0 = Date.now();
    const d = await loadDataset(dir, { onProgress: (done, total) => progress.batch(`decoding ${path.basename(dir)}`, done, total, 0) });
    say(`  ${d.labels.length} sequences, ${d.frameCount} frames (${d.fromCache ? 'from cache' : 'decoded'}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    parts.push(d);
  }
  const data = mergeDatasets(parts);
  const splits = splitBySession(data);
  const sizes = describeSplits(splits);
  say(`split by session (${splits.method}): ${JSON.stringify(sizes)}`);
  runLog('data', { datasets: parts.map((p) => ({ dir: p.dir, hash: p.hash, sequences: p.labels.length, frames: p.frameCount })), split: splits.method, sizes });
  for (const name of ['train', 'validation', 'test'] as const) {
    if (splits[name].index.length === 0) throw new Error(`the ${name} split is empty: the dataset needs more sessions or a split column`);
  }

  let hyper = options.hyper ?? sampleTrials(1, options.seed)[0];
  let search: TrialResult[] = [];
  if (options.search > 0) {
    const rng = makeRng(options.seed ^ 0x5eed);
    const searchVal: SequenceSet = { data, index: shuffle(Int32Array.from(splits.validation.index), rng).subarray(0, options.searchValidation) };
    const trials = sampleTrials(options.search, options.seed);
    say(`search: ${trials.length} trials, <= ${options.searchEpochs} epochs x ${options.searchSamples} samples, ${searchVal.index.length} validation sequences, ${options.workers} worker(s)`);
    const t0 = Date.now();
    search = await runSearch({
      train: splits.train,
      validation: searchVal,
      trials,
      seed: options.seed,
      maxEpochs: options.searchEpochs,
      maxSamplesPerEpoch: options.searchSamples,
      workers: options.workers,
      onResult: (r) => {
        say(`  trial ${r.trial}: val F2 ${r.valF2.toFixed(4)} after ${r.epochs} epochs, ${r.seconds.toFixed(0)} s${r.error ? ` (failed: ${r.error})` : ''}`);
        runLog('trial', { ...r });
      },
    });
    const files = await writeSearchTable(options.out, search);
    say(`search done in ${((Date.now() - t0) / 60000).toFixed(1)} min; table: ${files.md}`);
    hyper = search[0].hyper;
  }
  const init = options.init ? await loadInit(options.init, hyper) : undefined;
  // a fine-tuned model is rebuilt by its starting model's command, then this one
  const reproduce = init ? `${init.from.reproduce} && ${options.command}` : options.command;
  if (init) say(`starting from the weights of ${options.init} (trained by: ${init.from.reproduce})`);
  const repeated = options.init && (options.repeatErrors ?? 1) > 1 ? await repeatInitErrors(options.init, splits.train, options.repeatErrors ?? 1) : undefined;
  if (repeated) {
    splits.train = repeated.train;
    say(`--repeat-errors ${repeated.repeat}: ${options.init} misclassifies ${repeated.falsePositives} permitted and ${repeated.falseNegatives} prohibited training sequences at its threshold ${repeated.threshold.toFixed(3)}; each counts ${repeated.repeat} times (${repeated.train.index.length} training sequences)`);
    runLog('repeat-errors', { repeat: repeated.repeat, threshold: repeated.threshold, falsePositives: repeated.falsePositives, falseNegatives: repeated.falseNegatives });
  }
  say(`final training: ${JSON.stringify(hyper)}`);
  runLog('final-start', { hyper, initFrom: init?.from });

  const deadline = options.maxMinutes > 0 ? Date.now() + options.maxMinutes * 60_000 : undefined;
  const result = await fit({
    hyper,
    train: splits.train,
    validation: splits.validation,
    mode: 'final',
    maxEpochs: options.epochs,
    seed: options.seed,
    maxSamplesPerEpoch: options.epochSamples || undefined,
    augmentProbability: options.augmentProbability,
    deadline,
    stop: options.stop,
    initWeights: init?.weights,
    threads: options.threads,
    onThreads: say,
    onBatch: (done, total, loss) => progress.batch('  epoch', done, total, loss),
    onEpoch: (e) => {
      say(`epoch ${e.epoch + 1}: train loss ${e.trainLoss.toFixed(4)}, val loss ${e.valLoss.toFixed(4)}, val F2 ${e.valF2.toFixed(4)} @${e.valThreshold.toFixed(3)}, lr ${e.learningRate.toExponential(1)}, ${e.seconds.toFixed(0)} s`);
      runLog('epoch', { ...e });
    },
  });
  init?.weights.forEach((w) => w.dispose());
  say(`stopped: ${result.stopReason}; kept epoch ${result.bestEpoch + 1} (val F2 ${result.valF2.toFixed(4)}), threshold ${result.threshold.toFixed(4)}`);

  const forward = fastForward(result.model);
  // Each dataset's test split is measured on its own: --dataset's is the headline
  // figure, a mixed-in real set gets its own row.
  const perPart: { dir: string; scores: Float32Array; labels: Uint8Array; test: ScoredMetrics; baselines: Record<string, unknown> }[] = [];
  let offset = 0;
  for (const part of parts) {
    const lo = offset;
    const hi = offset + part.labels.length;
    offset = hi;
    const inPart = (i: number) => i >= lo && i < hi;
    const partTest = subset(splits.test, inPart);
    if (partTest.index.length === 0) continue;
    const scores = predictScores(forward, partTest);
    const labels = labelsOf(partTest);
    const partTrain = subset(splits.train, inPart);
    const ci = { resamples: options.resamples, seed: options.seed, groups: sessionGroups(partTest) };
    const b = scoreBaselines({ evaluated: partTest, validation: subset(splits.validation, inPart), trainingPrior: partTrain.index.length ? prior(partTrain) : undefined });
    const baselines = Object.fromEntries(
      Object.entries(b).map(([name, r]) => [name, { description: r.description, ...metricsWithCi(r.scores, labels, r.threshold, ci) }]),
    );
    const test = metricsWithCi(scores, labels, result.threshold, ci);
    say(`test split of ${part.dir}: ${fmt(test)}`);
    runLog('test', { dataset: part.dir, test, baselines });
    perPart.push({ dir: part.dir, scores, labels, test, baselines });
  }
  if (perPart[0]?.dir !== parts[0].dir) throw new Error(`the test split of ${parts[0].dir} is empty: it needs more sessions or a split column with test rows`);
  const { scores: testScores, labels: testLabels, test, baselines: baselineMetrics } = perPart[0];

  const alertPoint = alertThreshold(result.valScores, labelsOf(splits.validation), TARGETS.synthetic.precision, result.threshold);
  const alert = { ...alertPoint, minPrecision: TARGETS.synthetic.precision, validation: { precision: alertPoint.precision, recall: alertPoint.recall, f2: alertPoint.f2 } };
  say(`alert threshold ${alert.threshold.toFixed(4)}: validation precision ${alert.precision.toFixed(3)}, recall ${alert.recall.toFixed(3)}${alert.floorReached ? '' : ` (precision ${TARGETS.synthetic.precision} out of reach: the F2 threshold is kept)`}`);
  const atAlert = (scores: ArrayLike<number>, labels: ArrayLike<number>) => pickPr(evaluateAt(scores, labels, alert.threshold));
  const minutes = (Date.now() - started) / 60000;
  await saveScreenModel(options.out, result.model, {
    architecture: hyper.model,
    threshold: result.threshold,
    alert: { threshold: alert.threshold, minPrecision: alert.minPrecision, validation: alert.validation, floorReached: alert.floorReached },
    metrics: {
      test_split: { dataset: options.dataset, split: 'test', ...test, baselines: baselineMetrics, atAlertThreshold: atAlert(testScores, testLabels) },
      ...Object.fromEntries(perPart.slice(1).map((p) => [`test_split_${path.basename(p.dir)}`, { dataset: p.dir, split: 'test', ...p.test, baselines: p.baselines, atAlertThreshold: atAlert(p.scores, p.labels) }])),
      validation: { f2: result.valF2, threshold: result.threshold, n: splits.validation.index.length },
    },
    training: {
      datasetHash: data.hash,
      datasets: parts.map((p) => ({ dir: p.dir, hash: p.hash, sequences: p.labels.length })),
      realScreensInTraining: options.real.length > 0,
      split: { method: splits.method, ...sizes },
      hyperparameters: {
        ...hyper,
        undersampling: 'majority class, redrawn every epoch',
        augmentation: 'flip, rotation, zoom, crop, contrast, brightness; same per sequence',
        ...(repeated ? { repeatErrors: { repeat: repeated.repeat, threshold: repeated.threshold, falsePositives: repeated.falsePositives, falseNegatives: repeated.falseNegatives } } : {}),
      },
      epochs: result.history.length,
      bestEpoch: result.bestEpoch + 1,
      stopReason: result.stopReason,
      history: result.history,
      search: search.slice(0, 20).map((r) => ({ trial: r.trial, valF2: r.valF2, epochs: r.epochs, seconds: r.seconds, hyper: r.hyper })),
      seed: options.seed,
      threads: result.threads,
      backend: backend.name,
      machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}`,
      minutes: Number(minutes.toFixed(1)),
      parameterCount: parameterCount(hyper.model),
      ...(init ? { initFrom: init.from } : {}),
    },
    reproduce,
  });
  say(`model saved to ${options.out}`);
  const drift = await checkSavedModel(options.out, subset(splits.test, (i) => i < parts[0].labels.length), testScores);
  say(`saved model re-loaded with the assistant's IncrementalClassifier: max |score difference| ${drift.toExponential(1)} on ${Math.min(64, testScores.length)} test windows`);
  runLog('saved-model-check', { maxScoreDifference: drift });

  await writePlots(options.out, result.history, testScores, testLabels, test.confusion);

  const holdouts: { dir: string; report: Record<string, unknown> }[] = [];
  for (const dir of options.holdout) {
    say(`evaluating the saved model on ${dir} (report only)`);
    const { evaluate } = await import('./evaluate.js');
    const { loadIncrementalModel } = await import('./evaluate-command.js');
    const { report, scores, labels } = await evaluate({ datasetDir: dir, modelDir: options.out, loadModel: loadIncrementalModel, resamples: options.resamples, seed: options.seed, log: () => {} });
    const alerting = atAlert(scores, labels);
    say(`  ${dir}: F2 ${report.f2.toFixed(4)} [${report.ci95.f2.map((v) => v.toFixed(3)).join(', ')}], precision ${report.precision.toFixed(4)}, recall ${report.recall.toFixed(4)}, n=${report.n}; at the alert threshold: precision ${alerting.precision.toFixed(4)}, recall ${alerting.recall.toFixed(4)}`);
    runLog('holdout', { dir, report, atAlertThreshold: alerting });
    holdouts.push({ dir, report: { ...report, atAlertThreshold: alerting } as unknown as Record<string, unknown> });
  }
  const metadataFile = path.join(options.out, 'metadata.json');
  const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as { metrics: Record<string, unknown>; parameters: number; preprocessing: { version: string }; targets?: TargetCheck[] };
  holdouts.forEach((h, i) => {
    metadata.metrics[i === 0 ? 'real_holdout' : `holdout_${i + 1}`] = { dataset: h.dir, ...h.report };
  });
  say('measuring inference speed of the saved model (incremental scheme, batch 16 and 64)');
  const targets = assessTargets({
    syntheticTest: test,
    realHoldout: holdouts[0]?.report as never,
    inferenceFramesPerCpuSecond: await measureInference(options.out),
    trainingMinutes: minutes,
    initMinutes: init?.from.minutes,
  });
  metadata.targets = targets;
  for (const t of targets) say(`target ${t.name}: ${t.measured} (${t.target}): ${t.met === null ? 'not measured' : t.met ? 'met' : 'missed'}`);
  await writeFile(metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
  await writeFile(path.join(options.out, 'README.md'), modelReadme({
    threshold: result.threshold,
    alert,
    parameters: metadata.parameters,
    architecture: { ...hyper.model },
    hyper: { optimizer: hyper.optimizer, learningRate: hyper.learningRate, batchSize: hyper.batchSize, loss: hyper.loss, positiveWeight: hyper.positiveWeight },
    training: { epochs: result.history.length, bestEpoch: result.bestEpoch + 1, stopReason: result.stopReason, minutes: (Date.now() - started) / 60000, split: { method: splits.method, ...sizes }, datasets: parts.map((p) => ({ dir: p.dir, sequences: p.labels.length })) },
    sets: [
      ...perPart.map((p) => ({ name: 'test split (by session)', dataset: p.dir, metrics: p.test, baselines: p.baselines as never })),
      ...holdouts.map((h) => ({ name: 'real-screen holdout', dataset: h.dir, metrics: h.report as never, baselines: (h.report.baseline ?? {}) as never })),
    ],
    reproduce,
    initFrom: init?.from,
    preprocessing: metadata.preprocessing.version,
    targets,
  }));
  await writeFile(path.join(options.out, 'training-summary.json'), `${JSON.stringify({ hyper, threshold: result.threshold, test, baselines: baselineMetrics, minutes }, null, 2)}\n`);
  runLog('done', { minutes });
  result.model.dispose();
  tf.disposeVariables();
  return { outDir: options.out, threshold: result.threshold, hyper, test, minutes };
}

/**
 * New frames per CPU second of the saved model as the assistant runs it, the
 * better of batch 16 and 64: one run, so `labwatch model measure-speed` can
 * replace it with a median when the machine was busy.
 */
async function measureInference(dir: string): Promise<number> {
  const { benchRuns, summariseSpeedRuns } = await import('./measure-speed-command.js');
  return summariseSpeedRuns((await benchRuns(dir, 1)).map((r) => r.rows)).framesPerCpuSecond;
}

/** Score a few test windows with what the assistant loads: must match training's own scores. */
async function checkSavedModel(dir: string, test: SequenceSet, expected: Float32Array): Promise<number> {
  const { IncrementalClassifier } = await import('../models/incremental-classifier.js');
  const clf = await IncrementalClassifier.load(dir);
  const { frames, seqFrames } = test.data;
  const frame = (f: number) => frames.subarray(f * FRAME_BYTES, (f + 1) * FRAME_BYTES);
  const n = Math.min(64, test.index.length);
  const windows = Array.from({ length: n }, (_, k) => [0, 1, 2].map((j) => frame(seqFrames[3 * test.index[k] + j])));
  const got = clf.scoreSequences(windows);
  clf.dispose();
  let max = 0;
  for (let k = 0; k < n; k++) max = Math.max(max, Math.abs(got[k] - expected[k]));
  if (max > 1e-3) throw new Error(`the saved model scores differ from training's by ${max}: training and inference forms disagree`);
  return max;
}

function pickPr(m: { precision: number; recall: number; f2: number }): { precision: number; recall: number; f2: number } {
  return { precision: m.precision, recall: m.recall, f2: m.f2 };
}

function describeSplits(s: Splits): Record<string, { sequences: number; positives: number }> {
  const one = (set: SequenceSet) => ({ sequences: set.index.length, positives: countLabels(set).positives });
  return { train: one(s.train), validation: one(s.validation), test: one(s.test) };
}

function prior(set: SequenceSet): number {
  return set.index.length ? countLabels(set).positives / set.index.length : 0;
}

function fmt(m: ScoredMetrics): string {
  const ci = (k: 'f2' | 'precision' | 'recall') => `[${m.ci95[k][0].toFixed(3)}, ${m.ci95[k][1].toFixed(3)}]`;
  return `F2 ${m.f2.toFixed(4)} ${ci('f2')}, precision ${m.precision.toFixed(4)} ${ci('precision')}, recall ${m.recall.toFixed(4)} ${ci('recall')}, n=${m.n}`;
}

async function writePlots(dir: string, history: { epoch: number; trainLoss: number; valLoss: number; valF2: number }[], scores: Float32Array, labels: Uint8Array, confusion: ReturnType<typeof evaluateAt>['confusion']): Promise<void> {
  const plots = path.join(dir, 'plots');
  await writePlot(path.join(plots, 'training-curves.svg'), trainingCurvesSvg(history.map((h) => ({ ...h, epoch: h.epoch + 1 })), 'Final training'));
  await writePlot(path.join(plots, 'test-pr-curve.svg'), prCurveSvg({ points: precisionRecallCurve(scores, labels).points, title: 'Test split: precision-recall' }));
  await writePlot(path.join(plots, 'test-confusion.svg'), confusionMatrixSvg(confusion, { title: 'Test split' }));
}

/** What a fine-tuned model's metadata records about the model it started from. */
export interface InitFrom {
  dir: string;
  createdAt: string;
  datasetHash?: string;
  datasets?: unknown;
  /** Its training minutes, with those of the models it was itself fine-tuned from, when its metadata gives them. */
  minutes?: number;
  reproduce: string;
}

/** Score the training split with the starting model and repeat what it gets wrong. */
async function repeatInitErrors(dir: string, trainSet: SequenceSet, repeat: number) {
  const { model, metadata } = await loadScreenModel(dir);
  const scores = predictScores(fastForward(model), trainSet);
  model.dispose();
  return { ...repeatErrors(trainSet, scores, metadata.threshold, repeat), repeat, threshold: metadata.threshold };
}

/** Weights of a saved model to start from; refuses another architecture, naming the differences. */
async function loadInit(dir: string, hyper: TrainHyper): Promise<{ weights: tf.Tensor[]; from: InitFrom }> {
  const { model, metadata } = await loadScreenModel(dir);
  const want = hyper.model as unknown as Record<string, unknown>;
  const have = metadata.architecture as unknown as Record<string, unknown>;
  const diffs = [...new Set([...Object.keys(want), ...Object.keys(have)])].filter((k) => JSON.stringify(want[k]) !== JSON.stringify(have[k]));
  if (diffs.length > 0) {
    model.dispose();
    throw lwError('LABWATCH_ERR_CONFIG_INVALID', {
      problems: `  --init ${dir}: its architecture differs from the training hyperparameters in ${diffs.map((k) => `${k} (${JSON.stringify(have[k])} there, ${JSON.stringify(want[k])} here)`).join(', ')}`,
    });
  }
  const weights = model.getWeights().map((w) => w.clone());
  model.dispose();
  const t = metadata.training as Record<string, unknown>;
  return {
    weights,
    from: {
      dir,
      createdAt: metadata.createdAt,
      datasetHash: metadata.training.datasetHash,
      datasets: t.datasets,
      // a model fine-tuned from another carries that one's minutes in initFrom: the whole chain counts
      minutes: typeof t.minutes === 'number' ? t.minutes + (((t.initFrom as InitFrom | undefined)?.minutes) ?? 0) : undefined,
      reproduce: metadata.reproduce,
    },
  };
}
