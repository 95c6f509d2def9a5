/**
 * The recurrent part of the screen classifier — three GRU/LSTM steps over
 * per-frame input projections, then the dense head — in plain JavaScript.
 * For the small cells of the screen classifier (16-128 units) this is several
 * times faster than ~50 tiny tfjs ops per call, whose per-op overhead dominates.
 * The equations are tfjs-layers' own (float64 here, so results agree with
 * tfjs's float32 to ~1e-6):
 *  - GRU (tfjs has no reset_after): z = g(xz + h·Rz), r = g(xr + h·Rr),
 *    h~ = a(xh + (r*h)·Rh), h = z*h + (1-z)*h~, where x* = x·W + b were
 *    computed per frame;
 *  - LSTM: [i f c~ o] = x·W + b + h·R; i,f,o = g(.), c = f*c + i*a(c~), h = o*a(c).
 */
export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'hardSigmoid' | 'tanh';

export interface DenseWeights {
  /** [inputs, outputs] row-major. */
  kernel: Float32Array;
  bias?: Float32Array;
  inputs: number;
  outputs: number;
  activation: ActivationName;
}

export interface RecurrentHead {
  type: 'gru' | 'lstm';
  units: number;
  /** [units, gates*units] row-major (tfjs's recurrent_kernel). */
  recurrent: Float32Array;
  activation: ActivationName;
  recurrentActivation: ActivationName;
  /** Hidden dense layers, then the 1-unit output layer. */
  dense: DenseWeights[];
}

export function gatesOf(type: RecurrentHead['type']): number {
  return type === 'gru' ? 3 : 4;
}

function activationFn(name: ActivationName): (x: number) => number {
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
  const gu = gatesOf(head.type) * u;
  const R = head.recurrent;
  const act = activationFn(head.activation);
  const gate = activationFn(head.recurrentActivation);
  const denseActs = head.dense.map((d) => activationFn(d.activation));
  const widest = Math.max(u, ...head.dense.map((d) => d.outputs));
  const h = new Float64Array(u);
  const c = new Float64Array(u);
  const rec = new Float64Array(gu);
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
      if (head.type === 'gru') {
        // h·[Rz Rr] (the first step's zero state contributes nothing)
        rec.fill(0, 0, 2 * u);
        if (t > 0) {
          for (let k = 0; k < u; k++) {
            const hk = h[k];
            const row = k * gu;
            for (let j = 0; j < 2 * u; j++) rec[j] += hk * R[row + j];
          }
        }
        for (let j = 0; j < u; j++) {
          z[j] = gate(x[j] + rec[j]);
          rh[j] = gate(x[u + j] + rec[u + j]) * h[j];
        }
        rec.fill(0, 2 * u, 3 * u);
        if (t > 0) {
          for (let k = 0; k < u; k++) {
            const rk = rh[k];
            const row = k * gu + 2 * u;
            for (let j = 0; j < u; j++) rec[2 * u + j] += rk * R[row + j];
          }
        }
        for (let j = 0; j < u; j++) {
          const candidate = act(x[2 * u + j] + rec[2 * u + j]);
          h[j] = z[j] * h[j] + (1 - z[j]) * candidate;
        }
      } else {
        rec.fill(0);
        if (t > 0) {
          for (let k = 0; k < u; k++) {
            const hk = h[k];
            const row = k * gu;
            for (let j = 0; j < gu; j++) rec[j] += hk * R[row + j];
          }
        }
        for (let j = 0; j < u; j++) {
          const i = gate(x[j] + rec[j]);
          const f = gate(x[u + j] + rec[u + j]);
          const cand = act(x[2 * u + j] + rec[2 * u + j]);
          const o = gate(x[3 * u + j] + rec[3 * u + j]);
          c[j] = f * c[j] + i * cand;
          h[j] = o * act(c[j]);
        }
      }
    }
    y.set(h);
    head.dense.forEach((d, li) => {
      const a = denseActs[li];
      for (let j = 0; j < d.outputs; j++) next[j] = d.bias ? d.bias[j] : 0;
      for (let k = 0; k < d.inputs; k++) {
        const yk = y[k];
        const row = k * d.outputs;
        for (let j = 0; j < d.outputs; j++) next[j] += yk * d.kernel[row + j];
      }
      for (let j = 0; j < d.outputs; j++) next[j] = a(next[j]);
      [y, next] = [next, y];
    });
    out[w] = y[0];
  }
  return out;
}
