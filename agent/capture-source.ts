/**
 * Where the agent's screens come from. The real agent captures the desktop
 * (desktop-source.ts); the demo and tests plug in synthetic sources.
 */
export interface CaptureResult {
  /** The model input: 50x50 RGB, 7,500 bytes (models/preprocess.ts preprocessScreen). */
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

export interface CaptureSource {
  /** How many monitors the source captures (reported in hello). */
  readonly monitors: number;
  capture(options: { wantOriginal: boolean }): Promise<CaptureResult>;
  close?(): Promise<void> | void;
}
