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
  const [{ preprocessScreen }, { default: sharp }] = await Promise.all([import('../../models/preprocess.js'), import('sharp')]);
  const raw = job.crop ? await renderCrop(job.scene, job.crop, settings) : await (await import('./render/render-scene.js')).renderSceneRaw(job.scene, settings);
  let png: Buffer;
  if (settings.fullSize) {
    png = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 4 } }).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
  } else {
    const frame = await preprocessScreen({ data: raw.data, width: raw.width, height: raw.height, channels: 4 });
    png = await sharp(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), { raw: { width: 50, height: 50, channels: 3 } }).png().toBuffer();
  }
  await mkdir(path.dirname(job.file), { recursive: true });
  // temp file + rename: a frame file that exists is complete, so an interrupted run can be resumed (--resume)
  const tmp = `${job.file}.${process.pid}.tmp`;
  await writeFile(tmp, png);
  await rename(tmp, job.file);
}

/** The last desktop rendered for crops: a scene's monitors come as consecutive jobs, so it is rendered once, not once per monitor. */
let lastRender: { key: string; raw: Promise<{ data: Buffer; width: number; height: number }> } | undefined;

/** One monitor of a scene, full size, RGBA: the whole desktop rendered (once for all its monitors), then cropped. */
async function renderCrop(scene: Scene, crop: Rect, settings: FrameSettings): Promise<{ data: Buffer; width: number; height: number }> {
  const [{ renderSceneRaw }, { default: sharp }] = await Promise.all([import('./render/render-scene.js'), import('sharp')]);
  const key = `${settings.text}:${JSON.stringify(scene)}`;
  if (lastRender?.key !== key) lastRender = { key, raw: renderSceneRaw(scene, settings) };
  const raw = await lastRender.raw;
  const data = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 4 } })
    .extract({ left: crop.x, top: crop.y, width: crop.w, height: crop.h })
    .raw()
    .toBuffer();
  return { data, width: crop.w, height: crop.h };
}
