/**
 * What the assistant needs from the screen classifier (models/incremental-classifier.ts):
 * embed each new frame once, then score 3-frame windows of cached embeddings.
 * Both calls may be sync or async; the batcher awaits them.
 */
export interface WindowClassifier<F = unknown> {
  /** The model's F2-best threshold (metadata.json `threshold`). */
  readonly threshold: number;
  /** Windows scoring at or above it are suspicious and may alert (metadata.json `alert.threshold`); absent: `threshold`. */
  readonly alertThreshold?: number;
  embedFrames(frames: Uint8Array[]): F[] | Promise<F[]>;
  scoreWindows(windows: F[][]): Float32Array | Promise<Float32Array>;
}

/** Load the model folder (default: the shipped models/screen). tfjs is imported here, lazily. */
export async function loadClassifier(modelDir?: string): Promise<WindowClassifier> {
  const { IncrementalClassifier } = await import('../models/incremental-classifier.js');
  return (await IncrementalClassifier.load(modelDir)) as unknown as WindowClassifier;
}
