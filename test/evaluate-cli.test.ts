import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { saveScreenModel } from '../models/model-io.js';
import { buildScreenClassifier, type ScreenClassifierArgs } from '../models/screen-classifier.js';
import { writeTinyDataset } from './fixtures/tiny-dataset.js';

/**
 * `labwatch evaluate` end to end from the build: real PNG frames, a small random
 * model saved with model-io and loaded by IncrementalClassifier, the real CLI.
 */
const cli = path.join(packageRoot(), 'dist', 'cli', 'labwatch.js');
let root: string;
let datasetDir: string;
let modelDir: string;

async function labwatch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  root = await mkdtemp(path.join(tmpdir(), 'lw-eval-cli-'));
  datasetDir = path.join(root, 'data');
  modelDir = path.join(root, 'model');
  await writeTinyDataset(datasetDir, { perSplit: 6 });
  const args: Partial<ScreenClassifierArgs> = { convLayers: 1, firstFilters: 4, rnnUnits: 16, denseLayers: 0 };
  const model = buildScreenClassifier(args, { seed: 5 });
  await saveScreenModel(modelDir, model, { architecture: args as ScreenClassifierArgs, threshold: 0.37, metrics: {}, training: {}, reproduce: 'test' });
  model.dispose();
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('labwatch evaluate', () => {
  it('--json prints exactly one JSON object with metrics, CIs, confusion and baselines', async () => {
    const plots = path.join(root, 'plots');
    const r = await labwatch(['evaluate', '--model', modelDir, '--dataset', datasetDir, '--split', 'test', '--json', '--resamples', '500', '--plots', plots]);
    expect(r.stderr).not.toMatch(/LABWATCH_ERR/);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(r.stdout) as Record<string, any>;
    expect(report).toMatchObject({ n: 6, threshold: 0.37, resamples: 500 });
    for (const k of ['accuracy', 'precision', 'recall', 'f1', 'f2']) {
      expect(report[k]).toBeGreaterThanOrEqual(0);
      expect(report[k]).toBeLessThanOrEqual(1);
      const [lo, hi] = report.ci95[k] as [number, number];
      expect(lo).toBeLessThanOrEqual(report[k]);
      expect(hi).toBeGreaterThanOrEqual(report[k]);
    }
    const c = report.confusion;
    expect(c.tp + c.fp + c.tn + c.fn).toBe(6);
    expect(Object.keys(report.baseline).sort()).toEqual(['always_prohibited', 'frame_difference', 'majority']);
    expect(report.baseline.always_prohibited).toMatchObject({ recall: 1, precision: 0.5, n: 6 });
    expect(report.model).toMatchObject({ dir: modelDir, threshold: 0.37, preprocessing: 'lw-pre-1' });
    expect(report.dataset).toMatchObject({ dir: datasetDir, split: 'test', n: 6, prohibited: 3 });
    expect((await readdir(plots)).sort()).toEqual(['confusion.png', 'confusion.svg', 'pr-curve.png', 'pr-curve.svg']);
  });

  it('prints a readable table by default', async () => {
    const r = await labwatch(['evaluate', '--model', modelDir, '--dataset', datasetDir, '--resamples', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+model\s+\d\.\d{3} \[/m);
    expect(r.stdout).toMatch(/^\s+always prohibited\s+0\.500 \[/m);
    expect(r.stdout).toContain('Confusion matrix of the model');
  });

  it('refuses a bad dataset path with a coded error and nothing on stdout', async () => {
    const r = await labwatch(['evaluate', '--model', modelDir, '--dataset', path.join(root, 'nope'), '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/LABWATCH_ERR_CONFIG_INVALID[\s\S]*--dataset .*nope: no such folder/);

    const empty = path.join(root, 'empty');
    await mkdir(empty, { recursive: true });
    const noManifest = await labwatch(['evaluate', '--model', modelDir, '--dataset', empty, '--json']);
    expect(noManifest.code).toBe(2);
    expect(noManifest.stdout).toBe('');
    expect(noManifest.stderr).toMatch(/LABWATCH_ERR_DATASET_NO_MANIFEST/);
  });
});

describe('labwatch model calibrate-alerts', () => {
  it('chooses the alert threshold over runs of consecutive windows and writes it to metadata.json', async () => {
    const sessions = path.join(root, 'sessions');
    // two simulated sessions' worth of consecutive windows, rendered in this process
    const made = await labwatch(['dataset', 'synth', '--out', sessions, '--sequences', '40', '--seed', '5', '--workers', '0']);
    expect(made.code).toBe(0);
    expect((await labwatch(['dataset', 'split', sessions, '--train', '0', '--validation', '1', '--test', '0'])).code).toBe(0);
    const r = await labwatch(['model', 'calibrate-alerts', '--model', modelDir, '--dataset', sessions, '--json', '--write']);
    expect(r.stderr).not.toMatch(/LABWATCH_ERR/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { threshold: number; written: boolean; calibration: Record<string, unknown>; sweep: { threshold: number; alertF2: number }[] };
    expect(out.written).toBe(true);
    expect(out.sweep).toHaveLength(70);
    expect(out.threshold).toBe(Math.max(...out.sweep.filter((s) => s.alertF2 === Math.max(...out.sweep.map((x) => x.alertF2))).map((s) => s.threshold)));
    expect(out.calibration).toMatchObject({ method: 'alert-replay-f2', split: 'validation', confirmWindows: 2, previousThreshold: 0.37 });
    // with --f2-tolerance, the highest threshold whose alert-level F2 is within it of the best
    const tied = await labwatch(['model', 'calibrate-alerts', '--model', modelDir, '--dataset', sessions, '--json', '--f2-tolerance', '0.02']);
    const t = JSON.parse(tied.stdout) as typeof out;
    const bestF2 = Math.max(...t.sweep.map((x) => x.alertF2));
    expect(t.threshold).toBe(Math.max(...t.sweep.filter((s) => s.alertF2 >= bestF2 - 0.02).map((s) => s.threshold)));
    expect(t.threshold).toBeGreaterThanOrEqual(out.threshold);
    expect(t.calibration).toMatchObject({ method: 'alert-replay-f2-tie-fewer-alerts', f2Tolerance: 0.02, bestAlertF2: Number(bestF2.toFixed(4)) });
    expect(out.calibration.episodes as number).toBeGreaterThan(0);
    const meta = JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')) as { threshold: number; reproduce: string; alert: { threshold: number } };
    expect(meta.alert.threshold).toBe(out.threshold);
    expect(meta.threshold).toBe(0.37);
    expect(meta.reproduce).toBe(`test && labwatch model calibrate-alerts --model ${modelDir} --dataset ${sessions} --split validation --confirm-windows 2 --write`);
    // the assistant and evaluate read it back as the alert threshold
    const ev = await labwatch(['evaluate', '--model', modelDir, '--dataset', sessions, '--alerts', '--json', '--resamples', '100']);
    expect(JSON.parse(ev.stdout).alerts.threshold).toBe(out.threshold);
  });

  it('refuses a dataset with no runs of consecutive windows, naming why', async () => {
    const r = await labwatch(['model', 'calibrate-alerts', '--model', modelDir, '--dataset', datasetDir]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/LABWATCH_ERR_EVAL_EMPTY_SET[\s\S]*no run of 3\+ consecutive windows/);
  });
});

describe('labwatch model measure-speed', () => {
  it('measures the model as the assistant runs it and rewrites the inference target in metadata.json and README.md', async () => {
    const stale = '| inference, one core | >= 5000 new frames per CPU second (incremental, batch 16-64) | 3883 new frames per CPU second | **missed** |';
    await writeFile(path.join(modelDir, 'README.md'), `# model\n\n## Targets\n\n| target | required | measured | |\n|---|---|---|---|\n${stale}\n`);
    const r = await labwatch(['model', 'measure-speed', '--model', modelDir, '--runs', '2', '--write', '--json']);
    expect(r.stderr).not.toMatch(/LABWATCH_ERR/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { perBatch: { batch: number; runs: number[]; median: number }[]; framesPerCpuSecond: number; target: { measured: string; met: boolean }; written: boolean };
    expect(out.perBatch.map((b) => b.batch)).toEqual([16, 64]);
    for (const b of out.perBatch) {
      expect(b.runs).toHaveLength(2);
      expect(b.median).toBe(Math.round((b.runs[0]! + b.runs[1]!) / 2));
    }
    expect(out.framesPerCpuSecond).toBe(Math.max(...out.perBatch.map((b) => b.median)));
    expect(out.target.measured).toMatch(new RegExp(`^${out.framesPerCpuSecond} new frames per CPU second \\(median of 2 runs`));
    const meta = JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')) as { targets: { name: string; measured: string; met: boolean }[]; speed: { framesPerCpuSecond: number } };
    expect(meta.targets.filter((t) => t.name === 'inference, one core')).toEqual([expect.objectContaining({ measured: out.target.measured, met: out.target.met })]);
    expect(meta.speed.framesPerCpuSecond).toBe(out.framesPerCpuSecond);
    const readme = await readFile(path.join(modelDir, 'README.md'), 'utf8');
    expect(readme).not.toContain('3883');
    expect(readme).toContain(`| inference, one core | >= 5000 new frames per CPU second (incremental, batch 16-64) | ${out.target.measured} |`);
  });
});

