import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Progress on stderr: an in-place bar when stderr is a terminal, otherwise (logs,
 * CI, nohup) one line per epoch so a log file stays readable.
 */
export interface Progress {
  batch(label: string, done: number, total: number, loss: number): void;
  line(text: string): void;
}

export function buildProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  let lastDraw = 0;
  let drawn = false;
  return {
    batch(label, done, total, loss) {
      if (!tty) return;
      const now = Date.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} loss ${loss.toFixed(4)}\x1b[K`);
      drawn = true;
    },
    line(text) {
      if (tty && drawn) stream.write('\r\x1b[K');
      drawn = false;
      stream.write(`${text}\n`);
    },
  };
}

/** JSON-lines run log: one object per event, each with a timestamp. */
export function buildRunLog(file: string): (event: string, data?: Record<string, unknown>) => void {
  mkdirSync(path.dirname(file), { recursive: true });
  return (event, data = {}) => appendFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), event, ...data })}\n`);
}
