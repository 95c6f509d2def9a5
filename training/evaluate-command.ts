import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SPLITS, type Split } from '../core/dataset/manifest.js';
import { DEFAULT_CONFIRM_WINDOWS, MAX_CONFIRM_WINDOWS } from '../assistant/alert-rule.js';
import { lwError } from '../core/errors.js';
import { defaultModelDir } from '../core/paths.js';
import { evaluate, type EvaluationResult, type LoadedScorer, type SequenceScorer } from './evaluate.js';
import { formatReport } from './evaluate-report.js';
import { confusionMatrixSvg, prCurveSvg, writePlot } from './plots.js';

/** The action of `labwatch evaluate`: validate options, evaluate, print, plot. */

export interface EvaluateCommandOptions {
  model?: string;
  dataset?: string;
  split?: string;
  json?: boolean;
  resamples?: string;
  seed?: string;
  plots?: string;
  bySource?: boolean;
  byShare?: boolean;
  alerts?: boolean;
  confirmWindows?: string;
}

export interface ValidEvaluateOptions {
  modelDir: string;
  datasetDir: string;
  split?: Split;
  json: boolean;
  resamples: number;
  seed: number;
  plotsDir?: string;
  bySource: boolean;
  byShare: boolean;
  /** Replay the alert rule confirming after this many windows; undefined without --alerts. */
  alertsConfirm?: number;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Check every option at once; all problems are listed in one LABWATCH_ERR_CONFIG_INVALID. */
export function validateEvaluateOptions(raw: EvaluateCommandOptions): ValidEvaluateOptions {
  const problems: string[] = [];
  const modelDir = path.resolve(raw.model ?? defaultModelDir());
  if (!isDir(modelDir)) problems.push(`--model ${modelDir}: no such folder (give a folder holding model.json, weights.bin, metadata.json)`);
  let datasetDir = '';
  if (raw.dataset === undefined || raw.dataset.trim() === '') problems.push('--dataset is required (a folder holding manifest.csv)');
  else {
    datasetDir = path.resolve(raw.dataset);
    if (!isDir(datasetDir)) problems.push(`--dataset ${datasetDir}: no such folder`);
  }
  if (raw.split !== undefined && !(SPLITS as readonly string[]).includes(raw.split)) {
    problems.push(`--split ${raw.split}: expected one of ${SPLITS.join(', ')}`);
  }
  const integer = (name: string, text: string | undefined, fallback: number, min: number, max: number) => {
    if (text === undefined) return fallback;
    const v = Number(text);
    if (!Number.isInteger(v) || v < min || v > max) problems.push(`--${name} ${text}: expected an integer from ${min} to ${max}`);
    return v;
  };
  const resamples = integer('resamples', raw.resamples, 10_000, 100, 1_000_000);
  const seed = integer('seed', raw.seed, 1, 0, 2 ** 32 - 1);
  const confirm = integer('confirm-windows', raw.confirmWindows, DEFAULT_CONFIRM_WINDOWS, 1, MAX_CONFIRM_WINDOWS);
  if (raw.confirmWindows !== undefined && !raw.alerts) problems.push('--confirm-windows only applies with --alerts');
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.map((p) => `  ${p}`).join('\n') });
  return {
    modelDir,
    datasetDir,
    split: raw.split as Split | undefined,
    json: raw.json ?? false,
    resamples,
    seed,
    plotsDir: raw.plots === undefined ? undefined : path.resolve(raw.plots),
    bySource: raw.bySource ?? false,
    byShare: raw.byShare ?? false,
    alertsConfirm: raw.alerts ? confirm : undefined,
  };
}

/** Load a model folder as the assistant does: IncrementalClassifier, threshold from metadata.json. */
export async function loadIncrementalModel(dir: string): Promise<LoadedScorer> {
  const { readModelMetadata } = await import('../models/model-io.js');
  // Checked first: a missing or incompatible model fails before tfjs starts.
  const metadata = await readModelMetadata(dir);
  const { IncrementalClassifier } = await import('../models/incremental-classifier.js');
  const scorer: SequenceScorer = await IncrementalClassifier.load(dir);
  return {
    scorer,
    info: {
      created_at: metadata.createdAt,
      preprocessing: metadata.preprocessing.version,
      parameters: metadata.parameters,
      architecture: metadata.architecture,
      data_hash: metadata.training.datasetHash ?? null,
      reproduce: metadata.reproduce,
    },
  };
}

export async function writeEvaluationPlots(result: EvaluationResult, dir: string): Promise<string[]> {
  const r = result.report;
  const svgs: Record<string, string> = {
    'pr-curve': prCurveSvg({
      title: `Precision-recall (${r.dataset.split}, n=${r.n})`,
      points: result.curve.points,
      averagePrecision: result.curve.averagePrecision,
      operatingPoint: { precision: r.precision, recall: r.recall, threshold: r.threshold },
      prevalence: r.dataset.prevalence,
      baselines: [
        { name: 'frame difference', precision: r.baseline.frame_difference.precision, recall: r.baseline.frame_difference.recall },
      ],
    }),
    confusion: confusionMatrixSvg(r.confusion, { title: `Model at threshold ${Number(r.threshold.toFixed(4))}` }),
  };
  const files: string[] = [];
  for (const [name, svg] of Object.entries(svgs)) {
    for (const ext of ['svg', 'png']) {
      const file = path.join(dir, `${name}.${ext}`);
      await writePlot(file, svg);
      files.push(file);
    }
  }
  return files;
}

export async function runEvaluateCommand(raw: EvaluateCommandOptions): Promise<void> {
  const o = validateEvaluateOptions(raw);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const result = await evaluate({
    datasetDir: o.datasetDir,
    modelDir: o.modelDir,
    loadModel: loadIncrementalModel,
    split: o.split,
    resamples: o.resamples,
    seed: o.seed,
    bySource: o.bySource,
    byShare: o.byShare,
    alertsConfirm: o.alertsConfirm,
    log,
  });
  if (o.plotsDir) {
    const files = await writeEvaluationPlots(result, o.plotsDir);
    log(`plots written: ${files.join(', ')}`);
  }
  process.stdout.write(o.json ? `${JSON.stringify(result.report)}\n` : formatReport(result.report));
}
