import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHyper, readHyperFile } from './hyper.js';

describe('training hyperparameters from JSON', () => {
  it('reads a config file, a search trial and a model metadata.json alike', async () => {
    const fromConfig = await readHyperFile('training/configs/3x8-s1p-gru32.json');
    const fromMetadata = await readHyperFile('models/screen/metadata.json');
    // the shipped model was trained with that config: a metadata.json must not fall back to the defaults
    expect(fromMetadata.model).toEqual(fromConfig.model);
    expect(fromMetadata.model.strides).toBe(1);
    expect(parseHyper({ hyper: { ...fromConfig, learningRate: 0.0003 } }).learningRate).toBe(0.0003);
  });

  it('lists every bad value of a file in one error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lw-hyper-'));
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ training: { hyperparameters: { optimizer: 'sgd', learningRate: 2, loss: 'mse' } } }));
    await expect(readHyperFile(file)).rejects.toThrow(/optimizer "sgd".*learningRate 2.*loss "mse"/);
    await rm(dir, { recursive: true });
  });
});
