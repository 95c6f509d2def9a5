import { mkdtemp, readFile, rm, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SequenceRow } from '../core/dataset/manifest.js';
import { isLabwatchError } from '../core/errors.js';
import { initBackend } from './backend.js';
import { datasetHash, loadScreenModel, readModelMetadata, saveScreenModel, type ScreenModelMetadataInput } from './model-io.js';
import { PREPROCESS_VERSION } from './preprocess.js';
import { buildScreenClassifier, type ScreenClassifierArgs } from './screen-classifier.js';

const TINY: Partial<ScreenClassifierArgs> = { convLayers: 1, firstFilters: 4, strides: 2, pooling: true, rnnType: 'lstm', rnnUnits: 16, denseLayers: 1, denseUnits: 16 };
let root: string;

beforeAll(async () => {
  await initBackend({ log: () => undefined });
  root = await mkdtemp(path.join(tmpdir(), 'lw-model-io-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function meta(architecture: Partial<ScreenClassifierArgs>): ScreenModelMetadataInput {
  return {
    architecture: architecture as ScreenClassifierArgs,
    threshold: 0.37,
    metrics: { synthetic: { f2: 0.9, ci95: [0.88, 0.92] } },
    training: { datasetHash: 'sha256:abc', epochs: 3 },
    reproduce: 'labwatch train --data d --out m',
  };
}

async function expectCode(promise: Promise<unknown>, code: Parameters<typeof isLabwatchError>[1]): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(isLabwatchError(err, code), String(err)).toBe(true);
  return err as Error;
}

describe('saveScreenModel / loadScreenModel', () => {
  it('round-trips a model: same predictions and metadata', async () => {
    const dir = path.join(root, 'roundtrip');
    const model = buildScreenClassifier(TINY, { seed: 9 });
    const x = tf.tidy(() => tf.randomUniform([3, 3, 50, 50, 3], 0, 255, 'float32', 4).floor());
    const before = (model.predict(x) as tf.Tensor).dataSync().slice();
    const saved = await saveScreenModel(dir, model, meta(TINY));

    const { model: loaded, metadata } = await loadScreenModel(dir);
    const after = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(metadata).toEqual(saved);
    expect(metadata.preprocessing.version).toBe(PREPROCESS_VERSION);
    expect(metadata.parameters).toBe(model.countParams());
    expect(metadata.threshold).toBe(0.37);
    const modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['./weights.bin']);
    model.dispose();
    loaded.dispose();
    x.dispose();
  });

  it('refuses a missing folder with LABWATCH_ERR_MODEL_NOT_FOUND', async () => {
    const err = await expectCode(loadScreenModel(path.join(root, 'nope')), 'LABWATCH_ERR_MODEL_NOT_FOUND');
    expect(err.message).toContain('labwatch train');
  });

  it('refuses a model built for another preprocessing version', async () => {
    const dir = path.join(root, 'old-pre');
    const model = buildScreenClassifier(TINY);
    await saveScreenModel(dir, model, meta(TINY));
    const file = path.join(dir, 'metadata.json');
    const m = JSON.parse(await readFile(file, 'utf8'));
    m.preprocessing.version = 'lw-pre-0';
    await writeFile(file, JSON.stringify(m));
    const err = await expectCode(loadScreenModel(dir), 'LABWATCH_ERR_MODEL_INCOMPATIBLE');
    expect(err.message).toContain('lw-pre-0');
    model.dispose();
  });

  it('reports truncated weights and broken JSON as LABWATCH_ERR_MODEL_CORRUPT', async () => {
    const dir = path.join(root, 'corrupt');
    const model = buildScreenClassifier(TINY);
    await saveScreenModel(dir, model, meta(TINY));
    await truncate(path.join(dir, 'weights.bin'), 100);
    expect((await expectCode(loadScreenModel(dir), 'LABWATCH_ERR_MODEL_CORRUPT')).message).toContain('weights.bin has 100 bytes');
    await writeFile(path.join(dir, 'metadata.json'), '{"formatVersion": 1,');
    expect((await expectCode(readModelMetadata(dir), 'LABWATCH_ERR_MODEL_CORRUPT')).message).toContain('not valid JSON');
    model.dispose();
  });
});

describe('datasetHash', () => {
  const row = (id: string, label: 0 | 1, frames: [string, string, string]): SequenceRow => ({ sequenceId: id, label, frames, extra: { split: 'train' }, line: 0 });

  it('pins rows and frame bytes, not row order', async () => {
    const dir = path.join(root, 'dataset');
    await mkdir(path.join(dir, 'frames'), { recursive: true });
    for (const f of ['a', 'b', 'c', 'd']) await writeFile(path.join(dir, 'frames', `${f}.png`), `bytes of ${f}`);
    const rows = [row('s1', 0, ['frames/a.png', 'frames/b.png', 'frames/c.png']), row('s2', 1, ['frames/b.png', 'frames/c.png', 'frames/d.png'])];
    const h = await datasetHash(rows, dir);
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await datasetHash([rows[1], rows[0]], dir)).toBe(h);
    expect(await datasetHash([rows[0], { ...rows[1], label: 0 }], dir)).not.toBe(h);
    expect(await datasetHash([rows[0], { ...rows[1], extra: { split: 'test' } }], dir)).not.toBe(h);
    await writeFile(path.join(dir, 'frames', 'd.png'), 'other bytes');
    expect(await datasetHash(rows, dir)).not.toBe(h);
  });
});
