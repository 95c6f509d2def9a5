import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { initBackend } from './backend.js';
import {
  DEFAULT_ARGS,
  LAYER_NAMES,
  TABLE1_SPACE,
  buildScreenClassifier,
  convPlan,
  parameterCount,
  validateArgs,
  type ScreenClassifierArgs,
} from './screen-classifier.js';

beforeAll(async () => {
  await initBackend({ log: () => undefined });
});

function randomFrames(batch: number, seed: number): tf.Tensor5D {
  return tf.tidy(() => tf.randomUniform([batch, 3, 50, 50, 3], 0, 255, 'float32', seed).floor() as tf.Tensor5D);
}

describe('buildScreenClassifier', () => {
  it('Conv3D with kernel [1,k,k] computes tf.conv2d on each frame with the same weights', () => {
    for (const { kernelSize, strides } of [{ kernelSize: 3, strides: 1 }, { kernelSize: 5, strides: 2 }, { kernelSize: 4, strides: 2 }] as const) {
      const model = buildScreenClassifier({ convLayers: 1, firstFilters: 8, kernelSize, strides, pooling: false }, { seed: 1 });
      const conv = model.getLayer(LAYER_NAMES.conv(0));
      const [kernel3d, bias] = conv.getWeights() as [tf.Tensor, tf.Tensor1D];
      const x = randomFrames(2, 7);
      const scaled = tf.div(x, 255) as tf.Tensor5D;
      const viaConv3d = conv.apply(scaled) as tf.Tensor5D;
      const viaConv2d = tf.tidy(() => {
        const kernel2d = kernel3d.reshape(kernel3d.shape.slice(1)) as tf.Tensor4D;
        const folded = scaled.reshape([6, 50, 50, 3]) as tf.Tensor4D;
        const y = tf.relu(tf.add(tf.conv2d(folded, kernel2d, strides, 'same'), bias));
        return y.reshape(viaConv3d.shape);
      });
      expect(viaConv3d.shape).toEqual([2, 3, Math.ceil(50 / strides), Math.ceil(50 / strides), 8]);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(viaConv3d, viaConv2d))).dataSync()[0]);
      expect(diff).toBeLessThan(1e-5);
      tf.dispose([x, scaled, viaConv3d, viaConv2d]);
      model.dispose();
    }
  });

  it('maps a batch of raw 0-255 windows to probabilities', () => {
    const model = buildScreenClassifier({}, { seed: 3 });
    const x = randomFrames(4, 11);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([4, 1]);
    for (const p of y.dataSync()) expect(p > 0 && p < 1).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('uses the sigmoid, not tfjs\'s hard sigmoid, for the recurrent gates', () => {
    for (const rnnType of TABLE1_SPACE.rnnType) {
      const model = buildScreenClassifier({ rnnType });
      expect(model.getLayer(LAYER_NAMES.rnn).getConfig().recurrentActivation).toBe('sigmoid');
      model.dispose();
    }
  });

  it('is reproducible with a seed', () => {
    const a = buildScreenClassifier({}, { seed: 42 });
    const b = buildScreenClassifier({}, { seed: 42 });
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa).toEqual(wb);
    a.dispose();
    b.dispose();
  });
});

describe('parameterCount', () => {
  const variants: Partial<ScreenClassifierArgs>[] = [
    {},
    { convLayers: 1, firstFilters: 4, kernelSize: 5, strides: 2, pooling: false, rnnType: 'lstm', rnnUnits: 128, denseLayers: 0 },
    { convLayers: 2, firstFilters: 4, kernelSize: 4, convActivation: 'leakyRelu', rnnType: 'lstm', rnnActivation: 'relu', denseLayers: 2, denseUnits: 16, dropout: 0.5 },
    { convLayers: 3, firstFilters: 8, strides: 2, pooling: false, finalPool: 'global' },
    { convLayers: 3, firstFilters: 8, strides: 2, pooling: false, finalPool: 'grid2', rnnType: 'lstm' },
  ];
  it('matches the built model for LSTM/GRU, pooling or not, 0-2 dense layers', () => {
    for (const args of variants) {
      const model = buildScreenClassifier(args);
      expect(parameterCount(args)).toBe(model.countParams());
      model.dispose();
    }
  });
});

describe('finalPool', () => {
  it("gives 'global' one feature per last-layer filter and 'grid2' four, from overlapping halves of the map", () => {
    const base = { convLayers: 3, firstFilters: 8, strides: 2, pooling: false } as const;
    expect(convPlan(validateArgs(base)).frameFeatures).toBe(7 * 7 * 32);
    expect(convPlan(validateArgs({ ...base, finalPool: 'global' })).frameFeatures).toBe(32);
    const grid = convPlan(validateArgs({ ...base, finalPool: 'grid2' }));
    expect(grid.frameFeatures).toBe(4 * 32);
    expect(grid.finalPool).toEqual({ size: [4, 4], strides: [3, 3], out: [2, 2] });
    // Even maps split into halves; a 2x2 map keeps its four cells.
    expect(convPlan(validateArgs({ ...base, convLayers: 1, strides: 2, pooling: true, finalPool: 'grid2' })).finalPool).toEqual({ size: [6, 6], strides: [6, 6], out: [2, 2] });
  });

  it("'global' scores a window the same wherever on the screen a pattern sits (away from the edges)", () => {
    const model = buildScreenClassifier({ convLayers: 3, firstFilters: 8, strides: 2, pooling: false, finalPool: 'global', dropout: 0 }, { seed: 5 });
    const withSquareAt = (row: number, col: number) =>
      tf.tidy(() => {
        const pixels = new Float32Array(3 * 50 * 50 * 3).fill(40);
        for (let t = 0; t < 3; t++)
          for (let y = row; y < row + 8; y++)
            for (let x = col; x < col + 8; x++) for (let c = 0; c < 3; c++) pixels[((t * 50 + y) * 50 + x) * 3 + c] = 200 + 20 * c;
        return tf.tensor5d(pixels, [1, 3, 50, 50, 3]);
      });
    const a = withSquareAt(16, 16);
    const b = withSquareAt(24, 32);
    const pa = (model.predict(a) as tf.Tensor).dataSync()[0];
    const pb = (model.predict(b) as tf.Tensor).dataSync()[0];
    expect(Math.abs(pa - pb)).toBeLessThan(1e-6);
    tf.dispose([a, b]);
    model.dispose();
  });

  it("refuses 'grid2' on a 1x1 map and names the fix", () => {
    expect(() => validateArgs({ convLayers: 3, strides: 2, kernelSize: 5, pooling: true, firstFilters: 32, finalPool: 'grid2' })).toThrow(/finalPool 'grid2' needs a last conv map of at least 2x2, got 1x1/);
  });
});

describe('validateArgs', () => {
  it('lists every bad field in one coded error', () => {
    try {
      validateArgs({ convLayers: 4 as never, kernelSize: 7 as never, rnnUnits: 300, rnnType: 'transformer' as never });
      expect.unreachable();
    } catch (err) {
      expect(isLabwatchError(err, 'LABWATCH_ERR_MODEL_BAD_ARGS')).toBe(true);
      const message = (err as Error).message;
      for (const field of ['convLayers: 4', 'kernelSize: 7', 'rnnUnits: 300', 'rnnType: "transformer"']) expect(message).toContain(field);
    }
  });

  it('accepts the deepest, most shrinking stack of the space and refuses unknown fields', () => {
    expect(validateArgs({ convLayers: 3, strides: 2, kernelSize: 5, pooling: true, firstFilters: 32 }).convLayers).toBe(3);
    expect(() => validateArgs({ ...DEFAULT_ARGS, unknownField: 1 } as never)).toThrow(/unknownField: unknown field/);
  });
});
