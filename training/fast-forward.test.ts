import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../models/backend.js';
import { buildScreenClassifier, type ScreenClassifierArgs } from '../models/screen-classifier.js';
import { conv2dSame, maxPoolValid } from './fast-conv.js';
import { fastForward } from './fast-forward.js';

beforeAll(async () => {
  await initBackend({ log: () => {} });
});

describe('fast training forward pass', () => {
  const variants: Partial<ScreenClassifierArgs>[] = [
    { convLayers: 2, firstFilters: 4, strides: 2, pooling: true, rnnType: 'gru', denseLayers: 1, denseUnits: 16, rnnUnits: 16 },
    { convLayers: 1, firstFilters: 4, kernelSize: 4, strides: 1, pooling: true, convActivation: 'leakyRelu', rnnType: 'lstm', denseLayers: 0, rnnUnits: 16 },
    { convLayers: 2, firstFilters: 4, kernelSize: 5, strides: 2, pooling: false, rnnType: 'gru', denseLayers: 2, denseUnits: 16, rnnUnits: 16 },
    { convLayers: 3, firstFilters: 4, strides: 2, pooling: false, finalPool: 'global', rnnType: 'gru', denseLayers: 1, denseUnits: 16, rnnUnits: 16 },
    { convLayers: 3, firstFilters: 4, strides: 2, pooling: false, finalPool: 'grid2', convActivation: 'leakyRelu', rnnType: 'gru', denseLayers: 1, denseUnits: 16, rnnUnits: 16 },
  ];
  for (const args of variants) {
    // The reference is the Conv3D model on the cpu backend: wasm's own Conv3D
    // gradients (stride 2) and MaxPool3D (negative inputs) are wrong in tfjs 4.22.
    it(`computes what the Conv3D model computes on the cpu backend (${JSON.stringify(args)})`, async () => {
      const model = buildScreenClassifier(args, { seed: 3 });
      const x = tf.randomUniform([2, 3, 50, 50, 3], 0, 255, 'float32', 5);
      const backend = tf.getBackend();
      await tf.setBackend('cpu');
      const expected = (model.predict(x) as tf.Tensor).dataSync();
      await tf.setBackend(backend);
      const got = fastForward(model)(x, false).dataSync();
      for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i], 4);
    });
  }

  it('conv gradients equal the reference Conv2D gradients (cpu backend) for odd sizes and strides', async () => {
    const cases: [number, number, number][] = [[11, 3, 2], [12, 4, 2], [10, 5, 1], [9, 3, 2], [10, 4, 1], [9, 3, 1]];
    const results: Record<string, number[][]> = {};
    const backend = tf.getBackend();
    for (const name of [backend, 'cpu']) {
      await tf.setBackend(name);
      results[name] = cases.flatMap(([h, k, s]) => {
        const x = tf.randomUniform([2, h, h, 3], -1, 1, 'float32', h);
        const w = tf.randomUniform([k, k, 3, 4], -1, 1, 'float32', k);
        const d = tf.randomUniform([2, Math.ceil(h / s), Math.ceil(h / s), 4], -1, 1, 'float32', s);
        const f = name === 'cpu'
          ? (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, 'same').mul(d).sum()
          : (a: tf.Tensor, b: tf.Tensor) => conv2dSame(a as tf.Tensor4D, b as tf.Tensor4D, s).mul(d).sum();
        return tf.grads(f)([x, w]).map((g) => Array.from(g.dataSync()));
      });
    }
    await tf.setBackend(backend);
    results[backend].forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(results.cpu[i][j], 3)));
  });

  it('max-pool gradients equal the reference MaxPoolGrad (cpu backend), overlapping windows and ties included', async () => {
    const cases: [number, number, number][] = [[10, 2, 2], [9, 2, 2], [12, 4, 3], [6, 6, 6]];
    const results: Record<string, number[][]> = {};
    const backend = tf.getBackend();
    for (const name of [backend, 'cpu']) {
      await tf.setBackend(name);
      results[name] = cases.map(([h, p, s]) => {
        // rounded values give ties inside windows; ReLU gives windows of zeros
        const x = tf.relu(tf.randomUniform([2, h, h, 3], -4, 4, 'float32', h + p).round());
        const d = tf.randomUniform([2, Math.floor((h - p) / s) + 1, Math.floor((h - p) / s) + 1, 3], -1, 1, 'float32', s);
        const f = name === 'cpu'
          ? (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, p, s, 'valid').mul(d).sum()
          : (a: tf.Tensor) => maxPoolValid(a as tf.Tensor4D, [p, p], [s, s]).mul(d).sum();
        return Array.from(tf.grad(f)(x).dataSync());
      });
    }
    await tf.setBackend(backend);
    results[backend].forEach((g, i) => expect(g).toEqual(results.cpu[i]));
  });
});
