import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { IncrementalClassifier } from '../models/incremental-classifier.js';
import { loadScreenModel } from '../models/model-io.js';
import { DEFAULT_ARGS } from '../models/screen-classifier.js';
import { writeTinyDataset } from '../test/fixtures/tiny-dataset.js';
import { allSequences, loadDataset } from './data.js';
import type { TrainHyper } from './fit.js';
import { runSearch, sampleTrials, writeSearchTable, frameCostMacs, MAX_FRAME_MACS } from './search.js';
import { leakedSessions, splitBySession } from './split.js';
import { train, type TrainOptions } from './train.js';
import { validateTrainOptions } from './train-cli.js';

const TINY: TrainHyper = {
  model: { ...DEFAULT_ARGS, convLayers: 2, firstFilters: 4, rnnUnits: 16, denseLayers: 0, dropout: 0 },
  optimizer: 'adam',
  learningRate: 0.003,
  batchSize: 8,
  loss: 'bce',
  positiveWeight: 2,
};

let dir: string;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lw-train-'));
  dir = path.join(work, 'data');
  await writeTinyDataset(dir, { perSplit: 12 });
});
afterAll(async () => rm(work, { recursive: true, force: true }));

const quiet = () => {};

describe('training data', () => {
  it('decodes each frame once, then reloads from the cache with the same pixels', async () => {
    const first = await loadDataset(dir);
    const again = await loadDataset(dir);
    expect(again.fromCache).toBe(true);
    expect(again.hash).toBe(first.hash);
    expect(Buffer.compare(Buffer.from(again.frames), Buffer.from(first.frames))).toBe(0);
    expect(first.frameCount).toBe(36 * 3);
    expect(existsSync(path.join(dir, '.cache'))).toBe(true);
  });

  it('splits by session, using the split column, with no session in two splits', async () => {
    const data = await loadDataset(dir);
    const s = splitBySession(data);
    expect(s.method).toBe('split-column');
    expect([s.train.index.length, s.validation.index.length, s.test.index.length]).toEqual([12, 12, 12]);
    expect(leakedSessions(s)).toEqual([]);
    // Without a split column, whole sessions are bucketed together.
    const noColumn = { ...data, splitColumn: data.splitColumn.map(() => ''), sessions: data.sessions.map((_, i) => `sess${i % 5}`) };
    const h = splitBySession(noColumn);
    expect(h.method).toBe('session-grouped');
    expect(leakedSessions(h)).toEqual([]);
    expect(h.train.index.length + h.validation.index.length + h.test.index.length).toBe(allSequences(data).index.length);
  });
});

describe('labwatch train (smoke: tiny data, tiny model, 2 epochs)', () => {
  it('writes a loadable model folder with threshold, metrics with CIs, run log and plots', async () => {
    const out = path.join(work, 'model');
    const options: TrainOptions = {
      dataset: dir, out, real: [], search: 0, epochs: 2, seed: 3, hyper: TINY, searchEpochs: 1, searchSamples: 16,
      searchValidation: 16, epochSamples: 0, workers: 0, maxMinutes: 0, resamples: 200, holdout: [dir], command: 'labwatch train --dataset d --out m', log: quiet,
    };
    const summary = await train(options);
    expect(summary.threshold).toBeGreaterThanOrEqual(0);
    expect(summary.threshold).toBeLessThanOrEqual(1);

    const { model, metadata } = await loadScreenModel(out);
    model.dispose();
    expect(metadata.threshold).toBe(summary.threshold);
    expect(metadata.reproduce).toBe('labwatch train --dataset d --out m');
    expect(metadata.architecture).toEqual(TINY.model);
    const test = metadata.metrics.test_split as { n: number; f2: number; ci95: { f2: [number, number] }; baselines: Record<string, unknown> };
    expect(test.n).toBe(12);
    expect(test.ci95.f2[0]).toBeLessThanOrEqual(test.f2);
    expect(Object.keys(test.baselines)).toEqual(['majority', 'always_prohibited', 'frame_difference']);
    expect(metadata.training.epochs).toBe(2);
    expect(metadata.training.datasetHash).toMatch(/^[0-9a-f]{64}$/);

    const log = (await readFile(path.join(out, 'run-log.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(log.filter((e) => e.event === 'epoch')).toHaveLength(2);
    expect(log.at(-1)?.event).toBe('done');
    expect(existsSync(path.join(out, 'plots', 'training-curves.svg'))).toBe(true);
    // The holdout is evaluated after saving and reported, with its baselines.
    const holdout = metadata.metrics.real_holdout as { n: number; f2: number; baseline: Record<string, unknown> };
    expect(holdout.n).toBe(36);
    expect(Object.keys(holdout.baseline)).toContain('frame_difference');
    const readme = await readFile(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('real-screen holdout');
    expect(readme).toContain('labwatch.js train --dataset d --out m');
    // The alerting operating point: never below the F2 threshold, stated with its validation figures.
    expect(metadata.alert!.threshold).toBeGreaterThanOrEqual(metadata.threshold);
    expect(metadata.alert!.minPrecision).toBe(0.9);
    expect(readme).toContain('alert threshold:');
    // Every project target is stated as met, missed or not measured.
    const targets = (metadata as unknown as { targets: { name: string; met: boolean | null }[] }).targets;
    expect(targets.map((t) => t.name)).toEqual(['synthetic test split', 'real-screen holdout', 'inference, one core', 'training time']);
    expect(targets[2].met).not.toBeNull();
    expect(readme).toContain('## Targets');

    // The assistant's classifier loads what training saved and scores windows.
    const clf = await IncrementalClassifier.load(out);
    expect(clf.threshold).toBe(summary.threshold);
    expect(clf.alertThreshold).toBe(metadata.alert!.threshold);
    const data = await loadDataset(dir);
    const f = (k: number) => data.frames.subarray(k * 7500, (k + 1) * 7500);
    const probs = clf.scoreSequences([[f(0), f(1), f(2)]]);
    expect(probs[0]).toBeGreaterThanOrEqual(0);
    expect(probs[0]).toBeLessThanOrEqual(1);
  });

  it('fine-tunes from a saved model: starts from its weights, records it, refuses another architecture', async () => {
    const base = path.join(work, 'model');
    const out = path.join(work, 'model-ft');
    const common: TrainOptions = {
      dataset: dir, out, real: [], search: 0, epochs: 1, seed: 4, hyper: { ...TINY, learningRate: 1e-9 }, searchEpochs: 1, searchSamples: 16,
      searchValidation: 16, epochSamples: 0, workers: 0, maxMinutes: 0, resamples: 200, holdout: [], command: 'labwatch train --init m --out f', log: quiet,
    };
    await train({ ...common, init: base, repeatErrors: 2 });
    const before = await IncrementalClassifier.load(base);
    const after = await IncrementalClassifier.load(out);
    const data = await loadDataset(dir);
    const f = (k: number) => data.frames.subarray(k * 7500, (k + 1) * 7500);
    const windows = [[f(0), f(1), f(2)], [f(3), f(4), f(5)], [f(30), f(31), f(32)]];
    // a learning rate of 1e-9 leaves the starting weights as they were: the scores are the base model's
    const a = Array.from(before.scoreSequences(windows));
    const b = Array.from(after.scoreSequences(windows));
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 4));
    const { metadata } = await loadScreenModel(out);
    const from = metadata.training.initFrom as { dir: string; reproduce: string };
    expect(from.dir).toBe(base);
    expect(metadata.reproduce).toBe('labwatch train --dataset d --out m && labwatch train --init m --out f');
    // --repeat-errors: the base model's training errors were counted twice, and the count is recorded
    const rep = (metadata.training.hyperparameters as { repeatErrors?: { repeat: number; falsePositives: number; falseNegatives: number; threshold: number } }).repeatErrors;
    expect(rep?.repeat).toBe(2);
    expect(rep!.threshold).toBe((await loadScreenModel(base)).metadata.threshold);
    const log = (await readFile(path.join(out, 'run-log.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event: string; falsePositives?: number });
    expect(log.find((e) => e.event === 'repeat-errors')?.falsePositives).toBe(rep!.falsePositives);

    // fine-tuning a fine-tuned model: the training-time target counts the whole chain
    const again = path.join(work, 'model-ft2');
    // --threads 2 from TypeScript sources: no compiled worker, so one thread, and metadata says so
    await train({ ...common, init: out, out: again, threads: 2 });
    const chained = (await loadScreenModel(again)).metadata.training.initFrom as { minutes: number };
    expect((await loadScreenModel(again)).metadata.training.threads).toBe(1);
    const [baseMinutes, ftMinutes] = [(await loadScreenModel(base)).metadata.training.minutes, metadata.training.minutes] as number[];
    expect(chained.minutes).toBeCloseTo(baseMinutes + ftMinutes, 5);

    const other = { ...TINY, model: { ...TINY.model, rnnUnits: 24 } };
    const err = await train({ ...common, out: path.join(work, 'model-bad'), hyper: other, init: base }).catch((e: unknown) => e);
    expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain('rnnUnits (16 there, 24 here)');
  });
});

describe('hyperparameter search', () => {
  it('runs every trial and writes the results table best first', async () => {
    const data = await loadDataset(dir);
    const s = splitBySession(data);
    const trials = [TINY, { ...TINY, optimizer: 'rmsprop' as const, loss: 'f2' as const }];
    const results = await runSearch({ train: s.train, validation: s.validation, trials, seed: 1, maxEpochs: 1, workers: 0 });
    expect(results.map((r) => r.trial).sort()).toEqual([0, 1]);
    expect(results[0].valF2).toBeGreaterThanOrEqual(results[1].valF2);
    const files = await writeSearchTable(path.join(work, 'search'), results);
    const csv = (await readFile(files.csv, 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0].startsWith('rank,trial,val_f2')).toBe(true);
    expect(await readFile(files.md, 'utf8')).toContain('| 1 |');
  });

  it('samples distinct valid trials within the per-frame cost cap, the default first', () => {
    const trials = sampleTrials(12, 5);
    expect(trials).toHaveLength(12);
    expect(trials[0].model).toEqual(DEFAULT_ARGS);
    expect(new Set(trials.map((t) => JSON.stringify(t))).size).toBe(12);
    for (const t of trials) expect(frameCostMacs(t.model)).toBeLessThanOrEqual(MAX_FRAME_MACS);
  });
});

describe('train options', () => {
  it('lists every bad option at once', async () => {
    const raw = {
      real: ['/nowhere/real-holdout'], search: '-1', epochs: 'x', seed: '1', searchEpochs: '11', searchSamples: '2000',
      searchValidation: '1000', epochSamples: '0', workers: '3', maxMinutes: '0', resamples: '2000', holdout: [], augment: '2',
      init: '/nowhere/model', repeatErrors: '9',
    };
    const err = await validateTrainOptions(raw, []).catch((e: unknown) => e);
    expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
    const message = (err as Error).message;
    for (const part of ['--dataset is required', '--out is required', '--search -1', '--epochs x', '--search-epochs 11', '--workers 3', '--augment 2', 'holdout', '--init /nowhere/model: no metadata.json', '--repeat-errors 9']) {
      expect(message).toContain(part);
    }
  });

  it('refuses --repeat-errors without a starting model', async () => {
    const raw = { dataset: undefined, real: [], search: '0', epochs: '1', seed: '1', searchEpochs: '1', searchSamples: '2000', searchValidation: '1000', epochSamples: '0', workers: '0', maxMinutes: '0', resamples: '2000', holdout: [], repeatErrors: '2' };
    const err = await validateTrainOptions(raw, []).catch((e: unknown) => e);
    expect((err as Error).message).toContain('--repeat-errors 2: repeats the errors of the starting model, so it needs --init');
  });
});
