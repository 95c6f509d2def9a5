import { frameViews } from '../core/protocol.js';
import type { WindowClassifier } from './classifier.js';
import type { StoredFrame } from './store/types.js';

export const WINDOW = 3;

export interface WindowResult {
  /** The student (examId/studentId) the window belongs to. */
  key: string;
  /** The window's frames, oldest first. */
  frames: StoredFrame[];
  /** The verdict: the highest of `viewScores` (a prohibited app on any monitor is enough). */
  score: number;
  /** One score per view (monitor), left to right. */
  viewScores: number[];
  /** Largest capture gap inside the window, ms (> 1 s means frames were lost; the window still slides). */
  maxGapMs: number;
  /** When the newest frame was queued (for capture-to-verdict latency). */
  queuedAt: number;
}

interface Pending { key: string; frame: StoredFrame; queuedAt: number }
/** A student's last frames and, per frame, one embedding per view. */
interface Window<F> { frames: StoredFrame[]; feats: F[][] }

/**
 * Batches frames of all students into one classifier call, by size or deadline,
 * whichever comes first. Each view (monitor) of a frame is embedded once; the
 * last 3 frames' embeddings per student are kept so scoring a window is only the
 * cheap recurrent part. Each monitor's 3-frame window is scored on its own and
 * the verdict is the highest: a chat on one monitor is not diluted by an IDE on
 * the other. When a student's monitor count changes (one plugged in or out), the
 * window starts again: a view's place no longer names the same monitor. One
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
    const views = batch.map((p) => frameViews(p.frame.rgb));
    // a worker thread gets a structured clone: a view of a larger buffer would copy all of it
    const flat = views.flatMap((v) => (v.length === 1 ? v : v.map((x) => x.slice())));
    const feats = await this.opts.classifier.embedFrames(flat);
    const scored: { p: Pending; frames: StoredFrame[]; feats: F[][] }[] = [];
    let at = 0;
    batch.forEach((p, i) => {
      const own = feats.slice(at, at + views[i].length);
      at += views[i].length;
      let w = this.windows.get(p.key) ?? { frames: [], feats: [] };
      if (w.feats.length > 0 && w.feats[w.feats.length - 1].length !== own.length) w = { frames: [], feats: [] };
      w.frames = [...w.frames, p.frame].slice(-WINDOW);
      w.feats = [...w.feats, own].slice(-WINDOW);
      this.windows.set(p.key, w);
      if (w.feats.length === WINDOW) scored.push({ p, frames: w.frames, feats: w.feats });
    });
    if (scored.length === 0) return;
    // one window per view: [frame 0's view v, frame 1's view v, frame 2's view v]
    const windows = scored.flatMap((s) => s.feats[0].map((_, v) => s.feats.map((f) => f[v])));
    const scores = await this.opts.classifier.scoreWindows(windows);
    let k = 0;
    this.opts.onResults(scored.map(({ p, frames, feats: f }) => {
      const viewScores = Array.from(scores.subarray(k, k + f[0].length));
      k += f[0].length;
      return {
        key: p.key,
        frames,
        score: Math.max(...viewScores),
        viewScores,
        maxGapMs: Math.max(frames[1].capturedAt - frames[0].capturedAt, frames[2].capturedAt - frames[1].capturedAt),
        queuedAt: p.queuedAt,
      };
    }));
  }
}
