import * as tf from '@tensorflow/tfjs';
import { gatesOf, transposeToF64, type ActivationName, type DenseWeights, type RecurrentHead } from './recurrent-head.js';
import { WINDOW_FRAMES } from './screen-classifier.js';

/**
 * The trained (Conv3D) screen classifier re-expressed as plain tensors for fast
 * inference: the per-frame CNN as Conv2D over frames folded into the batch
 * (kernel [1,k,k,in,out] -> [k,k,in,out]; 7-15x faster than Conv3D on wasm),
 * then the RNN's input projection x·W + b, so each frame's CNN pass and
 * projection is computed once and reused by the three windows that hold it;
 * the recurrent steps and dense head run in JavaScript (recurrent-head.ts).
 */

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

export interface Projection {
  /** [features, gates*units] and [gates*units]: the RNN's input kernel and bias. */
  kernel: tf.Tensor2D;
  bias?: tf.Tensor1D;
}

export interface InferencePlan {
  /** Input scaling still to apply to raw pixels: x * scale + offset (1 and 0 once folded into the first conv). */
  scale: number;
  offset: number;
  frameSteps: FrameStep[];
  frameFeatures: number;
  projection: Projection;
  /** Recurrent weights and dense head (dropout is the identity at inference). */
  rnn: RecurrentHead;
}

/** Thrown with a reason when the model holds a layer this plan cannot express. */
export class UnsupportedModelError extends Error {}

type Config = Record<string, unknown>;

/** Translate a model built by `buildScreenClassifier` (copies its weights). */
export function planFromModel(model: tf.LayersModel): InferencePlan {
  const plan: PlanDraft = { scale: 1, offset: 0, frameSteps: [], dense: [] };
  try {
    translateLayers(model, plan);
  } catch (err) {
    disposePlan(plan);
    throw err;
  }
  if (!plan.rnn || !plan.projection || plan.frameFeatures === undefined || plan.dense.length === 0 || plan.frameSteps.length === 0) {
    disposePlan(plan);
    throw new UnsupportedModelError('the model lacks a conv stack, a [3, features] reshape, a GRU/LSTM layer or a dense output');
  }
  const last = plan.dense[plan.dense.length - 1];
  if (last.outputs !== 1) {
    disposePlan(plan);
    throw new UnsupportedModelError(`the output layer has ${last.outputs} units, expected 1`);
  }
  foldInputScale(plan);
  const { dense, rnn, ...rest } = plan;
  return { ...rest, rnn: { ...rnn, dense } } as InferencePlan;
}

/**
 * conv(s·x, W) = conv(x, s·W) with zero padding: moving the 1/255 into the first
 * filter lets raw bytes go straight into the input tensor (a native typed-array
 * copy instead of a per-pixel JavaScript loop). Differs from the model only by
 * float32 rounding (~1e-7 relative).
 */
function foldInputScale(plan: PlanDraft): void {
  const first = plan.frameSteps[0];
  if (first?.kind !== 'conv' || plan.offset !== 0 || plan.scale === undefined || plan.scale === 1) return;
  const scaled = tf.mul(first.filter, plan.scale) as tf.Tensor4D;
  first.filter.dispose();
  first.filter = scaled;
  plan.scale = 1;
}

type PlanDraft = Partial<Omit<InferencePlan, 'rnn'>> & { frameSteps: FrameStep[]; dense: DenseWeights[]; rnn?: Omit<RecurrentHead, 'dense'> };

function translateLayers(model: tf.LayersModel, plan: PlanDraft): void {
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
        if (plan.rnn) throw new UnsupportedModelError(`${layer.name} comes after the recurrent layer`);
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
        const [kernel, recurrent, bias] = weights;
        const type = cls === 'GRU' ? 'gru' : 'lstm';
        if (recurrent.shape[0] !== units || recurrent.shape[1] !== gatesOf(type) * units) throw new UnsupportedModelError(`${layer.name} recurrent kernel has shape [${recurrent.shape}]`);
        plan.projection = { kernel: copy(kernel as tf.Tensor2D), bias: bias ? copy(bias as tf.Tensor1D) : undefined };
        plan.rnn = {
          type,
          units,
          recurrentT: transposeToF64(recurrent.dataSync(), units, gatesOf(type) * units),
          activation: activationName(config.activation, layer.name),
          recurrentActivation: activationName(config.recurrentActivation, layer.name),
        };
        break;
      }
      case 'Dense': {
        if (!plan.rnn) throw new UnsupportedModelError(`${layer.name} comes before the recurrent layer`);
        const [kernel, bias] = weights as [tf.Tensor2D, tf.Tensor1D | undefined];
        plan.dense.push({
          kernelT: transposeToF64(kernel.dataSync(), kernel.shape[0], kernel.shape[1]),
          bias: bias ? Float64Array.from(bias.dataSync()) : undefined,
          inputs: kernel.shape[0],
          outputs: kernel.shape[1],
          activation: activationName(config.activation, layer.name),
        });
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
    return tf.fused.matMul({ a: flat, b: plan.projection.kernel, bias: plan.projection.bias }) as tf.Tensor2D;
  });
}

export function disposePlan(plan: Pick<Partial<InferencePlan>, 'frameSteps' | 'projection'>): void {
  const tensors: (tf.Tensor | undefined)[] = [];
  for (const s of plan.frameSteps ?? []) if (s.kind === 'conv') tensors.push(s.filter, s.bias);
  if (plan.projection) tensors.push(plan.projection.kernel, plan.projection.bias);
  tf.dispose(tensors.filter((t): t is tf.Tensor => t !== undefined));
}
