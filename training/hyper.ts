import { readFile } from 'node:fs/promises';
import { validateArgs } from '../models/screen-classifier.js';
import { OPTIMIZERS, type TrainHyper } from './fit.js';
import { LOSS_NAMES } from './losses.js';

/**
 * Read training hyperparameters from JSON: `{model, optimizer, learningRate,
 * batchSize, loss, positiveWeight}` (a training/configs file), a search trial
 * (`{hyper: ...}`) or a whole model metadata.json (`training.hyperparameters`).
 * Every problem in one error.
 */
export function parseHyper(json: unknown): TrainHyper {
  const o = (json ?? {}) as Record<string, unknown>;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  const saved = isObject(o.training) ? o.training.hyperparameters : undefined;
  const source = isObject(saved) ? saved : isObject(o.hyper) ? o.hyper : o;
  const problems: string[] = [];
  const optimizer = source.optimizer ?? 'adam';
  if (!(OPTIMIZERS as readonly unknown[]).includes(optimizer)) problems.push(`optimizer ${JSON.stringify(optimizer)} (need ${OPTIMIZERS.join(', ')})`);
  const learningRate = Number(source.learningRate ?? 0.001);
  if (!(learningRate > 0 && learningRate < 1)) problems.push(`learningRate ${source.learningRate} (need 0-1)`);
  const batchSize = Number(source.batchSize ?? 32);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1024) problems.push(`batchSize ${source.batchSize} (need 1-1024)`);
  const loss = source.loss ?? 'bce';
  if (!(LOSS_NAMES as readonly unknown[]).includes(loss)) problems.push(`loss ${JSON.stringify(loss)} (need ${LOSS_NAMES.join(', ')})`);
  const positiveWeight = Number(source.positiveWeight ?? 2);
  if (!(positiveWeight > 0)) problems.push(`positiveWeight ${source.positiveWeight} (need > 0)`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return {
    model: validateArgs((source.model ?? {}) as Record<string, never>),
    optimizer: optimizer as TrainHyper['optimizer'],
    learningRate,
    batchSize,
    loss: loss as TrainHyper['loss'],
    positiveWeight,
  };
}

/** `parseHyper` of a JSON file (a `--config` file or a model folder's metadata.json). */
export async function readHyperFile(file: string): Promise<TrainHyper> {
  return parseHyper(JSON.parse(await readFile(file, 'utf8')));
}
