import { parentPort } from 'node:worker_threads';
import { writeFrame, type FrameJob } from './frame-writer.js';

/** worker_threads entry: renders batches of frames sent by generate.ts. */
interface Batch {
  id: number;
  jobs: FrameJob[];
  fullSize: boolean;
}

const port = parentPort;
if (port) {
  // one libvips thread per worker: the workers already use every core
  const { default: sharp } = await import('sharp');
  sharp.concurrency(1);
  port.on('message', (batch: Batch) => {
    void (async () => {
      try {
        for (const job of batch.jobs) await writeFrame(job, batch.fullSize);
        port.postMessage({ id: batch.id, ok: true });
      } catch (err) {
        port.postMessage({ id: batch.id, ok: false, error: (err as Error).stack ?? String(err) });
      }
    })();
  });
}
