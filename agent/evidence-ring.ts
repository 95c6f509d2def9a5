/**
 * Full-size originals of the last few captures, encoded PNG, kept only in memory
 * and only to answer the assistant's evidence-request for a flagged window.
 * Bounded by count and by bytes (a 4K desktop PNG can be several MB), so the
 * agent's memory stays small whatever the student's screen looks like.
 */
export interface EvidenceImage {
  seq: number;
  capturedAt: number;
  png: Uint8Array;
  width: number;
  height: number;
}

export const DEFAULT_EVIDENCE_FRAMES = 10;
export const DEFAULT_EVIDENCE_BYTES = 32 * 1024 * 1024;

export class EvidenceRing {
  private readonly images: EvidenceImage[] = [];
  private bytes = 0;
  evicted = 0;

  constructor(readonly maxFrames = DEFAULT_EVIDENCE_FRAMES, readonly maxBytes = DEFAULT_EVIDENCE_BYTES) {}

  get size(): number {
    return this.images.length;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  add(image: EvidenceImage): void {
    if (this.maxFrames === 0 || image.png.byteLength > this.maxBytes) return;
    this.images.push(image);
    this.bytes += image.png.byteLength;
    while (this.images.length > this.maxFrames || this.bytes > this.maxBytes) {
      const old = this.images.shift()!;
      this.bytes -= old.png.byteLength;
      this.evicted += 1;
    }
  }

  /** Shift every kept seq by `offset` (the agent renumbers its first captures after the first welcome). */
  renumber(offset: number): void {
    for (const image of this.images) image.seq += offset;
  }

  /** The kept originals among `seqs`, in the order asked; missing ones are simply absent. */
  find(seqs: readonly number[]): EvidenceImage[] {
    const bySeq = new Map(this.images.map((i) => [i.seq, i]));
    return seqs.flatMap((s) => (bySeq.has(s) ? [bySeq.get(s)!] : []));
  }
}
