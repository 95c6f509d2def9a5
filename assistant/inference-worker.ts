/**
 * Worker-thread entry (started by worker-classifier.ts): loads the model and
 * runs the CNN/RNN off the main thread, so sockets, acks and the panel never
 * wait for a batch. Messages: {id, op: 'embed', frames} -> {id, result: Float32Array[]},
 * {id, op: 'score', windows} -> {id, result: Float32Array}; errors -> {id, error}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isLabwatchError } from '../core/errors.js';
import { loadClassifier } from './classifier.js';

type Request = { id: number; op: 'embed'; frames: Uint8Array[] } | { id: number; op: 'score'; windows: Float32Array[][] };

const port = parentPort!;
const describe = (err: unknown) => (isLabwatchError(err) ? { code: err.code, params: err.params, message: err.message } : { message: String((err as Error)?.stack ?? err) });

try {
  const { initBackend } = await import('../models/backend.js');
  await initBackend({ log: () => undefined });
  const clf = await loadClassifier((workerData as { modelDir?: string }).modelDir);
  port.on('message', async (m: Request) => {
    try {
      if (m.op === 'embed') {
        const result = (await clf.embedFrames(m.frames)) as Float32Array[];
        port.postMessage({ id: m.id, result });
      } else {
        const result = await clf.scoreWindows(m.windows);
        port.postMessage({ id: m.id, result }, [result.buffer as ArrayBuffer]);
      }
    } catch (err) {
      port.postMessage({ id: m.id, error: describe(err) });
    }
  });
  port.postMessage({ ready: true, threshold: clf.threshold, alertThreshold: clf.alertThreshold });
} catch (err) {
  port.postMessage({ ready: false, error: describe(err) });
}
