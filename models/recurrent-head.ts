/**
 * The recurrent part of the screen classifier — three GRU/LSTM steps over
 * per-frame input projections, then the dense head — in plain JavaScript.
 * For the small cells of the screen classifier (16-128 units) this is several
 * times faster than ~50 tiny tfjs ops per call, whose per-op overhead dominates.
 * Weights are stored transposed in float64 so every product is a contiguous
 * dot product. The equations are tfjs-layers' own (results agree with tfjs's
 * float32 to ~1e-6):
 *  - GRU (tfjs has no reset_after): z = g(xz + h·Rz), r = g(xr + h·Rr),
 *    h~ = a(xh + (r*h)·Rh), h = z*h + (1-z)*h~, where x* = x·W + b were
 *    computed per frame;
 *  - LSTM: [i f c~ o] = x·W + b + h·R; i,f,o = g(.), c = f*c + i*a(c~), h = o*a(c).
 */
export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'hardSigmoid' | 'tanh';

export interface DenseWeights {
  /** Transposed kernel, [outputs][inputs] row-major: one contiguous row per output. */
  kernelT: Float64Array;
  bias?: Float64Array;
  inputs: number;
  outputs: number;
  activation: ActivationName;
}

export interface RecurrentHead {
  type: 'gru' | 'lstm';
  units: number;
  /** tfjs's recurrent_kernel transposed, [gates*units][units]: one contiguous row per gate unit. */
  recurrentT: Float64Array;
  activation: ActivationName;
  recurrentActivation: ActivationName;
  /** Hidden dense layers, then the 1-unit output layer. */
  dense: DenseWeights[];
}

export function gatesOf(type: RecurrentHead['type']): number {
  return type === 'gru' ? 3 : 4;
}

/** [rows][cols] row-major -> [cols][rows] in float64 (dot products then read contiguous rows). */
export function transposeToF64(src: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}

/** Σ a[k]·w[off+k], k < n, with four accumulators (independent adds run in parallel). */
function dot(a: Float64Array, w: Float64Array, off: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[k] * w[off + k];
    s1 += a[k + 1] * w[off + k + 1];
    s2 += a[k + 2] * w[off + k + 2];
    s3 += a[k + 3] * w[off + k + 3];
  }
  for (; k < n; k++) s0 += a[k] * w[off + k];
  return s0 + s1 + (s2 + s3);
}

export function activationFn(name: ActivationName): (x: number) => number {
  switch (name) {
    case 'linear': return (x) => x;
    case 'relu': return (x) => (x > 0 ? x : 0);
    case 'tanh': return Math.tanh;
    case 'sigmoid': return (x) => 1 / (1 + Math.exp(-x));
    // As tfjs-layers computes it.
    case 'hardSigmoid': return (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5));
  }
}

/**
 * Score windows given as three projected frames each (Float32Array of
 * gates*units, bias included). Returns P(prohibited) per window.
 */
export function scoreProjectedWindows(head: RecurrentHead, windows: readonly (readonly Float32Array[])[]): Float32Array {
  const u = head.units;
  const RT = head.recurrentT;
  const act = activationFn(head.activation);
  const gate = activationFn(head.recurrentActivation);
  const denseActs = head.dense.map((d) => activationFn(d.activation));
  const widest = Math.max(u, ...head.dense.map((d) => d.outputs));
  const h = new Float64Array(u);
  const c = new Float64Array(u);
  const z = new Float64Array(u);
  const rh = new Float64Array(u);
  let y = new Float64Array(widest);
  let next = new Float64Array(widest);
  const out = new Float32Array(windows.length);

  for (let w = 0; w < windows.length; w++) {
    h.fill(0);
    c.fill(0);
    const frames = windows[w];
    for (let t = 0; t < frames.length; t++) {
      const x = frames[t];
      // At t = 0 the state is zero: its recurrent products are skipped.
      if (head.type === 'gru') {
        for (let j = 0; j < u; j++) {
          const recZ = t > 0 ? dot(h, RT, j * u, u) : 0;
          const recR = t > 0 ? dot(h, RT, (u + j) * u, u) : 0;
          z[j] = gate(x[j] + recZ);
          rh[j] = gate(x[u + j] + recR) * h[j];
        }
        for (let j = 0; j < u; j++) {
          const recH = t > 0 ? dot(rh, RT, (2 * u + j) * u, u) : 0;
          const candidate = act(x[2 * u + j] + recH);
          // h[j] is read by nothing else in this loop (rh holds r*h), so it can be updated in place.
          h[j] = z[j] * h[j] + (1 - z[j]) * candidate;
        }
      } else {
        // z holds the new h until every unit's recurrent products have read the old one.
        for (let j = 0; j < u; j++) {
          const i = gate(x[j] + (t > 0 ? dot(h, RT, j * u, u) : 0));
          const f = gate(x[u + j] + (t > 0 ? dot(h, RT, (u + j) * u, u) : 0));
          const cand = act(x[2 * u + j] + (t > 0 ? dot(h, RT, (2 * u + j) * u, u) : 0));
          const o = gate(x[3 * u + j] + (t > 0 ? dot(h, RT, (3 * u + j) * u, u) : 0));
          c[j] = f * c[j] + i * cand;
          z[j] = o * act(c[j]);
        }
        h.set(z);
      }
    }
    y.set(h);
    for (let li = 0; li < head.dense.length; li++) {
      const d = head.dense[li];
      const a = denseActs[li];
      for (let j = 0; j < d.outputs; j++) next[j] = a((d.bias ? d.bias[j] : 0) + dot(y, d.kernelT, j * d.inputs, d.inputs));
      [y, next] = [next, y];
    }
    out[w] = y[0];
  }
  return out;
}
