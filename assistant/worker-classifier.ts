import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { lwError, type ErrorCode } from '../core/errors.js';
import type { WindowClassifier } from './classifier.js';

interface WorkerError { code?: ErrorCode; params?: Record<string, unknown>; message: string }

const WORKER_URL = new URL('./inference-worker.js', import.meta.url);

/** The compiled worker exists only in the build (dist/); from sources (vitest) the classifier runs in-process. */
export function workerAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

function toError(e: WorkerError): Error {
  return e.code ? lwError(e.code, e.params ?? {}) : new Error(`inference worker: ${e.message}`);
}

/**
 * The classifier in a worker thread: same interface, async. Frame features stay
 * small (a few hundred bytes) so passing them back and forth costs little.
 */
export async function startWorkerClassifier(modelDir?: string): Promise<WindowClassifier<Float32Array> & { close(): Promise<void> }> {
  const worker = new Worker(WORKER_URL, { workerData: { modelDir } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failed: Error | undefined;

  const { threshold, alertThreshold } = await new Promise<{ threshold: number; alertThreshold?: number }>((resolve, reject) => {
    worker.once('message', (m: { ready: boolean; threshold?: number; alertThreshold?: number; error?: WorkerError }) => {
      if (m.ready) resolve({ threshold: m.threshold!, alertThreshold: m.alertThreshold });
      else reject(toError(m.error!));
    });
    worker.once('error', reject);
  });
  worker.on('message', (m: { id: number; result?: unknown; error?: WorkerError }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(toError(m.error));
    else p.resolve(m.result);
  });
  const failAll = (err: Error) => {
    failed = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`inference worker exited (${code})`)));

  const call = <T>(msg: Record<string, unknown>): Promise<T> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, ...msg });
    });
  };

  return {
    threshold,
    alertThreshold,
    embedFrames: (frames) => call<Float32Array[]>({ op: 'embed', frames }),
    scoreWindows: (windows) => call<Float32Array>({ op: 'score', windows }),
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
