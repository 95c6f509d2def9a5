import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { explainImportError, initBackend, selectBackend } from './backend.js';

describe('initBackend', () => {
  it('falls through the uninstalled native backends to wasm and says why', async () => {
    const lines: string[] = [];
    const choice = await initBackend({ log: (l) => lines.push(l) });
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.rejected.map((r) => r.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(choice.rejected[1].reason).toBe('not installed');
    expect(lines.join('\n')).toMatch(/tfjs backend: wasm[\s\S]*tensorflow-gpu not used: [\s\S]*tensorflow not used: not installed/);
    // The backend computes, not just registers.
    const y = tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'valid'));
    expect(Array.from(await y.data())).toEqual([9, 9, 9, 9]);
    y.dispose();
  });

  it('is idempotent: a second call returns the same choice and logs nothing', async () => {
    const first = await initBackend({ log: () => undefined });
    const lines: string[] = [];
    const second = await initBackend({ log: (l) => lines.push(l) });
    expect(second).toBe(first);
    expect(lines).toEqual([]);
  });
});

describe('selectBackend', () => {
  it('survives a broken install whose import throws an error without a code', async () => {
    const lines: string[] = [];
    const choice = await selectBackend(
      [
        { name: 'tensorflow-gpu', activate: async () => { throw new Error('libtensorflow.so.2: cannot open shared object file'); } },
        { name: 'tensorflow', activate: async () => { throw 'a thrown string'; } },
        { name: 'cpu', activate: async () => { await tf.setBackend('cpu'); } },
      ],
      (l) => lines.push(l),
    );
    expect(choice.name).toBe('cpu');
    expect(choice.rejected).toEqual([
      { name: 'tensorflow-gpu', reason: 'libtensorflow.so.2: cannot open shared object file' },
      { name: 'tensorflow', reason: 'a thrown string' },
    ]);
    expect(lines[0]).toContain('tensorflow-gpu not used: libtensorflow.so.2');
    await tf.setBackend('wasm');
  });

  it('reports every failure when nothing starts', async () => {
    await expect(
      selectBackend([{ name: 'wasm', activate: async () => { throw new Error('no wasm'); } }], () => undefined),
    ).rejects.toThrow(/wasm: no wasm/);
  });
});

describe('explainImportError', () => {
  const pkg = '@tensorflow/tfjs-node-gpu';
  it('tells a missing package from an installed one whose native binding is missing', () => {
    const missing = Object.assign(new Error(`Cannot find package '${pkg}' imported from /x/backend.js`), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(explainImportError(pkg, missing)).toBe('not installed');
    const broken = Object.assign(new Error(`Cannot find module '/x/node_modules/${pkg}/lib/napi-v8/tfjs_binding.node'`), { code: 'MODULE_NOT_FOUND' });
    expect(explainImportError(pkg, broken)).toMatch(/^installed but cannot load \(Cannot find module .*tfjs_binding\.node'\); reinstall/);
    expect(explainImportError(pkg, new Error('libcudart.so.11.0: cannot open shared object file'))).toMatch(/installed but cannot load \(libcudart/);
  });
});
