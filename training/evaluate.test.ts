import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { writeTinyDataset } from '../test/fixtures/tiny-dataset.js';
import { evaluate, type LoadedScorer, type SequenceScorer } from './evaluate.js';
import { formatReport } from './evaluate-report.js';

/**
 * evaluate() with a transparent stand-in model (mean brightness of the last
 * frame), so the expected figures can be reasoned about; the real model runs in
 * test/evaluate-cli.test.ts.
 */
class BrightnessScorer implements SequenceScorer {
  constructor(readonly threshold: number) {}
  scoreSequences(windows: Uint8Array[][]): Float32Array {
    return Float32Array.from(windows, (w) => w[2].reduce((a, v) => a + v, 0) / w[2].length / 255);
  }
}

let dir: string;
const load = (threshold: number) => async (): Promise<LoadedScorer> => ({ scorer: new BrightnessScorer(threshold), info: { name: 'brightness' } });
const quiet = () => {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lw-eval-'));
  await writeTinyDataset(dir, { perSplit: 6 });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('evaluate', () => {
  it('scores only the asked split, with CIs, baselines and the dataset facts', async () => {
    const { report } = await evaluate({ datasetDir: dir, modelDir: '/m', loadModel: load(0.5), split: 'test', resamples: 200, log: quiet });
    expect(report.n).toBe(6);
    expect(report.dataset).toMatchObject({ split: 'test', n: 6, sessions: 6, prohibited: 3, prevalence: 0.5, training_prior: 0.5, baseline_tuned_on: 'validation' });
    expect(report.notes.join()).toMatch(/only 6 session\(s\): intervals that resample so few sessions say little/);
    // Bright moving pages are prohibited, the dark editor is not: the stand-in is perfect.
    expect(report.confusion).toEqual({ tp: 3, fp: 0, tn: 3, fn: 0 });
    expect(report.f2).toBe(1);
    expect(report.ci95.f2).toEqual([1, 1]);
    expect(report.model).toMatchObject({ name: 'brightness', dir: '/m', threshold: 0.5 });
    expect(report.baseline.always_prohibited.recall).toBe(1);
    expect(report.baseline.always_prohibited.precision).toBe(0.5);
    expect(report.baseline.frame_difference.optimistic).toBe(false);
    expect(report.baseline.majority.description).toMatch(/training data/);
  });

  it('uses the model threshold as given, not the best one on the evaluated set', async () => {
    const { report } = await evaluate({ datasetDir: dir, modelDir: '/m', loadModel: load(0.99), resamples: 200, log: quiet });
    expect(report.n).toBe(18);
    expect(report.threshold).toBe(0.99);
    expect(report.confusion.tp).toBe(0);
    expect(report.precision).toBe(0);
    expect(report.notes.join()).toMatch(/no item predicted prohibited/);
    expect(report.notes.join()).toMatch(/use --split test/);
    expect(report.best_threshold_here.f2).toBe(1);
    // Without --split there is nothing to tune the heuristic on but the evaluated set.
    expect(report.baseline.frame_difference.optimistic).toBe(true);
  });

  it('prints a readable table with the model beside the baselines', async () => {
    const { report } = await evaluate({ datasetDir: dir, modelDir: '/m', loadModel: load(0.5), split: 'test', resamples: 200, log: quiet });
    const text = formatReport(report);
    expect(text).toMatch(/^\s+accuracy\s+precision\s+recall\s+F1\s+F2$/m);
    expect(text).toMatch(/^\s+model\s+1\.000 \[1\.000, 1\.000\]/m);
    expect(text).toMatch(/^\s+always prohibited\s+0\.500 \[/m);
    expect(text).toMatch(/^\s+frame difference\s+\d/m);
    expect(text).toContain('F2 alone flatters');
  });

  it('breaks the errors down by scene when asked, in the JSON report and the table', async () => {
    const plain = await evaluate({ datasetDir: dir, modelDir: '/m', loadModel: load(0.5), split: 'test', resamples: 200, log: quiet });
    expect(plain.report.by_source).toBeUndefined();
    // At 0.15 the stand-in also alarms on the dark editor's text: false alarms on the permitted scene only.
    const { report } = await evaluate({ datasetDir: dir, modelDir: '/m', loadModel: load(0.15), split: 'test', resamples: 200, bySource: true, log: quiet });
    expect(report.by_source).toEqual([
      { group: 'tiny:editor', n: 3, prohibited: 0, false_alarms: 3, misses: 0 },
      { group: 'tiny:moving-page', n: 3, prohibited: 3, false_alarms: 0, misses: 0 },
    ]);
    const text = formatReport(report);
    expect(text).toMatch(/Errors by scene at threshold 0\.15, worst first:/);
    expect(text).toMatch(/^\s+tiny:editor\s+3\s+0\s+3\s+0\s+100%$/m);
  });

  it('breaks the errors down by screen share of the prohibited window when asked', async () => {
    const { report } = await evaluate({ datasetDir: dir, modelDir: '/m', loadModel: load(0.15), split: 'test', resamples: 200, byShare: true, log: quiet });
    expect(report.by_source).toBeUndefined();
    const rows = report.by_share!;
    // prohibited buckets first (smallest share first), permitted last; every test row counted once
    expect(rows.map((r) => r.group).at(-1)).toBe('permitted');
    expect(rows.at(-1)).toEqual({ group: 'permitted', n: 3, prohibited: 0, false_alarms: 3, misses: 0 });
    const prohibited = rows.slice(0, -1);
    expect(prohibited.every((r) => /^prohibited, (< 1%|>= 30%) of the screen$/.test(r.group) && r.n === r.prohibited && r.misses === 0)).toBe(true);
    expect(prohibited.reduce((n, r) => n + r.n, 0)).toBe(3);
    expect(formatReport(report)).toMatch(/Errors by screen share of the prohibited window at threshold 0\.15:/);
  });

  it('reports an empty split with a coded error', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'lw-eval-nosplit-'));
    try {
      await writeFile(path.join(other, 'manifest.csv'), 'sequence_id,label,frame1,frame2,frame3\n');
      const err = await evaluate({ datasetDir: other, modelDir: '/m', loadModel: load(0.5), split: 'test', log: quiet }).catch((e: unknown) => e);
      expect(isLabwatchError(err, 'LABWATCH_ERR_EVAL_EMPTY_SET')).toBe(true);
      expect((err as Error).message).toMatch(/no row has split "test"/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
  it('replays the alert rule with --alerts, leaving out windows with no neighbours', async () => {
    const at = (confirm: number) =>
      evaluate({ datasetDir: dir, modelDir: '/m', loadModel: load(0.5), split: 'test', resamples: 200, alertsConfirm: confirm, log: quiet });
    const { report } = await at(1);
    // the tiny dataset's windows share no frames: no run of windows to replay
    expect(report.alerts).toMatchObject({ chains: 0, shortChains: 6, episodes: 0, alerts: 0, threshold: 0.5 });
    expect(report.alerts!.sweep.map((s) => s.threshold)).toContain(0.5);
    expect(formatReport(report)).toMatch(/alert rule replayed \(1 suspicious windows.*over 0 runs/);
  });
});
