import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../models/backend.js';
import { buildScreenClassifier, DEFAULT_ARGS } from '../models/screen-classifier.js';
import { combineGradients, lossNormaliser } from './data-parallel.js';
import { fastForward } from './fast-forward.js';
import { lossFunction } from './losses.js';

beforeAll(async () => {
  await initBackend({ log: () => {} });
});

describe('data-parallel gradients', () => {
  it('two half-batches combined give the full batch gradient of the weighted cross-entropy', () => {
    const model = buildScreenClassifier({ ...DEFAULT_ARGS, convLayers: 2, firstFilters: 4, rnnUnits: 16, denseLayers: 0, dropout: 0 }, { seed: 5 });
    const forward = fastForward(model);
    const lossFn = lossFunction('bce', 2);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const n = 7; // odd, as a last batch can be: halves of 4 and 3
    const labels = [1, 0, 0, 1, 1, 0, 0];
    const x = tf.randomUniform([n, 3, 50, 50, 3], 0, 255, 'float32', 3).round();
    const y = tf.tensor2d(labels, [n, 1]);
    const grads = (xs: tf.Tensor, ys: tf.Tensor) => {
      const g = tf.variableGrads(() => lossFn(forward(xs, true), ys), variables);
      const out = variables.map((v) => g.grads[v.name].dataSync() as Float32Array);
      tf.dispose([g.value, ...Object.values(g.grads)]);
      return out;
    };
    const full = grads(x, y);
    const a = grads(x.slice([0], [4]), y.slice([0], [4]));
    const b = grads(x.slice([4], [3]), y.slice([4], [3]));
    const combined = combineGradients(a, lossNormaliser(labels.slice(0, 4), 'bce', 2), b, lossNormaliser(labels.slice(4), 'bce', 2));
    let maxDiff = 0;
    let maxAbs = 0;
    combined.forEach((g, i) => g.forEach((v, k) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - full[i][k]));
      maxAbs = Math.max(maxAbs, Math.abs(full[i][k]));
    }));
    expect(maxAbs).toBeGreaterThan(1e-4); // a real gradient, not zeros
    expect(maxDiff).toBeLessThan(1e-5 + 1e-4 * maxAbs);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('weights each half by its loss normaliser', () => {
    expect(lossNormaliser([1, 0, 1], 'bce', 2)).toBe(5);
    expect(lossNormaliser([1, 0, 1], 'f2', 2)).toBe(3);
    const [g] = combineGradients([Float32Array.of(1, 2)], 3, [Float32Array.of(4, 8)], 1);
    expect(Array.from(g)).toEqual([1.75, 3.5]);
    expect(() => combineGradients([Float32Array.of(1)], 1, [], 1)).toThrow(/1 gradients and 0/);
  });
});
