import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { writeTinyDataset } from './fixtures/tiny-dataset.js';

/**
 * `labwatch train` from the build, interrupted by a real SIGINT: a TA who
 * presses Ctrl-C on a long run keeps the best epoch so far, tested and saved.
 */
const cli = path.join(packageRoot(), 'dist', 'cli', 'labwatch.js');
let root: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  root = await mkdtemp(path.join(tmpdir(), 'lw-train-cli-'));
  await writeTinyDataset(path.join(root, 'data'), { perSplit: 12 });
  const tiny = {
    model: { convLayers: 2, firstFilters: 4, kernelSize: 3, strides: 2, convActivation: 'relu', pooling: true, rnnType: 'gru', rnnActivation: 'tanh', rnnUnits: 16, dropout: 0, denseLayers: 0, denseUnits: 16 },
    // a learning rate this small never lets the validation loss rise 3 epochs in a row: only Ctrl-C stops the run
    optimizer: 'adam', learningRate: 1e-7, batchSize: 8, loss: 'bce', positiveWeight: 2,
  };
  await writeFile(path.join(root, 'tiny.json'), JSON.stringify(tiny));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('labwatch train, Ctrl-C', () => {
  it('stops after the current epoch, then tests and saves the best checkpoint', async () => {
    const out = path.join(root, 'model');
    const args = [cli, 'train', '--dataset', path.join(root, 'data'), '--out', out, '--config', path.join(root, 'tiny.json'), '--epochs', '500', '--resamples', '100'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /epoch 2:/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(sent).toBe(true);
    expect(code).toBe(0);
    expect(stderr).toContain('Ctrl-C: stopping after this epoch');
    const metadata = JSON.parse(await readFile(path.join(out, 'metadata.json'), 'utf8')) as { training: { epochs: number; stopReason: string } };
    expect(metadata.training.stopReason).toBe('interrupted (Ctrl-C)');
    // tiny epochs take milliseconds, so a few more may pass before the signal lands; far fewer than the 500 asked for
    expect(metadata.training.epochs).toBeGreaterThanOrEqual(2);
    expect(metadata.training.epochs).toBeLessThan(100);
    expect(existsSync(path.join(out, 'weights.bin'))).toBe(true);
  }, 120_000);
});
