import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelDir } from '../core/paths.js';
import { initBackend } from '../models/backend.js';
import { IncrementalClassifier } from '../models/incremental-classifier.js';
import { loadScreenModel } from '../models/model-io.js';
import { PREPROCESS_VERSION } from '../models/preprocess.js';
import { parameterCount } from '../models/screen-classifier.js';

/**
 * The model committed in models/screen is what the assistant loads by default:
 * it must load, match this labwatch's preprocessing, and give the assistant's
 * fast path (IncrementalClassifier) the same scores as the model itself.
 */
beforeAll(async () => {
  await initBackend({ log: () => undefined });
});

function screens(n: number): Uint8Array[] {
  let s = 99;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: n }, () => {
    // A dark "editor" left pane and a light "browser" right pane of varying width, plus noise.
    const split = Math.floor(rand() * 50);
    const f = new Uint8Array(7500);
    for (let p = 0; p < 7500; p++) {
      const x = Math.floor(p / 3) % 50;
      f[p] = Math.max(0, Math.min(255, Math.round((x < split ? 40 : 230) + (rand() - 0.5) * 50)));
    }
    return f;
  });
}

describe('shipped model (models/screen)', () => {
  it('loads with consistent metadata and scores like the full model through the incremental path', async () => {
    const { model, metadata } = await loadScreenModel(defaultModelDir());
    expect(metadata.preprocessing.version).toBe(PREPROCESS_VERSION);
    expect(metadata.threshold).toBeGreaterThan(0);
    expect(metadata.threshold).toBeLessThan(1);
    expect(model.countParams()).toBe(parameterCount(metadata.architecture));
    expect(metadata.parameters).toBe(model.countParams());
    expect(metadata.reproduce).toMatch(/labwatch train/);

    const clf = await IncrementalClassifier.load();
    const stream = screens(8);
    const windows = stream.slice(2).map((f, i) => [stream[i], stream[i + 1], f]);
    const feats = clf.embedFrames(stream);
    const fast = clf.scoreWindows(feats.slice(2).map((f, i) => [feats[i], feats[i + 1], f]));
    // Reference: the model's own predict on the cpu backend (wasm's MaxPool3D is wrong for negatives).
    await tf.setBackend('cpu');
    let full: Float32Array;
    try {
      const flat = new Float32Array(windows.length * 3 * 7500);
      windows.forEach((w, i) => w.forEach((f, t) => flat.set(f, (i * 3 + t) * 7500)));
      const x = tf.tensor5d(flat, [windows.length, 3, 50, 50, 3]);
      const y = model.predict(x) as tf.Tensor;
      full = y.dataSync() as Float32Array;
      tf.dispose([x, y]);
    } finally {
      await tf.setBackend('wasm');
    }
    for (let i = 0; i < windows.length; i++) expect(Math.abs(fast[i] - full[i])).toBeLessThan(1e-4);
    clf.dispose();
    model.dispose();
  });
});
