import * as tf from '@tensorflow/tfjs';
import { lwError } from '../core/errors.js';
import { FRAME_CHANNELS, FRAME_HEIGHT, FRAME_WIDTH } from './preprocess.js';

/** Frames per classified window (the paper's sequence length). */
export const WINDOW_FRAMES = 3;

/**
 * The hyperparameter space of Ortin et al., Table 1, plus max-pooling (not in the
 * paper; it makes the per-frame CNN several times cheaper). Data, so the
 * training search can enumerate or sample it.
 */
export const TABLE1_SPACE = {
  convLayers: [1, 2, 3],
  /** Filters of the first conv layer; each further layer doubles them. */
  firstFilters: [4, 8, 16, 32],
  kernelSize: [3, 4, 5],
  strides: [1, 2],
  convActivation: ['relu', 'leakyRelu'],
  pooling: [false, true],
  /**
   * How the last conv block's map becomes the per-frame features (not in the
   * paper, which flattens): 'none' flattens (position-specific features),
   * 'grid2' max-pools to 2x2 overlapping quadrants, 'global' max-pools the
   * whole map to one value per filter (a pattern counts wherever it appears).
   */
  finalPool: ['none', 'grid2', 'global'],
  rnnType: ['lstm', 'gru'],
  rnnActivation: ['tanh', 'relu'],
  rnnUnits: [16, 32, 64, 128],
  dropout: [0, 0.2, 0.5],
  denseLayers: [0, 1, 2],
  denseUnits: [16, 32, 64, 128],
} as const;

type Space = typeof TABLE1_SPACE;
export interface ScreenClassifierArgs {
  convLayers: Space['convLayers'][number];
  firstFilters: Space['firstFilters'][number];
  kernelSize: Space['kernelSize'][number];
  strides: Space['strides'][number];
  convActivation: Space['convActivation'][number];
  /** 2x2 max-pooling after each conv layer. */
  pooling: boolean;
  finalPool: Space['finalPool'][number];
  rnnType: Space['rnnType'][number];
  rnnActivation: Space['rnnActivation'][number];
  /** 16-128 (any integer; Table 1 samples powers of two). */
  rnnUnits: number;
  dropout: Space['dropout'][number];
  denseLayers: Space['denseLayers'][number];
  /** 16-128, used by every hidden dense layer. */
  denseUnits: number;
}

/**
 * Fast default: two convs with stride 2 and pooling shrink a frame to 3x3x32
 * features (~0.9 M multiply-adds per frame, ~37k parameters), so the
 * incremental scheme classifies thousands of new frames per second on one core
 * while keeping a coarse spatial layout of the screen.
 */
export const DEFAULT_ARGS: ScreenClassifierArgs = {
  convLayers: 2,
  firstFilters: 16,
  kernelSize: 3,
  strides: 2,
  convActivation: 'relu',
  pooling: true,
  finalPool: 'none',
  rnnType: 'gru',
  rnnActivation: 'tanh',
  rnnUnits: 32,
  dropout: 0.2,
  denseLayers: 1,
  denseUnits: 32,
};

/** LeakyReLU slope (tfjs's and Keras's default). */
export const LEAKY_ALPHA = 0.3;

/** Layer names the incremental classifier looks weights up by. */
export const LAYER_NAMES = {
  conv: (i: number) => `conv${i + 1}`,
  rnn: 'rnn',
  dense: (i: number) => `dense${i + 1}`,
  output: 'output',
} as const;

export interface BuildOptions {
  /** Seeds the weight initialisers and dropout, for reproducible training. */
  seed?: number;
}

/** Per-layer shapes implied by the args (validated). */
export interface ConvPlan {
  filters: number[];
  /** [height, width, channels] after each conv block (conv + optional pool). */
  blockShapes: [number, number, number][];
  /** The final max-pooling over the last block ('grid2'/'global'), or undefined for 'none'. */
  finalPool?: { size: [number, number]; strides: [number, number]; out: [number, number] };
  /** Features per frame fed to the RNN. */
  frameFeatures: number;
}

/** Check args against the space; every problem is listed in one error. */
export function validateArgs(args: Partial<ScreenClassifierArgs> = {}): ScreenClassifierArgs {
  const full = { ...DEFAULT_ARGS, ...args } as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(full)) {
    if (!(key in TABLE1_SPACE)) problems.push(`  ${key}: unknown field`);
  }
  for (const [key, allowed] of Object.entries(TABLE1_SPACE)) {
    const value = full[key];
    if (key === 'rnnUnits' || key === 'denseUnits') {
      if (!Number.isInteger(value) || (value as number) < 16 || (value as number) > 128) {
        problems.push(`  ${key}: ${JSON.stringify(value)} (need an integer 16-128)`);
      }
    } else if (!(allowed as readonly unknown[]).includes(value)) {
      problems.push(`  ${key}: ${JSON.stringify(value)} (need one of ${allowed.map((v) => JSON.stringify(v)).join(', ')})`);
    }
  }
  if (problems.length === 0) {
    const plan = planShapes(full as unknown as ScreenClassifierArgs);
    if (plan.problem) problems.push(`  ${plan.problem}`);
  }
  if (problems.length > 0) throw lwError('LABWATCH_ERR_MODEL_BAD_ARGS', { problems: problems.join('\n') });
  return full as unknown as ScreenClassifierArgs;
}

/** Shapes through the conv stack ('same' padding: ceil(n/stride); pool: floor(n/2)). */
export function convPlan(args: ScreenClassifierArgs): ConvPlan {
  const plan = planShapes(args);
  if (plan.problem) throw lwError('LABWATCH_ERR_MODEL_BAD_ARGS', { problems: `  ${plan.problem}` });
  return plan;
}

function planShapes(args: ScreenClassifierArgs): ConvPlan & { problem?: string } {
  let h: number = FRAME_HEIGHT;
  let w: number = FRAME_WIDTH;
  const filters: number[] = [];
  const blockShapes: [number, number, number][] = [];
  let problem: string | undefined;
  for (let i = 0; i < args.convLayers; i++) {
    const f = args.firstFilters * 2 ** i;
    h = Math.ceil(h / args.strides);
    w = Math.ceil(w / args.strides);
    if (args.pooling) {
      if ((h < 2 || w < 2) && !problem) problem = `conv layer ${i + 1} output is ${h}x${w}, too small for 2x2 pooling (use fewer layers, stride 1 or no pooling)`;
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    }
    filters.push(f);
    blockShapes.push([h, w, f]);
  }
  const last = blockShapes[blockShapes.length - 1];
  if (!last) return { filters, blockShapes, frameFeatures: 0, problem };
  const finalPool = finalPoolOf(args.finalPool ?? 'none', last[0], last[1]);
  if (finalPool === null) {
    problem ??= `finalPool 'grid2' needs a last conv map of at least 2x2, got ${last[0]}x${last[1]} (use 'global' or fewer layers)`;
    return { filters, blockShapes, frameFeatures: 0, problem };
  }
  const [oh, ow] = finalPool?.out ?? [last[0], last[1]];
  return { filters, blockShapes, finalPool, frameFeatures: oh * ow * last[2], problem };
}

/**
 * 'grid2': windows of ceil(n/2) cells every floor(n/2), so an odd 7 gives two
 * overlapping windows (rows 0-3 and 3-6) and an even map two halves.
 */
function finalPoolOf(kind: ScreenClassifierArgs['finalPool'], h: number, w: number): ConvPlan['finalPool'] | null {
  if (kind === 'none') return undefined;
  if (kind === 'global') return { size: [h, w], strides: [h, w], out: [1, 1] };
  if (h < 2 || w < 2) return null;
  const axis = (n: number) => ({ size: Math.ceil(n / 2), stride: Math.floor(n / 2) });
  const [y, x] = [axis(h), axis(w)];
  return { size: [y.size, x.size], strides: [y.stride, x.stride], out: [2, 2] };
}

/** Trainable parameters of the model `buildScreenClassifier(args)` builds. */
export function parameterCount(partial: Partial<ScreenClassifierArgs> = {}): number {
  const args = validateArgs(partial);
  const { filters, frameFeatures } = convPlan(args);
  const k = args.kernelSize;
  let n = 0;
  let inCh: number = FRAME_CHANNELS;
  for (const f of filters) {
    n += k * k * inCh * f + f;
    inCh = f;
  }
  const u = args.rnnUnits;
  const gates = args.rnnType === 'lstm' ? 4 : 3;
  n += gates * (frameFeatures * u + u * u + u);
  let width = u;
  for (let i = 0; i < args.denseLayers; i++) {
    n += width * args.denseUnits + args.denseUnits;
    width = args.denseUnits;
  }
  return n + width + 1;
}

/**
 * The training form of the screen classifier. Input: [batch, 3, 50, 50, 3]
 * floats in 0-255 (raw uint8 pixel values); output: [batch, 1] probability that
 * the window shows a prohibited activity. Per-frame convolution is a Conv3D with
 * kernel [1,k,k] — the same function as a time-distributed Conv2D, in a form
 * every tfjs backend can load and run (wasm lacks Conv2DBackpropFilter).
 * Caution, tfjs 4.22 wasm: Conv3D's input gradient (and its filter gradient at
 * stride 2) and MaxPool3D on negative inputs are wrong, so do not `fit` this
 * model on wasm directly: training/fit.ts trains the same weights through a
 * time-folded Conv2D path, and the incremental classifier infers through one.
 */
export function buildScreenClassifier(partial: Partial<ScreenClassifierArgs> = {}, options: BuildOptions = {}): tf.LayersModel {
  const args = validateArgs(partial);
  const plan = convPlan(args);
  let seedCounter = options.seed;
  const seed = () => (seedCounter === undefined ? undefined : seedCounter++);
  const glorot = () => tf.initializers.glorotUniform({ seed: seed() });
  const he = () => tf.initializers.heNormal({ seed: seed() });

  const input = tf.input({ shape: [WINDOW_FRAMES, FRAME_HEIGHT, FRAME_WIDTH, FRAME_CHANNELS], name: 'frames' });
  let x = tf.layers.rescaling({ scale: 1 / 255, name: 'rescale' }).apply(input) as tf.SymbolicTensor;
  plan.filters.forEach((filters, i) => {
    x = tf.layers
      .conv3d({
        name: LAYER_NAMES.conv(i),
        filters,
        kernelSize: [1, args.kernelSize, args.kernelSize],
        strides: [1, args.strides, args.strides],
        padding: 'same',
        activation: args.convActivation === 'relu' ? 'relu' : 'linear',
        kernelInitializer: glorot(),
      })
      .apply(x) as tf.SymbolicTensor;
    if (args.convActivation === 'leakyRelu') {
      x = tf.layers.leakyReLU({ alpha: LEAKY_ALPHA, name: `${LAYER_NAMES.conv(i)}_leaky` }).apply(x) as tf.SymbolicTensor;
    }
    if (args.pooling) {
      x = tf.layers.maxPooling3d({ poolSize: [1, 2, 2], strides: [1, 2, 2], padding: 'valid', name: `pool${i + 1}` }).apply(x) as tf.SymbolicTensor;
    }
  });
  if (plan.finalPool) {
    const { size, strides } = plan.finalPool;
    x = tf.layers.maxPooling3d({ poolSize: [1, ...size], strides: [1, ...strides], padding: 'valid', name: 'final_pool' }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.reshape({ targetShape: [WINDOW_FRAMES, plan.frameFeatures], name: 'frames_to_sequence' }).apply(x) as tf.SymbolicTensor;

  const rnnConfig = {
    name: LAYER_NAMES.rnn,
    units: args.rnnUnits,
    activation: args.rnnActivation,
    // tfjs defaults to hardSigmoid; the paper (and Keras 2+) use the sigmoid.
    recurrentActivation: 'sigmoid',
    kernelInitializer: he(),
    recurrentInitializer: he(),
  } as const;
  x = (args.rnnType === 'lstm' ? tf.layers.lstm({ ...rnnConfig, unitForgetBias: true }) : tf.layers.gru(rnnConfig)).apply(x) as tf.SymbolicTensor;
  if (args.dropout > 0) x = tf.layers.dropout({ rate: args.dropout, seed: seed(), name: 'rnn_dropout' }).apply(x) as tf.SymbolicTensor;
  for (let i = 0; i < args.denseLayers; i++) {
    x = tf.layers.dense({ name: LAYER_NAMES.dense(i), units: args.denseUnits, activation: 'relu', kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
    if (args.dropout > 0) x = tf.layers.dropout({ rate: args.dropout, seed: seed(), name: `dense${i + 1}_dropout` }).apply(x) as tf.SymbolicTensor;
  }
  const output = tf.layers.dense({ name: LAYER_NAMES.output, units: 1, activation: 'sigmoid', kernelInitializer: glorot() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'screen_classifier' });
}
