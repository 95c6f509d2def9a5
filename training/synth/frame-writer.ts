import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TextMode } from './render/render-scene.js';
import type { Rect, Scene } from './scene.js';

/** A frame to render: the scene and where its PNG goes. */
export interface FrameJob {
  scene: Scene;
  file: string;
  /** Only this monitor of the desktop (`dataset synth --per-monitor`), shrunk on its own. */
  crop?: Rect;
}

/** How frames are rendered: full-resolution PNGs or 50x50 frames; text as glyphs or blocks (render-scene.ts). */
export interface FrameSettings {
  fullSize: boolean;
  text: TextMode;
}

/**
 * Render one scene and write its PNG: full resolution with `fullSize`, else the
 * 50x50 RGB frame the model sees (the same pixels preprocessScreen would give
 * for the full-size PNG, since it is the identity on 50x50 RGB).
 */
export async function writeFrame(job: FrameJob, settings: FrameSettings): Promise<void> {
  const { renderScene, renderSceneFrame } = await import('./render/render-scene.js');
  const { default: sharp } = await import('sharp');
  let png: Buffer;
  if (settings.fullSize) {
    png = await renderScene(job.scene, { ...settings, crop: job.crop });
  } else {
    const frame = await renderSceneFrame(job.scene, { ...settings, crop: job.crop });
    png = await sharp(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), { raw: { width: 50, height: 50, channels: 3 } }).png().toBuffer();
  }
  await mkdir(path.dirname(job.file), { recursive: true });
  // temp file + rename: a frame file that exists is complete, so an interrupted run can be resumed (--resume)
  const tmp = `${job.file}.${process.pid}.tmp`;
  await writeFile(tmp, png);
  await rename(tmp, job.file);
}
