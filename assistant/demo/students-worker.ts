import { parentPort, workerData } from 'node:worker_threads';
import { readFramePool } from './frame-pool.js';
import { startFleet, type FleetOptions } from './fleet.js';
import type { TruthFrame } from './metrics.js';

/**
 * The simulated students in their own thread, so the agents' timers, encoding
 * and sockets do not share an event loop with the assistant's inference: like
 * real students, they are not slowed down by the server they talk to.
 */
export type WorkerData = Omit<FleetOptions, 'log'> & { poolDir: string };
export type ToParent =
  | { type: 'truths'; truths: TruthFrame[] }
  | { type: 'log'; line: string }
  | { type: 'stopped'; stats: unknown[]; unflushed: number };

const port = parentPort!;
const data = workerData as WorkerData;
const post = (m: ToParent) => port.postMessage(m);
const pool = await readFramePool(data.poolDir);
let batch: TruthFrame[] = [];
const flushTruths = () => {
  if (batch.length > 0) post({ type: 'truths', truths: batch });
  batch = [];
};
const timer = setInterval(flushTruths, 200);
const fleet = startFleet({ ...data, log: (line) => post({ type: 'log', line }) }, pool, (t) => batch.push(t));
port.on('message', (m: { type: 'stop'; flushMs: number }) => {
  if (m.type !== 'stop') return;
  void fleet.stop(m.flushMs).then(({ stats, unflushed }) => {
    clearInterval(timer);
    flushTruths();
    post({ type: 'stopped', stats, unflushed });
    port.close();
  });
});
