import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../cli/program.js';
import { initBackend } from './backend.js';
import { formatModelInfo, modelInfo } from './model-info.js';
import { saveScreenModel } from './model-io.js';
import { buildScreenClassifier, type ScreenClassifierArgs } from './screen-classifier.js';

const ARGS: Partial<ScreenClassifierArgs> = { convLayers: 1, firstFilters: 4, rnnUnits: 16, denseLayers: 0 };
let root: string;
let dir: string;

beforeAll(async () => {
  await initBackend({ log: () => undefined });
  root = await mkdtemp(path.join(tmpdir(), 'lw-model-info-'));
  dir = path.join(root, 'm');
  const model = buildScreenClassifier(ARGS, { seed: 1 });
  await saveScreenModel(dir, model, {
    architecture: ARGS as ScreenClassifierArgs,
    threshold: 0.61,
    metrics: { synthetic: { n: 500, accuracy: 0.95, f2: 0.97, ci95: { accuracy: [0.93, 0.97] } }, note: 'free text' },
    training: { datasetHash: 'sha256:feed', epochs: 4 },
    reproduce: 'labwatch train --data x --out m',
  });
  model.dispose();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('labwatch model info', () => {
  it('shows what a user needs to trust a model, and loads it on request', async () => {
    const info = await modelInfo(dir, { load: true });
    expect(info.load?.backend).toBe('wasm');
    expect(info.load?.scoreOfBlackScreens).toBeGreaterThan(0);
    expect(info.load?.scoreOfBlackScreens).toBeLessThan(1);
    const text = formatModelInfo(info);
    for (const part of ['threshold: 0.61', 'sha256:feed; 4 epochs', 'labwatch train --data x --out m', 'GRU 16', 'metrics synthetic: n=500, accuracy 0.950 [0.930, 0.970], F2 0.970', 'loaded on wasm']) {
      expect(text).toContain(part);
    }
  });

  it('is registered as a labwatch command that prints JSON', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await buildProgram().parseAsync(['node', 'labwatch', 'model', 'info', '--model', dir, '--json']);
    } finally {
      spy.mockRestore();
    }
    const info = JSON.parse(out.join(''));
    expect(info.metadata.threshold).toBe(0.61);
    expect(info.load).toBeUndefined();
  });
});
