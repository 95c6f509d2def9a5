import path from 'node:path';
import { formatMessage } from '../errors.js';
import type { Dataset } from './manifest.js';

export interface ImageProblem {
  line: number;
  sequenceId: string;
  frame: string;
  message: string;
}

export interface FrameSize {
  width: number;
  height: number;
}

/** Run `fn` over items with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

/**
 * Decode every distinct frame of a dataset (fully, as training will) and report
 * the unreadable ones by manifest row. Returns the size of each readable frame.
 */
export async function checkImages(dataset: Dataset): Promise<{ problems: ImageProblem[]; sizes: Map<string, FrameSize> }> {
  const { default: sharp } = await import('sharp');
  const unique = [...new Set(dataset.rows.flatMap((r) => r.frames))];
  const errors = new Map<string, string>();
  const sizes = new Map<string, FrameSize>();
  await mapLimit(unique, 4, async (f) => {
    try {
      const image = sharp(path.join(dataset.dir, f), { failOn: 'truncated' });
      const meta = await image.metadata();
      if (meta.format !== 'png' && meta.format !== 'jpeg') throw new Error(`it is ${meta.format ?? 'not an image'}`);
      await image.resize(50, 50, { fit: 'fill' }).raw().toBuffer();
      sizes.set(f, { width: meta.width ?? 0, height: meta.height ?? 0 });
    } catch (err) {
      errors.set(f, (err as Error).message.split('\n')[0]);
    }
  });
  const problems: ImageProblem[] = [];
  for (const r of dataset.rows) {
    for (const f of r.frames) {
      const reason = errors.get(f);
      if (reason === undefined) continue;
      problems.push({ line: r.line, sequenceId: r.sequenceId, frame: f, message: formatMessage('LABWATCH_ERR_DATASET_BAD_IMAGE', { path: f, reason }) });
    }
  }
  return { problems, sizes };
}

/** Width x height of each distinct frame from the image headers only (fast). */
export async function frameSizes(dataset: Dataset): Promise<Map<string, FrameSize | undefined>> {
  const { default: sharp } = await import('sharp');
  const unique = [...new Set(dataset.rows.flatMap((r) => r.frames))];
  const sizes = new Map<string, FrameSize | undefined>();
  await mapLimit(unique, 8, async (f) => {
    try {
      const meta = await sharp(path.join(dataset.dir, f)).metadata();
      sizes.set(f, { width: meta.width ?? 0, height: meta.height ?? 0 });
    } catch {
      sizes.set(f, undefined);
    }
  });
  return sizes;
}
