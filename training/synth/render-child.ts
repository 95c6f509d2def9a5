import { writeFrame } from './frame-writer.js';
import type { RenderReply, RenderRequest } from './render-pool.js';

/**
 * Render process entry (child_process.fork from render-pool.ts): renders the
 * batches it is sent one after the other, one frame at a time, with one libvips
 * thread, and answers each with a RenderReply. Exits when the parent closes the
 * channel. A native crash here kills this process only; the parent retries.
 */
const send = process.send?.bind(process);
if (send) {
  // one libvips thread: never two text renders at once in this process
  // (if sharp cannot load, writeFrame throws and the parent gets an error reply)
  const ready = import('sharp').then(({ default: sharp }) => void sharp.concurrency(1)).catch(() => undefined);
  let queue: Promise<void> = ready;
  const render = async (req: RenderRequest): Promise<void> => {
    let reply: RenderReply;
    try {
      for (const [i, job] of req.jobs.entries()) {
        if (req.crashAt === i) process.kill(process.pid, 'SIGKILL');
        await writeFrame(job, req.settings);
      }
      reply = { id: req.id, ok: true };
    } catch (err) {
      reply = { id: req.id, ok: false, error: (err as Error).stack ?? String(err) };
    }
    send(reply);
  };
  // listen at once: a request sent before the listener exists would be lost
  process.on('message', (req: RenderRequest) => {
    queue = queue.then(() => render(req)).catch(() => undefined);
  });
  process.on('disconnect', () => process.exit(0));
}
