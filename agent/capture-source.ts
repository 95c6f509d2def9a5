import type { ScreenRegion } from '../models/preprocess.js';

/**
 * Where the agent's screens come from. The real agent captures the desktop
 * (desktop-source.ts); the demo and tests plug in synthetic sources.
 */
export interface CaptureResult {
  /**
   * The model input: 1..MAX_FRAME_VIEWS (core/protocol.ts) views of 50x50 RGB,
   * FRAME_BYTES (7,500) each, one after the other: one view per monitor, monitors
   * ordered left to right (by x, then y), each monitor shrunk on its own with
   * models/preprocess.ts preprocessScreen. One monitor gives one view (the
   * desktop as before); more than MAX_FRAME_VIEWS monitors give one view of the
   * whole desktop. `frameViews` (core/protocol.ts) splits them.
   */
  rgb: Uint8Array;
  /** The full-size original, for evidence; absent when not asked for. */
  original?: CaptureOriginal;
}

/**
 * A full-size original held for a possible evidence request. It is encoded only
 * if the assistant asks for it: encoding every capture "just in case" was the
 * agent's largest avoidable cost.
 */
export interface CaptureOriginal {
  width: number;
  height: number;
  /** Memory it holds (counted against the evidence ring's byte bound). */
  bytes: number;
  /** The image as PNG. Called at most a few times, never after release(). */
  png(): Promise<Uint8Array>;
  /** Not needed any more. Its memory may be reused once every png() started before has finished. */
  release?(): void;
}

/** A monitor's rectangle in the desktop image, in pixels (x, y from the image's top-left corner). */
export type MonitorRect = ScreenRegion;

export interface CaptureSource {
  /** How many monitors the source captures (reported in hello); may exceed the views of a frame. */
  readonly monitors: number;
  capture(options: { wantOriginal: boolean }): Promise<CaptureResult>;
  close?(): Promise<void> | void;
}
