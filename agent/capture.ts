import { lwError } from '../core/errors.js';
import { preprocessScreen, type RawScreen } from '../models/preprocess.js';

/** One monitor's pixels (RGBA) and where it sits in the desktop's coordinate space. */
export interface MonitorShot {
  x: number;
  y: number;
  width: number;
  height: number;
  /** RGBA, width*height*4 bytes. */
  data: Uint8Array;
}

export interface CapturedFrame {
  /** The model input: 50x50 RGB, 7,500 bytes (preprocessScreen of `screen`). */
  frame: Uint8Array;
  /** The whole desktop, full size, RGBA. */
  screen: RawScreen;
  /** `screen` encoded as PNG, only when asked for (evidence, datasets). */
  png?: Buffer;
  /** How many monitors were composed into `screen`. */
  monitors: number;
  capturedAt: Date;
}

/**
 * Place every monitor at its position on one RGBA canvas spanning their bounding
 * box, so a second monitor is never a blind spot. Gaps between monitors of
 * different sizes stay black (opaque).
 */
export function composeMonitors(shots: MonitorShot[]): RawScreen {
  if (shots.length === 0) throw lwError('LABWATCH_ERR_CAPTURE_FAILED', { reason: 'no monitor found' });
  for (const s of shots) {
    if (s.data.length !== s.width * s.height * 4) {
      throw lwError('LABWATCH_ERR_CAPTURE_FAILED', { reason: `monitor at ${s.x},${s.y} gave ${s.data.length} bytes for ${s.width}x${s.height} RGBA` });
    }
  }
  if (shots.length === 1 && shots[0].x === 0 && shots[0].y === 0) {
    const s = shots[0];
    return { data: s.data, width: s.width, height: s.height, channels: 4 };
  }
  const minX = Math.min(...shots.map((s) => s.x));
  const minY = Math.min(...shots.map((s) => s.y));
  const width = Math.max(...shots.map((s) => s.x + s.width)) - minX;
  const height = Math.max(...shots.map((s) => s.y + s.height)) - minY;
  const data = new Uint8Array(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  for (const s of shots) {
    const ox = s.x - minX;
    const oy = s.y - minY;
    const rowBytes = s.width * 4;
    for (let row = 0; row < s.height; row++) {
      const src = s.data.subarray(row * rowBytes, (row + 1) * rowBytes);
      data.set(src, ((oy + row) * width + ox) * 4);
    }
  }
  return { data, width, height, channels: 4 };
}

/**
 * Capture every monitor of the current desktop (X11: the DISPLAY environment
 * variable) and compose them into one RGBA image. node-screenshots is imported
 * here, not at module load, so importing this file costs nothing.
 */
export async function captureDesktop(): Promise<RawScreen> {
  return composeMonitors(await captureMonitors());
}

/** Every monitor's pixels and position, as node-screenshots reports them. */
export async function captureMonitors(): Promise<MonitorShot[]> {
  let shots: MonitorShot[];
  try {
    const { Monitor } = await import('node-screenshots');
    const monitors = Monitor.all();
    shots = await Promise.all(
      monitors.map(async (m) => {
        const image = await m.captureImage();
        const raw = await image.toRaw();
        // HiDPI: the image may be larger than the logical size; position in image pixels.
        const scale = m.width() > 0 ? image.width / m.width() : 1;
        return {
          x: Math.round(m.x() * scale),
          y: Math.round(m.y() * scale),
          width: image.width,
          height: image.height,
          data: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
        };
      }),
    );
  } catch (err) {
    throw lwError('LABWATCH_ERR_CAPTURE_FAILED', { reason: (err as Error).message }, err);
  }
  return shots;
}

export interface CaptureFrameOptions {
  /** Also encode the full-size desktop as PNG (costs ~50-200 ms at 1080p). */
  png?: boolean;
}

/** Capture the whole desktop, bring it to the model's 50x50 input, and keep the original. */
export async function captureFrame(options: CaptureFrameOptions = {}): Promise<CapturedFrame> {
  const capturedAt = new Date();
  const shots = await captureMonitors();
  const screen = composeMonitors(shots);
  const frame = await preprocessScreen(screen);
  let png: Buffer | undefined;
  if (options.png) {
    const { default: sharp } = await import('sharp');
    png = await sharp(screen.data, { raw: { width: screen.width, height: screen.height, channels: screen.channels } })
      .removeAlpha()
      .png({ compressionLevel: 6 })
      .toBuffer();
  }
  return { frame, screen, png, monitors: shots.length, capturedAt };
}
