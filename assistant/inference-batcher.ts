import type { WindowClassifier } from './classifier.js';
import type { StoredFrame } from './store/types.js';

export const WINDOW = 3;

export interface WindowResult {
  /** The student (examId/studentId) the window belongs to. */
  key: string;
  /** The window's frames, oldest first. */
  frames: StoredFrame[];
  score: number;
  /** Largest capture gap inside the window, ms (> 1 s means frames were lost; the window still slides). */
  maxGapMs: number;
  /** When the newest frame was queued (for capture-to-verdict latency). */
  queuedAt: number;
}

interface Pending { key: string; frame: StoredFrame; queuedAt: number }
interface Window<F> { frames: StoredFrame[]; feats: F[] }

/**
 * Batches frames of all students into one classifier call, by size or deadline,
 * whichever comes first. Each frame is embedded once; the last 3 embeddings per
 * student are kept so scoring a window is only the cheap recurrent part. One
 * batch runs at a time; frames arriving meanwhile form the next batch.
 */
export class InferenceBatcher<F = unknown> {
  private queue: Pending[] = [];
  private windows = new Map<string, Window<F>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly opts: {
    classifier: WindowClassifier<F>;
    batchSize: number;
    deadlineMs: number;
    now: () => number;
    onResults: (results: WindowResult[]) => void;
    onError: (err: unknown) => void;
  }) {}

  push(key: string, frame: StoredFrame): void {
    if (this.closed) return;
    this.queue.push({ key, frame, queuedAt: this.opts.now() });
    if (this.queue.length >= this.opts.batchSize) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.opts.deadlineMs);
  }

  /** Forget a student's cached window (its next frames start a new one). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Stop accepting frames and wait for the batch in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    await this.running;
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.opts.batchSize);
    this.running = this.run(batch)
      .catch((err: unknown) => this.opts.onError(err))
      .finally(() => {
        this.running = undefined;
        if (this.closed) return;
        // what arrived during the batch: full batches go now, a partial one waits for its deadline
        if (this.queue.length >= this.opts.batchSize) this.kick();
        else if (this.queue.length > 0) this.timer ??= setTimeout(() => this.kick(), this.remainingDeadline());
      });
  }

  private remainingDeadline(): number {
    const oldest = this.queue[0]?.queuedAt ?? this.opts.now();
    return Math.max(0, this.opts.deadlineMs - (this.opts.now() - oldest));
  }

  private async run(batch: Pending[]): Promise<void> {
    const feats = await this.opts.classifier.embedFrames(batch.map((p) => p.frame.rgb));
    const scored: { p: Pending; frames: StoredFrame[]; feats: F[] }[] = [];
    batch.forEach((p, i) => {
      const w = this.windows.get(p.key) ?? { frames: [], feats: [] };
      w.frames = [...w.frames, p.frame].slice(-WINDOW);
      w.feats = [...w.feats, feats[i]].slice(-WINDOW);
      this.windows.set(p.key, w);
      if (w.feats.length === WINDOW) scored.push({ p, frames: w.frames, feats: w.feats });
    });
    if (scored.length === 0) return;
    const scores = await this.opts.classifier.scoreWindows(scored.map((s) => s.feats));
    this.opts.onResults(scored.map(({ p, frames }, i) => ({
      key: p.key,
      frames,
      score: scores[i],
      maxGapMs: Math.max(frames[1].capturedAt - frames[0].capturedAt, frames[2].capturedAt - frames[1].capturedAt),
      queuedAt: p.queuedAt,
    })));
  }
}
