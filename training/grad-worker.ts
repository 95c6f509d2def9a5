import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../models/backend.js';
import { buildScreenClassifier } from '../models/screen-classifier.js';
import type { GradJob, GradPeerInit, GradResult } from './data-parallel.js';
import { fastForward } from './fast-forward.js';
import { lossFunction } from './losses.js';

// Entry point of the data-parallel training worker (started by data-parallel.ts):
// a replica of the model that returns the gradients of the half-batches it is sent.
const init = workerData as GradPeerInit;
const ready = (async () => {
  await initBackend({ log: () => {} });
  const model = buildScreenClassifier(init.model, { seed: init.seed });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return { forward: fastForward(model), lossFn: lossFunction(init.loss, init.positiveWeight), variables };
})();

parentPort!.on('message', async (job: GradJob) => {
  let reply: GradResult;
  try {
    const { forward, lossFn, variables } = await ready;
    variables.forEach((v, i) => {
      const value = tf.tensor(job.weights[i], v.shape);
      v.assign(value);
      value.dispose();
    });
    const x = tf.tensor(job.x, job.xShape);
    const y = tf.tensor(job.y, [job.y.length, 1]);
    const { value, grads } = tf.variableGrads(() => lossFn(forward(x, true), y), variables);
    const out = variables.map((v) => Float32Array.from(grads[v.name].dataSync()));
    reply = { loss: value.dataSync()[0], grads: out };
    tf.dispose([x, y, value, ...Object.values(grads)]);
  } catch (err) {
    reply = { loss: NaN, grads: [], error: (err as Error).message };
  }
  parentPort!.postMessage(reply, reply.grads.map((g) => g.buffer as ArrayBuffer));
});
