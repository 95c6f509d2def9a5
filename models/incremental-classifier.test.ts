import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { initBackend } from './backend.js';
import { IncrementalClassifier, type FrameFeatures } from './incremental-classifier.js';
import { saveScreenModel } from './model-io.js';
import { buildScreenClassifier, type ScreenClassifierArgs } from './screen-classifier.js';

let root: string;
beforeAll(async () => {
  await initBackend({ log: () => undefined });
  root = await mkdtemp(path.join(tmpdir(), 'lw-incremental-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Frames with structure (bright/dark regions, like windows on a desktop) plus noise. */
function makeFrames(n: number, seed: number): Uint8Array[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: n }, () => {
    const f = new Uint8Array(7500);
    const base = [rand() * 255, rand() * 255, rand() * 255];
    const split = Math.floor(rand() * 50);
    for (let y = 0; y < 50; y++) for (let x = 0; x < 50; x++) for (let c = 0; c < 3; c++) {
      const v = x < split ? base[c] : 255 - base[c];
      f[(y * 50 + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v + (rand() - 0.5) * 60)));
    }
    return f;
  });
}

/** Sliding 3-frame windows over a stream, as the assistant forms them. */
function slidingWindows<T>(stream: T[]): T[][] {
  return stream.slice(2).map((_, i) => [stream[i], stream[i + 1], stream[i + 2]]);
}

/**
 * The full model's predict, on the cpu backend: tfjs 4.22's wasm MaxPool3D is
 * wrong for negative inputs, so wasm's own predict is not a trustworthy reference.
 */
async function predictFull(model: tf.LayersModel, windows: Uint8Array[][]): Promise<Float32Array> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    return predictHere(model, windows);
  } finally {
    await tf.setBackend(previous);
  }
}

function predictHere(model: tf.LayersModel, windows: Uint8Array[][]): Float32Array {
  const flat = new Float32Array(windows.length * 3 * 7500);
  windows.forEach((w, i) => w.forEach((f, t) => flat.set(f, (i * 3 + t) * 7500)));
  const x = tf.tensor5d(flat, [windows.length, 3, 50, 50, 3]);
  const y = model.predict(x) as tf.Tensor;
  const data = y.dataSync() as Float32Array;
  tf.dispose([x, y]);
  return data;
}

const variants: [string, Partial<ScreenClassifierArgs>][] = [
  ['default (GRU, relu, pooling)', {}],
  ['LSTM, leaky ReLU, no pooling, 2 dense', { convLayers: 2, firstFilters: 4, kernelSize: 5, strides: 2, pooling: false, convActivation: 'leakyRelu', rnnType: 'lstm', rnnUnits: 16, denseLayers: 2, denseUnits: 16 }],
  ['GRU relu activation, stride 1, 0 dense', { convLayers: 3, firstFilters: 4, kernelSize: 4, strides: 1, pooling: true, rnnType: 'gru', rnnActivation: 'relu', rnnUnits: 64, denseLayers: 0 }],
  ['LSTM relu activation, 1 dense', { convLayers: 1, firstFilters: 8, strides: 2, pooling: true, rnnType: 'lstm', rnnActivation: 'relu', rnnUnits: 32, denseLayers: 1 }],
  ['leaky ReLU then pooling (negative values pooled)', { convLayers: 2, firstFilters: 8, strides: 2, pooling: true, convActivation: 'leakyRelu', rnnUnits: 16 }],
  ['3 convs, global max-pool', { convLayers: 3, firstFilters: 4, strides: 2, pooling: false, finalPool: 'global', rnnUnits: 16 }],
  ['leaky ReLU, 2x2 grid max-pool, LSTM', { convLayers: 3, firstFilters: 4, strides: 2, pooling: false, convActivation: 'leakyRelu', finalPool: 'grid2', rnnType: 'lstm', rnnUnits: 16 }],
];

describe('IncrementalClassifier', () => {
  it.each(variants)('scores windows exactly as the full model predicts: %s', async (name, args) => {
    const dir = path.join(root, name.replace(/\W+/g, '-'));
    const model = buildScreenClassifier(args, { seed: 17 });
    await saveScreenModel(dir, model, { architecture: args as ScreenClassifierArgs, threshold: 0.5, metrics: {}, training: {}, reproduce: 'test' });
    const clf = await IncrementalClassifier.load(dir, { maxBatch: 7 });
    // The same model with every batch scored by the batched (tfjs products) recurrent head, and with none.
    const batched = await IncrementalClassifier.load(dir, { maxBatch: 7, batchedRnnMinWindows: 1 });
    const plainJs = await IncrementalClassifier.load(dir, { batchedRnnMinWindows: Infinity });

    const stream = makeFrames(10, 3);
    const windows = slidingWindows(stream);
    const expected = await predictFull(model, windows);
    const feats = clf.embedFrames(stream);
    const got = clf.scoreWindows(slidingWindows(feats));
    expect(got.length).toBe(windows.length);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-4);
    // The comparison means something only if the windows score differently.
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(1e-3);
    expect(Array.from(clf.scoreSequences(windows))).toEqual(Array.from(got));
    for (const other of [batched, plainJs]) {
      const scores = other.scoreSequences(windows);
      for (let i = 0; i < got.length; i++) expect(Math.abs(scores[i] - expected[i])).toBeLessThan(1e-4);
      other.dispose();
    }
    clf.dispose();
    model.dispose();
  });

  it('follows a Rescaling with an offset (scale not foldable into the conv)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.rescaling({ inputShape: [3, 50, 50, 3], scale: 1 / 127.5, offset: -1 }),
        tf.layers.conv3d({ filters: 4, kernelSize: [1, 3, 3], strides: [1, 2, 2], padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        tf.layers.reshape({ targetShape: [3, 25 * 25 * 4] }),
        tf.layers.gru({ units: 8, recurrentActivation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
        tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
      ],
    });
    const clf = await IncrementalClassifier.fromModel(model, { threshold: 0.5 });
    const windows = slidingWindows(makeFrames(6, 21));
    const expected = await predictFull(model, windows);
    const got = clf.scoreSequences(windows);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-4);
    clf.dispose();
    model.dispose();
  });

  it('gives the same score whether a frame was embedded alone or in a batch', async () => {
    const dir = path.join(root, 'batching');
    const model = buildScreenClassifier({}, { seed: 2 });
    await saveScreenModel(dir, model, { architecture: {} as ScreenClassifierArgs, threshold: 0.42, metrics: {}, training: {}, reproduce: 'test' });
    model.dispose();
    const clf = await IncrementalClassifier.load(dir);
    expect(clf.threshold).toBe(0.42);
    const frames = makeFrames(5, 8);
    const batched = clf.embedFrames(frames);
    const single = frames.map((f) => clf.embedFrames([f])[0]);
    const a = clf.scoreWindows([batched.slice(0, 3), batched.slice(2, 5)]);
    const b = clf.scoreWindows([single.slice(0, 3), single.slice(2, 5)]);
    for (let i = 0; i < 2; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
    expect(clf.scoreWindows([]).length).toBe(0);
    expect(clf.embedFrames([]).length).toBe(0);

    // No tensor leaks on the hot path.
    const before = tf.memory().numTensors;
    const feats = clf.embedFrames(makeFrames(70, 9));
    clf.scoreWindows(slidingWindows(feats));
    clf.scoreSequences([frames.slice(0, 3)]);
    expect(tf.memory().numTensors).toBe(before);
    clf.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('refuses malformed frames and windows with LABWATCH_ERR_MODEL_BAD_INPUT', async () => {
    const model = buildScreenClassifier({ convLayers: 1, firstFilters: 4, rnnUnits: 16 });
    const clf = await IncrementalClassifier.fromModel(model, { threshold: 0.5 });
    model.dispose();
    const codeOf = (fn: () => unknown) => {
      try { fn(); } catch (err) { return isLabwatchError(err) ? err.code : String(err); }
      return 'no error';
    };
    expect(codeOf(() => clf.embedFrames([new Uint8Array(7500), new Uint8Array(100)]))).toBe('LABWATCH_ERR_MODEL_BAD_INPUT');
    const feats = clf.embedFrames(makeFrames(3, 1));
    expect(codeOf(() => clf.scoreWindows([feats.slice(0, 2)]))).toBe('LABWATCH_ERR_MODEL_BAD_INPUT');
    expect(codeOf(() => clf.scoreWindows([[feats[0], feats[1], new Float32Array(3) as FrameFeatures]]))).toBe('LABWATCH_ERR_MODEL_BAD_INPUT');
    expect(codeOf(() => clf.scoreSequences([makeFrames(4, 1)]))).toBe('LABWATCH_ERR_MODEL_BAD_INPUT');
    clf.dispose();
  });
});
