import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { isLabwatchError, lwError } from '../core/errors.js';
import type { SequenceRow } from '../core/dataset/manifest.js';
import { initBackend } from './backend.js';
import { PREPROCESS_SPEC, PREPROCESS_VERSION } from './preprocess.js';
import { validateArgs, type ScreenClassifierArgs } from './screen-classifier.js';

/**
 * A model folder: `model.json` (tfjs layers format, loadable by any tfjs),
 * `weights.bin` (one shard) and `metadata.json` (what a user needs to trust and
 * reproduce the model). There is no file:// handler without tfjs-node, so the
 * files are written and read here and handed to tfjs through memory handlers.
 */
export const MODEL_FILES = { model: 'model.json', weights: 'weights.bin', metadata: 'metadata.json' } as const;
export const MODEL_FORMAT_VERSION = 1;

/** How `labwatch model calibrate-alerts` chose the alert threshold (training/alert-replay.ts). */
export interface AlertCalibration {
  /**
   * alert-replay-f2: the best alert-level F2; alert-replay-f2-tie-fewer-alerts
   * (`--f2-tolerance`): the highest threshold within `f2Tolerance` of it.
   */
  method: 'alert-replay-f2' | 'alert-replay-f2-tie-fewer-alerts';
  f2Tolerance?: number;
  /** With the tolerance: the threshold of the best alert-level F2, and that F2. */
  bestF2Threshold?: number;
  bestAlertF2?: number;
  dataset: string;
  datasetHash: string;
  split: string;
  confirmWindows: number;
  /** The training run's own alert threshold, replaced by this one. */
  previousThreshold: number;
  chains: number;
  permittedHours: number;
  falseAlerts: number;
  falseAlertsPerHour: number;
  episodes: number;
  episodesAlerted: number;
  alertF2: number;
  calibratedAt: string;
}

export interface ScreenModelMetadata {
  formatVersion: typeof MODEL_FORMAT_VERSION;
  /** ISO 8601. */
  createdAt: string;
  /** The preprocessing the model was trained on; loading refuses another version. */
  preprocessing: { version: string } & Record<string, unknown>;
  architecture: ScreenClassifierArgs;
  /** Trainable parameter count. */
  parameters: number;
  /** Probability at or above which a window is classified prohibited (F2-best on validation; used by evaluation). */
  threshold: number;
  /**
   * The assistant's alerting operating point, when the training run set one:
   * the highest-recall threshold whose validation precision reaches `minPrecision`
   * (training/threshold.ts alertThreshold). Absent: the assistant alerts at `threshold`.
   */
  alert?: {
    threshold: number;
    minPrecision: number;
    validation: { precision: number; recall: number; f2: number };
    floorReached: boolean;
    /** Set by `labwatch model calibrate-alerts`: the threshold was re-chosen by replaying the alert rule over sessions. */
    calibration?: AlertCalibration;
  };
  /** Free-form: e.g. synthetic test set and real-screen set figures with CIs. */
  metrics: Record<string, unknown>;
  /** Free-form: dataset hash, epochs, seed, timings... */
  training: { datasetHash?: string; epochs?: number } & Record<string, unknown>;
  /** The command that rebuilds this model. */
  reproduce: string;
}

/** What a caller supplies; the rest is filled in by `saveScreenModel`. */
export type ScreenModelMetadataInput = Omit<ScreenModelMetadata, 'formatVersion' | 'createdAt' | 'preprocessing' | 'parameters'> &
  Partial<Pick<ScreenModelMetadata, 'createdAt'>>;

export interface LoadedScreenModel {
  model: tf.LayersModel;
  metadata: ScreenModelMetadata;
}

/** Save `model` and its metadata into `dir` (created if needed; files replaced atomically). */
export async function saveScreenModel(dir: string, model: tf.LayersModel, input: ScreenModelMetadataInput): Promise<ScreenModelMetadata> {
  const metadata: ScreenModelMetadata = {
    formatVersion: MODEL_FORMAT_VERSION,
    createdAt: input.createdAt ?? new Date().toISOString(),
    preprocessing: { ...PREPROCESS_SPEC },
    architecture: validateArgs(input.architecture),
    parameters: model.countParams(),
    threshold: input.threshold,
    ...(input.alert ? { alert: input.alert } : {}),
    metrics: input.metrics,
    training: input.training,
    reproduce: input.reproduce,
  };
  if (!(metadata.threshold >= 0 && metadata.threshold <= 1)) {
    throw lwError('LABWATCH_ERR_MODEL_BAD_ARGS', { problems: `  threshold: ${metadata.threshold} (need a probability 0-1)` });
  }
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const modelJson: tf.io.ModelJSON = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: [{ paths: [`./${MODEL_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeAtomic(path.join(dir, MODEL_FILES.weights), weights);
      await writeAtomic(path.join(dir, MODEL_FILES.model), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  // Written last: a folder with metadata.json holds a complete model.
  await writeAtomic(path.join(dir, MODEL_FILES.metadata), `${JSON.stringify(metadata, null, 2)}\n`);
  return metadata;
}

/** Read and check `metadata.json` only (cheap: no tfjs work). */
export async function readModelMetadata(dir: string): Promise<ScreenModelMetadata> {
  const resolved = path.resolve(dir);
  for (const file of Object.values(MODEL_FILES)) {
    if (!existsSync(path.join(resolved, file))) throw lwError('LABWATCH_ERR_MODEL_NOT_FOUND', { dir: resolved });
  }
  const metadata = await readJson(resolved, MODEL_FILES.metadata) as Partial<ScreenModelMetadata>;
  const corrupt = (reason: string) => lwError('LABWATCH_ERR_MODEL_CORRUPT', { dir: resolved, reason });
  if (metadata.formatVersion !== MODEL_FORMAT_VERSION) {
    throw corrupt(`metadata.json formatVersion is ${JSON.stringify(metadata.formatVersion)}, this labwatch reads ${MODEL_FORMAT_VERSION}`);
  }
  const found = metadata.preprocessing?.version;
  if (found !== PREPROCESS_VERSION) {
    throw lwError('LABWATCH_ERR_MODEL_INCOMPATIBLE', { dir: resolved, found: String(found), expected: PREPROCESS_VERSION });
  }
  if (typeof metadata.threshold !== 'number' || !(metadata.threshold >= 0 && metadata.threshold <= 1)) {
    throw corrupt(`metadata.json threshold is ${JSON.stringify(metadata.threshold)}, expected a probability 0-1`);
  }
  if (metadata.alert !== undefined && !(typeof metadata.alert?.threshold === 'number' && metadata.alert.threshold >= 0 && metadata.alert.threshold <= 1)) {
    throw corrupt(`metadata.json alert.threshold is ${JSON.stringify(metadata.alert?.threshold)}, expected a probability 0-1`);
  }
  try {
    metadata.architecture = validateArgs(metadata.architecture ?? ({} as ScreenClassifierArgs));
  } catch (err) {
    if (isLabwatchError(err)) throw corrupt(`metadata.json architecture is invalid: ${err.message}`);
    throw err;
  }
  return metadata as ScreenModelMetadata;
}

/** Load a model folder saved by `saveScreenModel`. */
export async function loadScreenModel(dir: string): Promise<LoadedScreenModel> {
  const resolved = path.resolve(dir);
  const metadata = await readModelMetadata(resolved);
  await initBackend();
  const modelJson = await readJson(resolved, MODEL_FILES.model) as tf.io.ModelJSON;
  const weights = await readFile(path.join(resolved, MODEL_FILES.weights));
  const corrupt = (reason: string, cause?: unknown) => lwError('LABWATCH_ERR_MODEL_CORRUPT', { dir: resolved, reason }, cause);
  const specs = (modelJson.weightsManifest ?? []).flatMap((group) => group.weights);
  const expectedBytes = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * bytesPerValue(s.dtype), 0);
  if (expectedBytes !== weights.byteLength) {
    throw corrupt(`weights.bin has ${weights.byteLength} bytes, model.json describes ${expectedBytes}`);
  }
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  try {
    const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async () => [specs, weightData]);
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    return { model, metadata };
  } catch (err) {
    throw corrupt(`model.json does not describe a loadable model (${(err as Error).message})`, err);
  }
}

function bytesPerValue(dtype: string): number {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool' || dtype === 'uint8') return 1;
  if (dtype === 'float16' || dtype === 'uint16') return 2;
  throw new Error(`unsupported weight dtype ${dtype}`);
}

async function readJson(dir: string, file: string): Promise<unknown> {
  const text = await readFile(path.join(dir, file), 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw lwError('LABWATCH_ERR_MODEL_CORRUPT', { dir, reason: `${file} is not valid JSON (${(err as Error).message})` }, err);
  }
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/**
 * sha256 over a dataset's labelled rows and the bytes of every frame they use,
 * independent of row order, so metadata.json pins exactly what a model was
 * trained on. `frames` is the dataset folder, or a reader of a row's frame path.
 */
export async function datasetHash(
  rows: readonly SequenceRow[],
  frames: string | ((relativePath: string) => Promise<Uint8Array>),
): Promise<string> {
  const read = typeof frames === 'string' ? (rel: string) => readFile(path.join(frames, rel)) : frames;
  const hash = createHash('sha256');
  const sorted = [...rows].sort((a, b) => (a.sequenceId < b.sequenceId ? -1 : a.sequenceId > b.sequenceId ? 1 : 0));
  for (const row of sorted) {
    const extra = Object.keys(row.extra).sort().map((k) => [k, row.extra[k]]);
    hash.update(JSON.stringify([row.sequenceId, row.label, row.frames, extra]));
    hash.update('\n');
  }
  const files = [...new Set(sorted.flatMap((r) => r.frames))].sort();
  // Read a few files at a time (fast on large datasets), hash in sorted order.
  for (let i = 0; i < files.length; i += 32) {
    const chunk = files.slice(i, i + 32);
    const contents = await Promise.all(chunk.map((f) => read(f)));
    chunk.forEach((file, j) => {
      hash.update(`${file}\0${contents[j].byteLength}\0`);
      hash.update(contents[j]);
    });
  }
  return `sha256:${hash.digest('hex')}`;
}
