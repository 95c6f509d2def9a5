import type { RawScreen } from '../models/preprocess.js';
import type { CaptureSource } from './capture-source.js';
import { pack3, swapRedBlue } from './pixels.js';
import { BufferPool, rawOriginal } from './raw-originals.js';
import type { X11Capture } from './x11-capture.js';

export interface DesktopSource extends CaptureSource {
  /** 'x11': our own GetImage client (agent/x11-capture.ts); 'node-screenshots' everywhere else. */
  readonly method: 'x11' | 'node-screenshots';
}

interface Shot {
  /** The whole desktop, 3 bytes a pixel, in a pooled buffer. */
  pixels: Buffer;
  /** Blue first (X11), else red first. */
  bgr: boolean;
  width: number;
  height: number;
  /** The capture itself, when it is not opaque and must be preprocessed as it is. */
  exact?: RawScreen;
}

/**
 * The student's real desktop, every monitor in place, shrunk with the shared
 * preprocessing. Per capture it costs one read of the screen, one pass dropping
 * the 4th byte of each pixel, and the 50x50 shrink of that (libvips shrinks
 * RGBA through a premultiplied float copy, 5x slower, for the same bytes when
 * the screen is opaque; and it shrinks every channel alike, so a BGR screen
 * shrinks to the BGR of the same 50x50 bytes). The full-size pixels are kept
 * for evidence and encoded only if asked for.
 */
export async function buildDesktopSource(o: { log?: (msg: string) => void } = {}): Promise<DesktopSource> {
  const [{ preprocessScreen }, { default: sharp }, { openX11Capture }] = await Promise.all([
    import('../models/preprocess.js'),
    import('sharp'),
    import('./x11-capture.js'),
  ]);
  // One capture per second needs neither libvips' operation cache nor a thread
  // pool: both cost tens of MB of RSS on a student's laptop.
  sharp.cache(false);
  sharp.concurrency(1);
  const pool = new BufferPool();

  let x11: X11Capture | null = null;
  try {
    x11 = await openX11Capture();
  } catch (err) {
    o.log?.(`reading the screen through node-screenshots: ${(err as Error).message}`);
  }

  const grabX11 = async (): Promise<Shot> => {
    try {
      x11 ??= await openX11Capture();
      const shot = await x11.capture((bytes) => pool.take(bytes));
      source.monitors = x11.monitors;
      return { pixels: shot.bgr as Buffer, bgr: true, width: shot.width, height: shot.height };
    } catch (err) {
      // reconnect on the next capture (an X server restart, a timeout)
      x11?.close();
      x11 = null;
      throw err;
    }
  };

  const grabNodeScreenshots = async (): Promise<Shot> => {
    const { captureMonitors, composeMonitors } = await import('./capture.js');
    const shots = await captureMonitors();
    source.monitors = shots.length;
    const screen = composeMonitors(shots);
    const pixels = pool.take(screen.width * screen.height * 3);
    const alpha = pack3(screen.data, 0, pixels, 0, screen.width * screen.height);
    // preprocessScreen shrinks RGBA premultiplied: only an opaque screen gives the same bytes from RGB
    return { pixels, bgr: false, width: screen.width, height: screen.height, exact: alpha === 0xff ? undefined : screen };
  };

  const held = ({ pixels, bgr, width, height }: Shot) =>
    rawOriginal(pool, pixels, width, height, (raw) => {
      const image = sharp(raw, { raw: { width, height, channels: 3 } });
      return (bgr ? image.recomb([[0, 0, 1], [0, 1, 0], [1, 0, 0]]) : image).png().toBuffer();
    });

  const method = x11 ? 'x11' : 'node-screenshots';
  const source: DesktopSource & { monitors: number } = {
    method,
    monitors: x11 ? x11.monitors : (await (await import('./capture.js')).captureMonitors()).length,
    async capture({ wantOriginal }) {
      const shot = await (method === 'x11' ? grabX11() : grabNodeScreenshots());
      let rgb: Uint8Array;
      try {
        rgb = await preprocessScreen(shot.exact ?? { data: shot.pixels, width: shot.width, height: shot.height, channels: 3 });
        if (shot.bgr && !shot.exact) swapRedBlue(rgb);
      } catch (err) {
        pool.give(shot.pixels);
        throw err;
      }
      if (!wantOriginal) {
        pool.give(shot.pixels);
        return { rgb };
      }
      return { rgb, original: held(shot) };
    },
    close() {
      x11?.close();
    },
  };
  return source;
}
