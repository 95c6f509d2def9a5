import { FRAME_BYTES, MAX_FRAME_VIEWS, viewOrder } from '../core/protocol.js';
import type { RawScreen } from '../models/preprocess.js';
import type { CaptureSource, MonitorRect } from './capture-source.js';
import type { MonitorShot } from './capture.js';
import { pack3, swapRedBlue } from './pixels.js';
import { BufferPool, rawOriginal } from './raw-originals.js';
import type { X11Capture } from './x11-capture.js';

export interface DesktopSource extends CaptureSource {
  /** 'x11': our own GetImage client (agent/x11-capture.ts); 'node-screenshots' everywhere else. */
  readonly method: 'x11' | 'node-screenshots';
}

export interface DesktopSourceOptions {
  log?: (msg: string) => void;
  /** Opens the X11 reader (default: agent/x11-capture.ts on $DISPLAY); null: node-screenshots only. Tests plug in fakes. */
  openX11?: (() => Promise<X11Capture>) | null;
  /** Every monitor's pixels when X11 is not used (default: agent/capture.ts captureMonitors, node-screenshots). */
  captureMonitors?: () => Promise<MonitorShot[]>;
}

/** The whole desktop, full size, 3 bytes a pixel, in a pooled buffer: the evidence original. */
interface Desktop {
  pixels: Buffer;
  /** Blue first (X11), else red first. */
  bgr: boolean;
  width: number;
  height: number;
}

/**
 * The student's real desktop: one 50x50 view per monitor (left to right), each
 * monitor shrunk on its own with the shared preprocessing, so a chat window on
 * one of two wide monitors is not squeezed to a few pixels; more than
 * MAX_FRAME_VIEWS monitors give one view of the whole desktop.
 *
 * X11: per capture, one read of the whole root window, one pass dropping the 4th
 * byte of each pixel, and per monitor a 50x50 shrink of its rectangle read in
 * place from that buffer (libvips crops without copying). libvips shrinks RGBA
 * through a premultiplied float copy, 5x slower, for the same bytes when the
 * screen is opaque, hence the packing; and it shrinks every channel alike, so a
 * BGR screen shrinks to the BGR of the same 50x50 bytes (swapped afterwards).
 * node-screenshots already gives one image per monitor: each is shrunk on its
 * own, and they are composed into the whole desktop only for the evidence
 * original. The full-size pixels are kept for evidence and encoded only if
 * asked for.
 */
export async function buildDesktopSource(o: DesktopSourceOptions = {}): Promise<DesktopSource> {
  const [{ preprocessScreen }, { default: sharp }, x11Module, captureModule] = await Promise.all([
    import('../models/preprocess.js'),
    import('sharp'),
    import('./x11-capture.js'),
    import('./capture.js'),
  ]);
  const openX11Capture = o.openX11 === undefined ? () => x11Module.openX11Capture() : o.openX11;
  const captureMonitors = o.captureMonitors ?? captureModule.captureMonitors;
  const { composeMonitors } = captureModule;
  // One capture per second needs neither libvips' operation cache nor a thread
  // pool: both cost tens of MB of RSS on a student's laptop.
  sharp.cache(false);
  sharp.concurrency(1);
  const pool = new BufferPool();
  const scratch = new Scratch();

  let x11: X11Capture | null = null;
  if (openX11Capture) {
    try {
      x11 = await openX11Capture();
    } catch (err) {
      o.log?.(`reading the screen through node-screenshots: ${(err as Error).message}`);
    }
  }

  /** preprocessScreen of one node-screenshots monitor (RGBA), through packed RGB when it is opaque. */
  const shrinkShot = async (shot: MonitorShot): Promise<Uint8Array> => {
    const rgb = scratch.take(shot.width * shot.height * 3);
    const alpha = pack3(shot.data, 0, rgb, 0, shot.width * shot.height);
    return preprocessScreen(alpha === 0xff
      ? { data: rgb, width: shot.width, height: shot.height, channels: 3 }
      : { data: shot.data, width: shot.width, height: shot.height, channels: 4 });
  };

  const captureX11 = async (wantOriginal: boolean) => {
    let shot;
    try {
      x11 ??= await openX11Capture!();
      shot = await x11.capture((bytes) => pool.take(bytes));
    } catch (err) {
      // reconnect on the next capture (an X server restart, a timeout)
      x11?.close();
      x11 = null;
      throw err;
    }
    source.monitors = shot.monitors.length;
    const desktop: Desktop = { pixels: shot.bgr as Buffer, bgr: true, width: shot.width, height: shot.height };
    const image: RawScreen = { data: desktop.pixels, width: desktop.width, height: desktop.height, channels: 3 };
    const rects = shot.monitors.length <= MAX_FRAME_VIEWS ? shot.monitors : [{ x: 0, y: 0, w: shot.width, h: shot.height }];
    const views: Uint8Array[] = [];
    try {
      for (const rect of rects) views.push(swapRedBlue(await shrinkMonitor(image, rect)));
    } catch (err) {
      pool.give(desktop.pixels);
      throw err;
    }
    return finish(views, desktop, wantOriginal);
  };

  const captureNodeScreenshots = async (wantOriginal: boolean) => {
    const shots = (await captureMonitors()).sort(viewOrder);
    source.monitors = shots.length;
    const whole = shots.length === 1 || shots.length > MAX_FRAME_VIEWS;
    let desktop: Desktop | undefined;
    let exact: RawScreen | undefined;
    if (wantOriginal || whole) {
      const screen = composeMonitors(shots);
      const pixels = pool.take(screen.width * screen.height * 3);
      const alpha = pack3(screen.data, 0, pixels, 0, screen.width * screen.height);
      desktop = { pixels, bgr: false, width: screen.width, height: screen.height };
      // preprocessScreen shrinks RGBA premultiplied: only an opaque screen gives the same bytes from RGB
      if (alpha !== 0xff) exact = screen;
    }
    const views: Uint8Array[] = [];
    try {
      if (whole) views.push(await preprocessScreen(exact ?? { data: desktop!.pixels, width: desktop!.width, height: desktop!.height, channels: 3 }));
      else for (const shot of shots) views.push(await shrinkShot(shot));
    } catch (err) {
      if (desktop) pool.give(desktop.pixels);
      throw err;
    }
    return finish(views, desktop, wantOriginal);
  };

  const finish = (views: Uint8Array[], desktop: Desktop | undefined, wantOriginal: boolean) => {
    const rgb = joinViews(views);
    if (!desktop) return { rgb };
    if (!wantOriginal) {
      pool.give(desktop.pixels);
      return { rgb };
    }
    return { rgb, original: held(desktop) };
  };

  const held = ({ pixels, bgr, width, height }: Desktop) =>
    rawOriginal(pool, pixels, width, height, (raw) => {
      const image = sharp(raw, { raw: { width, height, channels: 3 } });
      return (bgr ? image.recomb([[0, 0, 1], [0, 1, 0], [1, 0, 0]]) : image).png().toBuffer();
    });

  const method = x11 ? 'x11' : 'node-screenshots';
  const source: DesktopSource & { monitors: number } = {
    method,
    monitors: x11 ? x11.monitorCount : (await captureMonitors()).length,
    capture({ wantOriginal }) {
      return method === 'x11' ? captureX11(wantOriginal) : captureNodeScreenshots(wantOriginal);
    },
    close() {
      x11?.close();
    },
  };
  return source;
}

/** preprocessScreen of `rect`'s pixels alone (`image` being the whole desktop). */
export async function shrinkMonitor(image: RawScreen, rect: MonitorRect): Promise<Uint8Array> {
  const { preprocessScreen } = await import('../models/preprocess.js');
  const whole = rect.x === 0 && rect.y === 0 && rect.w === image.width && rect.h === image.height;
  return preprocessScreen(image, whole ? {} : { region: rect });
}

/** The views of one frame, one after the other (one view is passed on as it is). */
export function joinViews(views: Uint8Array[]): Uint8Array {
  if (views.length === 1) return views[0];
  const rgb = new Uint8Array(views.length * FRAME_BYTES);
  views.forEach((v, i) => rgb.set(v, i * FRAME_BYTES));
  return rgb;
}


/**
 * One reused buffer for a monitor's pixels, shrunk one monitor at a time: it
 * grows to the largest monitor and stays, rather than a fresh multi-MB buffer per
 * monitor per second. What `take` returns is valid until the next `take`.
 */
export class Scratch {
  private buffer = Buffer.alloc(0);

  take(bytes: number): Buffer {
    if (this.buffer.length < bytes) this.buffer = Buffer.allocUnsafeSlow(bytes);
    return this.buffer.subarray(0, bytes);
  }
}
