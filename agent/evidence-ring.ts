import type { CaptureOriginal } from './capture-source.js';

/**
 * Full-size originals of the last few captures, kept only in memory and only to
 * answer the assistant's evidence-request for a flagged window (its three
 * frames, asked for within about a second of the last one). Bounded by count
 * and by bytes (a raw 4K desktop is 25 MB), so the agent's memory stays small
 * whatever the student's screen looks like.
 */
export interface HeldOriginal {
  seq: number;
  capturedAt: number;
  original: CaptureOriginal;
}

/**
 * The flagged window's 3 frames: the assistant asks for them ~0.1-0.2 s after
 * the last one, long before the next capture. Each more frame buys a late
 * request one more second, for 6.2 MB at 1080p.
 */
export const DEFAULT_EVIDENCE_FRAMES = 3;
/** 3 raw frames of a 4K desktop (RGB). At 1080p the count binds first (3 x 6.2 MB). */
export const DEFAULT_EVIDENCE_BYTES = 80 * 1024 * 1024;

export class EvidenceRing {
  private readonly held: HeldOriginal[] = [];
  private bytes = 0;
  evicted = 0;

  constructor(readonly maxFrames = DEFAULT_EVIDENCE_FRAMES, readonly maxBytes = DEFAULT_EVIDENCE_BYTES) {}

  get size(): number {
    return this.held.length;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  add(item: HeldOriginal): void {
    if (this.maxFrames === 0 || item.original.bytes > this.maxBytes) {
      item.original.release?.();
      return;
    }
    this.held.push(item);
    this.bytes += item.original.bytes;
    while (this.held.length > this.maxFrames || this.bytes > this.maxBytes) {
      const old = this.held.shift()!;
      this.bytes -= old.original.bytes;
      this.evicted += 1;
      old.original.release?.();
    }
  }

  /**
   * Release the oldest original when the ring is full, before the next capture
   * rather than after it: its buffer is then reused for that capture instead of
   * one more full-size buffer living alongside the ring.
   */
  makeRoom(): void {
    if (this.maxFrames === 0 || this.held.length < this.maxFrames) return;
    const old = this.held.shift()!;
    this.bytes -= old.original.bytes;
    this.evicted += 1;
    old.original.release?.();
  }

  /** Shift every kept seq by `offset` (the agent renumbers its first captures after the first welcome). */
  renumber(offset: number): void {
    for (const item of this.held) item.seq += offset;
  }

  /** The kept originals among `seqs`, in the order asked; missing ones are simply absent. */
  find(seqs: readonly number[]): HeldOriginal[] {
    const bySeq = new Map(this.held.map((i) => [i.seq, i]));
    return seqs.flatMap((s) => (bySeq.has(s) ? [bySeq.get(s)!] : []));
  }

  clear(): void {
    for (const item of this.held.splice(0)) item.original.release?.();
    this.bytes = 0;
  }
}
