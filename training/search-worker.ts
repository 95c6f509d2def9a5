import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../models/backend.js';
import type { LoadedDataset } from './data.js';
import type { TrialJob, WorkerData } from './search.js';
import { runTrial } from './search-trial.js';

// Entry point of a search worker thread (started by search.ts): one wasm backend,
// the shared dataset, trials received one at a time.
const shared = workerData as WorkerData;
const data: LoadedDataset = {
  dir: '(shared)',
  frames: shared.frames,
  frameCount: shared.frameCount,
  seqFrames: shared.seqFrames,
  labels: shared.labels,
  sequenceIds: [],
  sessions: [],
  splitColumn: [],
  sources: [],
  prohibitedScreenShares: [],
  hash: '',
  fromCache: true,
};
const ready = initBackend({ log: () => {} });
parentPort!.on('message', async (job: TrialJob) => {
  await ready;
  const result = await runTrial(job, { data, index: shared.trainIndex }, { data, index: shared.validationIndex });
  parentPort!.postMessage(result);
});
