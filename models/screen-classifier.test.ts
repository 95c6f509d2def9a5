import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { initBackend } from './backend.js';
import {
  DEFAULT_ARGS,
  LAYER_NAMES,
  TABLE1_SPACE,
  buildScreenClassifier,
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
  ];
  it('matches the built model for LSTM/GRU, pooling or not, 0-2 dense layers', () => {
    for (const args of variants) {
      const model = buildScreenClassifier(args);
      expect(parameterCount(args)).toBe(model.countParams());
      model.dispose();
    }
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
