import * as tf from '@tensorflow/tfjs';
import { WINDOW_FRAMES } from './screen-classifier.js';

/**
 * The trained (Conv3D) screen classifier re-expressed as plain tensors for fast
 * inference: the per-frame CNN as Conv2D over frames folded into the batch
 * (kernel [1,k,k,in,out] -> [k,k,in,out]; 7-15x faster than Conv3D on wasm),
 * then the RNN cell and dense head as explicit tfjs equations, so each frame's
 * CNN pass and input projection can be cached and reused by three windows.
 */
export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'hardSigmoid' | 'tanh';

export interface ConvStep {
  kind: 'conv';
  filter: tf.Tensor4D;
  bias?: tf.Tensor1D;
  strides: [number, number];
  pad: 'same' | 'valid';
  activation: 'linear' | 'relu' | 'leakyrelu';
  leakyAlpha: number;
}
export interface PoolStep {
  kind: 'pool';
  size: [number, number];
  strides: [number, number];
  pad: 'same' | 'valid';
}
export interface LeakyStep {
  kind: 'leaky';
  alpha: number;
}
export type FrameStep = ConvStep | PoolStep | LeakyStep;

export interface RecurrentCell {
  type: 'gru' | 'lstm';
  units: number;
  /** [features, gates*units] and [gates*units]: the per-frame input projection. */
  kernel: tf.Tensor2D;
  bias?: tf.Tensor1D;
  /** LSTM: the whole [units, 4*units]; GRU: [units, 2*units] for z,r ... */
  recurrentA: tf.Tensor2D;
  /** ... and GRU only: [units, units] for the candidate, applied to r*h. */
  recurrentB?: tf.Tensor2D;
  activation: ActivationName;
  recurrentActivation: ActivationName;
}

export interface DenseStep {
  kernel: tf.Tensor2D;
  bias?: tf.Tensor1D;
  activation: ActivationName;
}

export interface InferencePlan {
  /** Input scaling done by the model's Rescaling layer: x * scale + offset. */
  scale: number;
  offset: number;
  frameSteps: FrameStep[];
  frameFeatures: number;
  cell: RecurrentCell;
  /** Hidden layers then the output layer (dropout is the identity at inference). */
  head: DenseStep[];
}

/** Thrown with a reason when the model holds a layer this plan cannot express. */
export class UnsupportedModelError extends Error {}

type Config = Record<string, unknown>;

/** Translate a model built by `buildScreenClassifier` (copies its weights). */
export function planFromModel(model: tf.LayersModel): InferencePlan {
  const plan: Partial<InferencePlan> & { frameSteps: FrameStep[]; head: DenseStep[] } = { scale: 1, offset: 0, frameSteps: [], head: [] };
  try {
    translateLayers(model, plan);
  } catch (err) {
    disposePlan(plan);
    throw err;
  }
  if (!plan.cell || plan.frameFeatures === undefined || plan.head.length === 0 || plan.frameSteps.length === 0) {
    disposePlan(plan);
    throw new UnsupportedModelError('the model lacks a conv stack, a [3, features] reshape, a GRU/LSTM layer or a dense output');
  }
  return plan as InferencePlan;
}

function translateLayers(model: tf.LayersModel, plan: Partial<InferencePlan> & { frameSteps: FrameStep[]; head: DenseStep[] }): void {
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const config = layer.getConfig() as Config;
    const weights = layer.getWeights();
    const copy = <T extends tf.Tensor>(t: T) => tf.keep(t.clone());
    switch (cls) {
      case 'InputLayer':
      case 'Dropout':
        break;
      case 'Rescaling':
        plan.scale = Number(config.scale);
        plan.offset = Number(config.offset ?? 0);
        break;
      case 'Conv3D': {
        if (plan.cell) throw new UnsupportedModelError(`${layer.name} comes after the recurrent layer`);
        const kernel = config.kernelSize as number[];
        const strides = config.strides as number[];
        const dilation = (config.dilationRate as number[] | number | undefined) ?? 1;
        if (kernel[0] !== 1 || strides[0] !== 1) throw new UnsupportedModelError(`${layer.name} mixes frames (kernel ${kernel}, strides ${strides}); need [1,k,k]`);
        if ([dilation].flat().some((d) => d !== 1)) throw new UnsupportedModelError(`${layer.name} uses dilation`);
        if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') throw new UnsupportedModelError(`${layer.name} is not channelsLast`);
        const activation = config.activation as string;
        if (activation !== 'linear' && activation !== 'relu') throw new UnsupportedModelError(`${layer.name} activation ${activation}`);
        const [k, b] = weights;
        plan.frameSteps.push({
          kind: 'conv',
          filter: tf.keep(k.reshape(k.shape.slice(1)) as tf.Tensor4D),
          bias: b ? copy(b as tf.Tensor1D) : undefined,
          strides: [strides[1], strides[2]],
          pad: config.padding as 'same' | 'valid',
          activation,
          leakyAlpha: 0,
        });
        break;
      }
      case 'LeakyReLU': {
        const alpha = Number(config.alpha);
        const last = plan.frameSteps[plan.frameSteps.length - 1];
        // Fused into the conv it follows: one wasm kernel instead of two.
        if (last?.kind === 'conv' && last.activation === 'linear') {
          last.activation = 'leakyrelu';
          last.leakyAlpha = alpha;
        } else plan.frameSteps.push({ kind: 'leaky', alpha });
        break;
      }
      case 'MaxPooling3D': {
        const size = config.poolSize as number[];
        const strides = (config.strides as number[] | null) ?? size;
        if (size[0] !== 1 || strides[0] !== 1) throw new UnsupportedModelError(`${layer.name} pools across frames`);
        plan.frameSteps.push({ kind: 'pool', size: [size[1], size[2]], strides: [strides[1], strides[2]], pad: config.padding as 'same' | 'valid' });
        break;
      }
      case 'Reshape': {
        const target = config.targetShape as number[];
        if (target.length !== 2 || target[0] !== WINDOW_FRAMES) throw new UnsupportedModelError(`${layer.name} reshapes to [${target}], need [${WINDOW_FRAMES}, features]`);
        plan.frameFeatures = target[1];
        break;
      }
      case 'GRU':
      case 'LSTM': {
        if (config.returnSequences || config.goBackwards || config.stateful) throw new UnsupportedModelError(`${layer.name} returns sequences, runs backwards or is stateful`);
        if (cls === 'GRU' && config.resetAfter) throw new UnsupportedModelError(`${layer.name} uses reset_after`);
        const units = Number(config.units);
        const [kernel, recurrent, bias] = weights as tf.Tensor2D[];
        const cell: RecurrentCell = {
          type: cls === 'GRU' ? 'gru' : 'lstm',
          units,
          kernel: copy(kernel),
          bias: bias ? copy(bias as unknown as tf.Tensor1D) : undefined,
          recurrentA: cls === 'GRU' ? tf.keep(recurrent.slice([0, 0], [units, 2 * units])) : copy(recurrent),
          recurrentB: cls === 'GRU' ? tf.keep(recurrent.slice([0, 2 * units], [units, units])) : undefined,
          activation: activationName(config.activation, layer.name),
          recurrentActivation: activationName(config.recurrentActivation, layer.name),
        };
        plan.cell = cell;
        break;
      }
      case 'Dense': {
        if (!plan.cell) throw new UnsupportedModelError(`${layer.name} comes before the recurrent layer`);
        const [kernel, bias] = weights;
        plan.head.push({ kernel: copy(kernel as tf.Tensor2D), bias: bias ? copy(bias as tf.Tensor1D) : undefined, activation: activationName(config.activation, layer.name) });
        break;
      }
      default:
        throw new UnsupportedModelError(`layer ${layer.name} of type ${cls} is not supported by the incremental classifier`);
    }
  }
}

function activationName(value: unknown, layer: string): ActivationName {
  const known: ActivationName[] = ['linear', 'relu', 'sigmoid', 'hardSigmoid', 'tanh'];
  if (typeof value === 'string' && (known as string[]).includes(value)) return value as ActivationName;
  throw new UnsupportedModelError(`${layer} activation ${String(value)}`);
}

export function applyActivation(name: ActivationName, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'linear': return x;
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    // As tfjs-layers computes it.
    case 'hardSigmoid': return tf.clipByValue(tf.add(tf.mul(0.2, x), 0.5), 0, 1);
  }
}

/** Per-frame CNN + input projection: [n,50,50,3] scaled pixels -> [n, gates*units]. */
export function embedTensor(plan: InferencePlan, frames: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let x: tf.Tensor4D = frames;
    for (const step of plan.frameSteps) {
      if (step.kind === 'conv') {
        x = tf.fused.conv2d({ x, filter: step.filter, strides: step.strides, pad: step.pad, bias: step.bias, activation: step.activation, leakyreluAlpha: step.leakyAlpha });
      } else if (step.kind === 'pool') {
        x = tf.maxPool(x, step.size, step.strides, step.pad);
      } else {
        x = tf.leakyRelu(x, step.alpha);
      }
    }
    const flat = x.reshape([x.shape[0], plan.frameFeatures]) as tf.Tensor2D;
    return tf.fused.matMul({ a: flat, b: plan.cell.kernel, bias: plan.cell.bias }) as tf.Tensor2D;
  });
}

/**
 * Three recurrent steps over projected inputs (each [n, gates*units], bias
 * included) and the dense head; tfjs's GRU (reset_after=false: r gates h before
 * the candidate's recurrent kernel) and LSTM cell equations. Returns [n, 1].
 */
export function scoreTensor(plan: InferencePlan, steps: tf.Tensor2D[]): tf.Tensor2D {
  return tf.tidy(() => {
    const { cell } = plan;
    const u = cell.units;
    const act = (x: tf.Tensor) => applyActivation(cell.activation, x);
    const gate = (x: tf.Tensor) => applyActivation(cell.recurrentActivation, x);
    let h: tf.Tensor | undefined; // undefined = the zero initial state, whose products are skipped
    let c: tf.Tensor | undefined;
    for (const xt of steps) {
      if (cell.type === 'gru') {
        const [xz, xr, xh] = tf.split(xt, [u, u, u], 1);
        if (h === undefined) {
          const z = gate(xz);
          h = tf.mul(tf.sub(1, z), act(xh));
        } else {
          const [rz, rr] = tf.split(tf.matMul(h, cell.recurrentA), [u, u], 1);
          const z = gate(tf.add(xz, rz));
          const r = gate(tf.add(xr, rr));
          const hh = act(tf.add(xh, tf.matMul(tf.mul(r, h), cell.recurrentB!)));
          h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
        }
      } else {
        const zAll = h === undefined ? xt : tf.add(xt, tf.matMul(h, cell.recurrentA));
        const [z0, z1, z2, z3] = tf.split(zAll, [u, u, u, u], 1);
        const i = gate(z0);
        const candidate = tf.mul(i, act(z2));
        c = c === undefined ? candidate : tf.add(tf.mul(gate(z1), c), candidate);
        h = tf.mul(gate(z3), act(c));
      }
    }
    let y = h!;
    for (const dense of plan.head) {
      y = applyActivation(dense.activation, dense.bias ? tf.add(tf.matMul(y, dense.kernel), dense.bias) : tf.matMul(y, dense.kernel));
    }
    return y as tf.Tensor2D;
  });
}

export function disposePlan(plan: Partial<InferencePlan>): void {
  const tensors: (tf.Tensor | undefined)[] = [];
  for (const s of plan.frameSteps ?? []) if (s.kind === 'conv') tensors.push(s.filter, s.bias);
  if (plan.cell) tensors.push(plan.cell.kernel, plan.cell.bias, plan.cell.recurrentA, plan.cell.recurrentB);
  for (const d of plan.head ?? []) tensors.push(d.kernel, d.bias);
  tf.dispose(tensors.filter((t): t is tf.Tensor => t !== undefined));
}
