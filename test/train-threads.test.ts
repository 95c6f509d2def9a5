import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { writeTinyDataset } from './fixtures/tiny-dataset.js';

/**
 * `labwatch train --threads 2` from the build (the worker thread runs compiled
 * JS): the batches are split with a real worker thread, and the training is
 * the single-thread one. Without dropout or augmentation the two runs follow
 * the same path, so their per-epoch losses agree to float rounding.
 */
const cli = path.join(packageRoot(), 'dist', 'cli', 'labwatch.js');
let root: string;

interface History { trainLoss: number; valLoss: number }

async function trainRun(threads: number): Promise<{ log: string; history: History[]; recordedThreads: number }> {
  const out = path.join(root, `model-${threads}`);
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [
    cli, 'train', '--dataset', path.join(root, 'data'), '--out', out, '--config', path.join(root, 'config.json'),
    '--epochs', '3', '--augment', '0', '--seed', '3', '--resamples', '100', '--threads', String(threads),
  ], { maxBuffer: 16 << 20 });
  const metadata = JSON.parse(await readFile(path.join(out, 'metadata.json'), 'utf8')) as { training: { history: History[]; threads: number } };
  return { log: stdout + stderr, history: metadata.training.history, recordedThreads: metadata.training.threads };
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  root = await mkdtemp(path.join(tmpdir(), 'lw-train-threads-'));
  await writeTinyDataset(path.join(root, 'data'), { perSplit: 24 });
  const config = {
    model: { convLayers: 2, firstFilters: 4, kernelSize: 3, strides: 1, convActivation: 'relu', pooling: true, rnnType: 'gru', rnnActivation: 'tanh', rnnUnits: 16, dropout: 0, denseLayers: 0, denseUnits: 16 },
    optimizer: 'adam', learningRate: 0.003, batchSize: 7, loss: 'bce', positiveWeight: 2,
  };
  await writeFile(path.join(root, 'config.json'), JSON.stringify(config));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('labwatch train --threads 2', () => {
  it('splits every batch with a worker thread and trains the same model as one thread', async () => {
    const [one, two] = await Promise.all([trainRun(1), trainRun(2)]);
    expect(two.log).toContain('training on 2 threads');
    expect(one.log).not.toContain('training on 2 threads');
    expect(two.recordedThreads).toBe(2);
    expect(two.history).toHaveLength(one.history.length);
    one.history.forEach((h, i) => {
      expect(two.history[i].trainLoss).toBeCloseTo(h.trainLoss, 3);
      expect(two.history[i].valLoss).toBeCloseTo(h.valLoss, 3);
    });
    // and it learned something: the loss fell
    expect(two.history.at(-1)!.trainLoss).toBeLessThan(two.history[0].trainLoss);
  });

  it('npm run bench:train -- --threads 2 times the split step', async () => {
    const bench = path.join(packageRoot(), 'dist', 'bench', 'train-step-run.js');
    const { stdout } = await promisify(execFile)(process.execPath, [bench, '--config', path.join(root, 'config.json'), '--steps', '2', '--reps', '1', '--threads', '2', '--json']);
    const report = JSON.parse(stdout) as { threads: number; batchSize: number; msPerStep: number };
    expect(report).toMatchObject({ threads: 2, batchSize: 7 });
    expect(report.msPerStep).toBeGreaterThan(0);
  });
});
