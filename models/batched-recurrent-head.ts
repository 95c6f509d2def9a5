import * as tf from '@tensorflow/tfjs';
import { activationFn, gatesOf, type ActivationName, type RecurrentHead } from './recurrent-head.js';

/**
 * Below this many windows per call, `scoreProjectedWindows` (all in
 * JavaScript) is faster: each tfjs call here costs ~10-15 µs of fixed
 * overhead on wasm, about 130 µs per batch. From 8 windows up the recurrent
 * and dense products are cheaper as one matrix product per step for the whole
 * batch (measured, GRU 32 on 2 vCPUs: 38 -> 17 µs per window at 16, -> 11 at 64).
 */
export const BATCHED_RNN_MIN_WINDOWS = 8;

/**
 * The same three recurrent steps and dense head as recurrent-head.ts, for a
 * batch of windows: the matrix products h·R run in tfjs (one per step and gate
 * group for all windows at once), the gate arithmetic stays in JavaScript on
 * float32 buffers. Equations as tfjs-layers computes them (no reset_after).
 */
export class BatchedRecurrentHead {
  private readonly head: RecurrentHead;
  /** GRU: [u, 2u] (update, reset) and [u, u] (candidate); LSTM: [u, 4u] in `rzr`. */
  private readonly rzr: tf.Tensor2D;
  private readonly rh: tf.Tensor2D | undefined;
  private readonly dense: { kernel: tf.Tensor2D; bias: tf.Tensor1D | undefined; activation: ActivationName }[];
  private readonly gate: (x: number) => number;
  private readonly act: (x: number) => number;

  constructor(head: RecurrentHead) {
    this.head = head;
    const u = head.units;
    const g = gatesOf(head.type);
    // recurrentT is [g*u][u]; the products here want the untransposed [u][g*u] split by gate group.
    const groupWidth = head.type === 'gru' ? 2 * u : g * u;
    this.rzr = tf.tensor2d(untranspose(head.recurrentT, u, 0, groupWidth), [u, groupWidth]);
    this.rh = head.type === 'gru' ? tf.tensor2d(untranspose(head.recurrentT, u, 2 * u, u), [u, u]) : undefined;
    this.dense = head.dense.map((d) => ({
      kernel: tf.tensor2d(untranspose(d.kernelT, d.inputs, 0, d.outputs), [d.inputs, d.outputs]),
      bias: d.bias ? tf.tensor1d(Float32Array.from(d.bias)) : undefined,
      activation: d.activation,
    }));
    this.gate = activationFn(head.recurrentActivation);
    this.act = activationFn(head.activation);
  }

  /** P(prohibited) per window; each window is three projected frames (gates*units, bias included). */
  score(windows: readonly (readonly Float32Array[])[]): Float32Array {
    const n = windows.length;
    if (n === 0) return new Float32Array(0);
    const u = this.head.units;
    const h = new Float32Array(n * u);
    const c = new Float32Array(n * u);
    const steps = windows[0].length;
    for (let t = 0; t < steps; t++) {
      if (this.head.type === 'gru') this.gruStep(windows, t, h);
      else this.lstmStep(windows, t, h, c);
    }
    return this.denseHead(h, n);
  }

  dispose(): void {
    tf.dispose([this.rzr, ...(this.rh ? [this.rh] : []), ...this.dense.flatMap((d) => (d.bias ? [d.kernel, d.bias] : [d.kernel]))]);
  }

  private gruStep(windows: readonly (readonly Float32Array[])[], t: number, h: Float32Array): void {
    const { gate, act } = this;
    const u = this.head.units;
    const n = windows.length;
    // At t = 0 the state is zero: no recurrent products, and h = (1 - z) * candidate.
    if (t === 0) {
      for (let w = 0; w < n; w++) {
        const x = windows[w][0];
        for (let j = 0; j < u; j++) h[w * u + j] = (1 - gate(x[j])) * act(x[2 * u + j]);
      }
      return;
    }
    const rec = product(h, n, u, this.rzr);
    const z = new Float32Array(n * u);
    const rh = new Float32Array(n * u);
    for (let w = 0; w < n; w++) {
      const x = windows[w][t];
      const o = w * u;
      const ro = 2 * o;
      for (let j = 0; j < u; j++) {
        z[o + j] = gate(x[j] + rec[ro + j]);
        rh[o + j] = gate(x[u + j] + rec[ro + u + j]) * h[o + j];
      }
    }
    const recH = product(rh, n, u, this.rh!);
    for (let w = 0; w < n; w++) {
      const x = windows[w][t];
      const o = w * u;
      for (let j = 0; j < u; j++) {
        const candidate = act(x[2 * u + j] + recH[o + j]);
        h[o + j] = z[o + j] * h[o + j] + (1 - z[o + j]) * candidate;
      }
    }
  }

  private lstmStep(windows: readonly (readonly Float32Array[])[], t: number, h: Float32Array, c: Float32Array): void {
    const { gate, act } = this;
    const u = this.head.units;
    const n = windows.length;
    const rec = t === 0 ? undefined : product(h, n, u, this.rzr);
    for (let w = 0; w < n; w++) {
      const x = windows[w][t];
      const o = w * u;
      const ro = 4 * o;
      for (let j = 0; j < u; j++) {
        const i = gate(x[j] + (rec ? rec[ro + j] : 0));
        const f = gate(x[u + j] + (rec ? rec[ro + u + j] : 0));
        const candidate = act(x[2 * u + j] + (rec ? rec[ro + 2 * u + j] : 0));
        const out = gate(x[3 * u + j] + (rec ? rec[ro + 3 * u + j] : 0));
        c[o + j] = f * c[o + j] + i * candidate;
        h[o + j] = out * act(c[o + j]);
      }
    }
  }

  private denseHead(h: Float32Array, n: number): Float32Array {
    const y = tf.tidy(() => {
      let x: tf.Tensor2D = tf.tensor2d(h, [n, this.head.units]);
      for (const d of this.dense) x = applyActivation(tf.fused.matMul({ a: x, b: d.kernel, bias: d.bias }) as tf.Tensor2D, d.activation);
      return x;
    });
    const data = y.dataSync() as Float32Array;
    y.dispose();
    return data;
  }
}

/** a [n, k] (JS buffer) · w [k, m] (tensor) -> [n, m] as a JS buffer. */
function product(a: Float32Array, n: number, k: number, w: tf.Tensor2D): Float32Array {
  const x = tf.tensor2d(a, [n, k]);
  const y = tf.matMul(x, w);
  x.dispose();
  const data = y.dataSync() as Float32Array;
  y.dispose();
  return data;
}

function applyActivation(x: tf.Tensor2D, name: ActivationName): tf.Tensor2D {
  switch (name) {
    case 'linear': return x;
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'hardSigmoid': return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1) as tf.Tensor2D;
  }
}

/** Columns [from, from+width) of the [rows][cols] matrix whose transpose `t` ([cols][rows]) is given, row-major float32. */
function untranspose(t: Float64Array, rows: number, from: number, width: number): Float32Array {
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) out[r * width + c] = t[(from + c) * rows + r];
  return out;
}
