/**
 * Where the agent's screens come from. The real agent captures the desktop
 * (desktop-source.ts); the demo and tests plug in synthetic sources.
 */
export interface CaptureResult {
  /** The model input: 50x50 RGB, 7,500 bytes (models/preprocess.ts preprocessScreen). */
  rgb: Uint8Array;
  /** The full-size original, encoded, for evidence; absent when not asked for. */
  original?: { png: Uint8Array; width: number; height: number };
}

export interface CaptureSource {
  /** How many monitors the source captures (reported in hello). */
  readonly monitors: number;
  capture(options: { wantOriginal: boolean }): Promise<CaptureResult>;
  close?(): Promise<void> | void;
}
