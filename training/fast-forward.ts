import * as tf from '@tensorflow/tfjs';
import { conv2dSame, maxPoolValid } from './fast-conv.js';

/**
 * The screen classifier's forward pass for training, computed on the very same
 * weight variables as its Conv3D training form (models/screen-classifier.ts), but
 * with time folded into the batch so the convolutions and poolings run as fast
 * 2D kernels on wasm. Layers other than conv/pool/reshape/rescale are the model's
 * own layers, applied eagerly, so dropout, the RNN and the dense head are exactly
 * the model's. A test checks that this equals `model.predict`.
 */
export type Forward = (x: tf.Tensor, training: boolean) => tf.Tensor;

interface ConvConfig {
  kernelSize: number[] | number;
  strides: number[] | number;
  padding: string;
  activation: string;
  useBias?: boolean;
}

export function fastForward(model: tf.LayersModel): Forward {
  const steps: ((x: tf.Tensor, training: boolean, batch: number, frames: number) => tf.Tensor)[] = [];
  let convIndex = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === 'InputLayer') continue;
    if (kind === 'Rescaling') {
      const { scale, offset } = layer.getConfig() as { scale: number; offset: number };
      steps.push((x) => (offset ? x.mul(scale).add(offset) : x.mul(scale)));
    } else if (kind === 'Conv3D') {
      const cfg = layer.getConfig() as unknown as ConvConfig;
      const strides = Array.isArray(cfg.strides) ? cfg.strides : [cfg.strides, cfg.strides, cfg.strides];
      const ks = Array.isArray(cfg.kernelSize) ? cfg.kernelSize : [cfg.kernelSize, cfg.kernelSize, cfg.kernelSize];
      if (cfg.padding !== 'same' || ks[0] !== 1 || strides[0] !== 1 || strides[1] !== strides[2]) {
        throw new Error(`fastForward: unsupported Conv3D ${layer.name} (needs kernel [1,k,k], 'same', square strides)`);
      }
      const [kernel, bias] = layer.trainableWeights;
      const first = convIndex++ === 0;
      steps.push((x) => {
        const shape = kernel.shape.slice(1) as [number, number, number, number];
        let y: tf.Tensor = conv2dSame(x as tf.Tensor4D, kernel.read().reshape(shape), strides[1], !first);
        if (bias) y = y.add(bias.read());
        if (cfg.activation === 'relu') y = tf.relu(y);
        else if (cfg.activation !== 'linear') throw new Error(`fastForward: unsupported activation ${cfg.activation}`);
        return y;
      });
    } else if (kind === 'MaxPooling3D') {
      const cfg = layer.getConfig() as { poolSize: number[]; strides: number[]; padding: 'valid' | 'same' };
      if (cfg.poolSize[0] !== 1 || cfg.strides[0] !== 1 || cfg.padding !== 'valid') throw new Error(`fastForward: unsupported pooling ${layer.name}`);
      steps.push((x) => maxPoolValid(x as tf.Tensor4D, [cfg.poolSize[1], cfg.poolSize[2]], [cfg.strides[1], cfg.strides[2]]));
    } else if (kind === 'Reshape') {
      steps.push((x, _t, batch, frames) => x.reshape([batch, frames, -1]));
    } else {
      steps.push((x, training) => layer.apply(x, { training }) as tf.Tensor);
    }
  }
  return (x, training) => {
    const [batch, frames, ...rest] = x.shape;
    let y = x.reshape([batch * frames, ...rest]);
    for (const step of steps) y = step(y, training, batch, frames);
    return y;
  };
}
