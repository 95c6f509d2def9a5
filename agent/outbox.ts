/**
 * Frames sent but not yet acknowledged, oldest first, bounded so a long outage
 * cannot exhaust the student's memory. When the bound is hit the oldest frame is
 * dropped and counted: the count travels to the server in hello/heartbeat stats
 * and into the agent's log, so a loss is always visible, never silent.
 * A dropped frame was unacknowledged, not necessarily undelivered (it may have
 * reached the assistant just before the connection died), so the count is an
 * upper bound of the frames lost.
 */
export interface PendingFrame {
  seq: number;
  capturedAt: number;
  /** 1..MAX_FRAME_VIEWS views of 7,500 bytes (one per monitor). */
  rgb: Uint8Array;
}

/** 600 frames = 10 minutes at 1 fps: 4.5 MB a monitor (7,500 bytes a view), 18 MB at most (4 views). */
export const DEFAULT_BUFFER_FRAMES = 600;

export class Outbox {
  private readonly frames = new Map<number, PendingFrame>();
  dropped = 0;

  constructor(readonly limit: number = DEFAULT_BUFFER_FRAMES) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`outbox limit must be a positive integer, got ${limit}`);
  }

  get size(): number {
    return this.frames.size;
  }

  /** Keep a frame until it is acknowledged; returns how many old frames the bound dropped. */
  push(frame: PendingFrame): number {
    this.frames.set(frame.seq, frame);
    let droppedNow = 0;
    while (this.frames.size > this.limit) {
      const oldest = this.frames.keys().next().value as number;
      this.frames.delete(oldest);
      droppedNow += 1;
    }
    this.dropped += droppedNow;
    return droppedNow;
  }

  /** The server acknowledged `seq`; returns true if it was pending. */
  ack(seq: number): boolean {
    return this.frames.delete(seq);
  }

  /** Acknowledge every pending frame with seq <= upTo (cumulative ack). */
  ackUpTo(upTo: number): number {
    let n = 0;
    for (const seq of this.frames.keys()) {
      if (seq > upTo) break;
      this.frames.delete(seq);
      n += 1;
    }
    return n;
  }

  /** Pending frames, oldest first, to resend after a reconnect. */
  pending(): PendingFrame[] {
    return [...this.frames.values()];
  }

  oldestCapturedAt(): number | undefined {
    return this.frames.values().next().value?.capturedAt;
  }
}
