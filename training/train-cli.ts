import type { Command } from 'commander';
import { lwError } from '../core/errors.js';
import { MAX_TRAIN_THREADS } from './data-parallel.js';
import { MAX_ERROR_REPEAT } from './repeat-errors.js';

/** Raw commander options of `labwatch train` (strings until validated). */
export interface TrainCliOptions {
  dataset?: string;
  out?: string;
  real: string[];
  search: string;
  epochs: string;
  seed: string;
  searchEpochs: string;
  searchSamples: string;
  searchValidation: string;
  epochSamples: string;
  workers: string;
  maxMinutes: string;
  config?: string;
  resamples: string;
  holdout: string[];
  augment?: string;
  init?: string;
  repeatErrors?: string;
  threads?: string;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      "Train the screen classifier with the paper's methodology (session split, undersampling, augmentation, optional hyperparameter search, best-F2 checkpoint, F2-optimal threshold) and save a model folder with metadata, run log and plots",
    )
    .option('--dataset <dir>', 'training dataset folder holding manifest.csv (required; split by session)')
    .option('--out <dir>', 'output model folder (required), e.g. models/screen')
    .option('--real <dir>', 'extra dataset of recorded real screens to mix in (repeatable; never pass the real-screen holdout)', collect, [])
    .option('--search <n>', 'hyperparameter search trials before the final training (0: none)', '0')
    .option('--epochs <n>', 'max epochs of the final training', '30')
    .option('--seed <n>', 'seed of weights, sampling, augmentation and search', '1')
    .option('--search-epochs <n>', 'max epochs per search trial (1-10; early stopping on validation F2, patience 2)', '10')
    .option('--search-samples <n>', 'balanced training samples per search epoch', '2000')
    .option('--search-validation <n>', 'validation sequences scored by search trials', '1000')
    .option('--epoch-samples <n>', 'cap of balanced samples per final epoch (0: all)', '0')
    .option('--workers <n>', 'parallel search workers (0-2)', '2')
    .option('--max-minutes <n>', 'time budget of the final training; stops after the epoch that passes it (0: none)', '0')
    .option('--augment <p>', 'probability of each augmentation per sequence in the final training (0-1)', '0.5')
    .option('--config <file>', 'JSON hyperparameters to train without search: a training/configs file, a search-results trial or a model folder\'s metadata.json')
    .option('--resamples <n>', 'bootstrap resamples for the test confidence intervals', '2000')
    .option('--init <dir>', 'start from the weights of this model folder (fine-tuning on new data); its hyperparameters are used unless --config gives others with the same architecture; no search')
    .option('--threads <n>', `threads of the final training, 1-${MAX_TRAIN_THREADS}: 2 splits every batch with a worker thread (the same training; pays with batches of 64+, e.g. training/configs/3x8-s1p-gru32-b64.json)`, '1')
    .option('--repeat-errors <n>', `with --init: training sequences the starting model gets wrong (at its threshold) count n times, 1-${MAX_ERROR_REPEAT} (1: off)`, '1')
    .option('--holdout <dir>', 'dataset evaluated after saving, reported in metadata.json and README.md only (repeatable), e.g. data/real-holdout', collect, [])
    .action(async (raw: TrainCliOptions) => {
      const options = await validateTrainOptions(raw, process.argv.slice(2));
      const { train } = await import('./train.js');
      // A long run interrupted by hand should not lose its best epoch: the first
      // Ctrl-C ends the training after the current epoch and saves as usual.
      const stop = new AbortController();
      const abortNow = () => process.exit(130);
      const stopAfterEpoch = () => {
        process.stderr.write('\nCtrl-C: stopping after this epoch, then testing and saving the best checkpoint (Ctrl-C again to abort without saving)\n');
        stop.abort();
        process.once('SIGINT', abortNow);
      };
      process.once('SIGINT', stopAfterEpoch);
      try {
        await train({ ...options, stop: stop.signal });
      } finally {
        process.removeListener('SIGINT', stopAfterEpoch);
        process.removeListener('SIGINT', abortNow);
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Check every option at once; all problems in one LABWATCH_ERR_CONFIG_INVALID. */
export async function validateTrainOptions(raw: TrainCliOptions, argv: string[]) {
  const { existsSync } = await import('node:fs');
  const path = await import('node:path');
  const problems: string[] = [];
  const int = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`  --${name} ${value}: need an integer ${min}-${max}`);
    return n;
  };
  const prob = (name: string, value: string) => {
    const n = Number(value);
    if (!(n >= 0 && n <= 1)) problems.push(`  --${name} ${value}: need a probability 0-1`);
    return n;
  };
  if (!raw.dataset) problems.push('  --dataset is required');
  else if (!existsSync(path.join(raw.dataset, 'manifest.csv'))) problems.push(`  --dataset ${raw.dataset}: no manifest.csv there`);
  if (!raw.out) problems.push('  --out is required');
  for (const h of raw.holdout ?? []) {
    if (!existsSync(path.join(h, 'manifest.csv'))) problems.push(`  --holdout ${h}: no manifest.csv there`);
  }
  for (const r of raw.real) {
    if (!existsSync(path.join(r, 'manifest.csv'))) problems.push(`  --real ${r}: no manifest.csv there`);
    if (/holdout/i.test(path.basename(path.resolve(r)))) problems.push(`  --real ${r}: looks like the real-screen holdout set, which must never be trained on`);
  }
  const options = {
    dataset: raw.dataset ?? '',
    out: raw.out ?? '',
    real: raw.real,
    search: int('search', raw.search, 0, 200),
    epochs: int('epochs', raw.epochs, 1, 500),
    seed: int('seed', raw.seed, 0, 2 ** 31 - 1),
    searchEpochs: int('search-epochs', raw.searchEpochs, 1, 10),
    searchSamples: int('search-samples', raw.searchSamples, 16, 10_000_000),
    searchValidation: int('search-validation', raw.searchValidation, 16, 10_000_000),
    epochSamples: int('epoch-samples', raw.epochSamples, 0, 10_000_000),
    workers: int('workers', raw.workers, 0, 2),
    maxMinutes: int('max-minutes', raw.maxMinutes, 0, 10_000),
    resamples: int('resamples', raw.resamples, 100, 1_000_000),
    holdout: raw.holdout ?? [],
    augmentProbability: prob('augment', raw.augment ?? '0.5'),
    init: raw.init,
    threads: int('threads', raw.threads ?? '1', 1, MAX_TRAIN_THREADS),
    repeatErrors: int('repeat-errors', raw.repeatErrors ?? '1', 1, MAX_ERROR_REPEAT),
    hyper: undefined as import('./fit.js').TrainHyper | undefined,
    command: `labwatch ${argv.map(shellQuote).join(' ')}`,
  };
  if (raw.config) {
    try {
      const { readHyperFile } = await import('./hyper.js');
      options.hyper = await readHyperFile(raw.config);
    } catch (err) {
      problems.push(`  --config ${raw.config}: ${(err as Error).message.split('\n').join(' ')}`);
    }
  }
  if (raw.init) {
    const meta = path.join(raw.init, 'metadata.json');
    if (!existsSync(meta)) problems.push(`  --init ${raw.init}: no metadata.json there (give a model folder saved by labwatch train)`);
    else if (!raw.config) {
      try {
        const { readHyperFile } = await import('./hyper.js');
        options.hyper = await readHyperFile(meta);
      } catch (err) {
        problems.push(`  --init ${raw.init}: its metadata.json has no usable training.hyperparameters (${(err as Error).message.split('\n').join(' ')}); give --config`);
      }
    }
    if (options.search > 0) problems.push(`  --init ${raw.init} with --search ${options.search}: a fine-tuning run trains the given model, it does not search`);
  }
  if (options.repeatErrors > 1 && !raw.init) problems.push(`  --repeat-errors ${options.repeatErrors}: repeats the errors of the starting model, so it needs --init`);
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.join('\n') });
  return options;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
