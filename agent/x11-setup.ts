import { lwError } from '../core/errors.js';

/**
 * The pure parts of the agent's X11 connection (agent/x11-capture.ts): which
 * socket DISPLAY names, the MIT-MAGIC-COOKIE-1 in the Xauthority file, and the
 * server's setup reply. Only what a local desktop uses is supported; anything
 * else throws LABWATCH_ERR_CAPTURE_FAILED and the agent falls back to
 * node-screenshots (libxcb), which knows every case.
 */

export interface DisplayAddress {
  /** Unix socket of the display, and its Linux abstract-namespace twin. */
  socketPaths: string[];
  displayNumber: string;
  screen: number;
}

const unsupported = (reason: string) => lwError('LABWATCH_ERR_CAPTURE_FAILED', { reason });

/** ":0", ":1.0", "unix:0": a local display. TCP displays (e.g. "localhost:10.0" over ssh) are not handled here. */
export function parseDisplay(display: string | undefined): DisplayAddress {
  const m = /^(?:unix)?:(\d+)(?:\.(\d+))?$/.exec(display ?? '');
  if (!m) throw unsupported(`DISPLAY "${display ?? ''}" is not a local X11 display`);
  const path = `/tmp/.X11-unix/X${m[1]}`;
  return { socketPaths: [path, `\0${path}`], displayNumber: m[1], screen: Number(m[2] ?? 0) };
}

const FAMILY_LOCAL = 256;
const FAMILY_WILD = 65535;
const COOKIE_NAME = 'MIT-MAGIC-COOKIE-1';

/** The cookie for a local display in an Xauthority file's bytes, or null (then the connection tries without). */
export function findCookie(xauthority: Uint8Array, hostname: string, displayNumber: string): Uint8Array | null {
  const view = new DataView(xauthority.buffer, xauthority.byteOffset, xauthority.byteLength);
  let at = 0;
  const field = (): Uint8Array => {
    const n = view.getUint16(at);
    if (at + 2 + n > xauthority.length) throw new RangeError('truncated Xauthority entry');
    const bytes = xauthority.subarray(at + 2, at + 2 + n);
    at += 2 + n;
    return bytes;
  };
  const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
  try {
    while (at + 2 <= xauthority.length) {
      const family = view.getUint16(at);
      at += 2;
      const address = text(field());
      const number = text(field());
      const name = text(field());
      const data = field();
      const hostOk = family === FAMILY_WILD || (family === FAMILY_LOCAL && address === hostname);
      if (hostOk && (number === '' || number === displayNumber) && name === COOKIE_NAME) return data;
    }
  } catch {
    // a damaged file: try without a cookie (the server says no if it needs one)
  }
  return null;
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

/** The client's first message: little-endian, protocol 11.0, with the cookie if there is one. */
export function setupRequest(cookie: Uint8Array | null): Buffer {
  const name = cookie ? Buffer.from(COOKIE_NAME, 'latin1') : Buffer.alloc(0);
  const data = cookie ?? new Uint8Array(0);
  const out = Buffer.alloc(12 + name.length + pad4(name.length) + data.length + pad4(data.length));
  out[0] = 0x6c; // 'l': every number on this connection is little-endian
  out.writeUInt16LE(11, 2);
  out.writeUInt16LE(name.length, 6);
  out.writeUInt16LE(data.length, 8);
  name.copy(out, 12);
  out.set(data, 12 + name.length + pad4(name.length));
  return out;
}

export interface RootScreen {
  root: number;
  width: number;
  height: number;
}

/**
 * Parse the setup reply (its 8-byte header included) and check the screen is
 * one we can read as BGRX: a TrueColor/DirectColor root visual with 8-bit
 * R/G/B masks at bits 16/8/0, 32 bits per pixel, least significant byte first.
 */
export function parseSetupReply(reply: Buffer, screen: number): RootScreen {
  if (reply[0] !== 1) {
    const reason = reply[0] === 0 ? reply.subarray(8, 8 + reply[1]).toString('latin1') : 'more authentication asked';
    throw unsupported(`the X server refused the connection: ${reason}`);
  }
  const screens = reply[28];
  const formats = reply[29];
  if (reply[30] !== 0) throw unsupported('the X server sends images most significant byte first');
  let at = 40 + reply.readUInt16LE(24) + pad4(reply.readUInt16LE(24));
  const bitsPerPixel = new Map<number, number>();
  for (let f = 0; f < formats; f++, at += 8) bitsPerPixel.set(reply[at], reply[at + 1]);
  for (let s = 0; s < screens; s++) {
    const root = reply.readUInt32LE(at);
    const width = reply.readUInt16LE(at + 20);
    const height = reply.readUInt16LE(at + 22);
    const rootVisual = reply.readUInt32LE(at + 32);
    const rootDepth = reply[at + 38];
    const depths = reply[at + 39];
    at += 40;
    let visualOk = false;
    for (let d = 0; d < depths; d++) {
      const visuals = reply.readUInt16LE(at + 2);
      at += 8;
      for (let v = 0; v < visuals; v++, at += 24) {
        if (reply.readUInt32LE(at) !== rootVisual) continue;
        const cls = reply[at + 4];
        const masks = [reply.readUInt32LE(at + 8), reply.readUInt32LE(at + 12), reply.readUInt32LE(at + 16)];
        visualOk = (cls === 4 || cls === 5) && masks.join() === '16711680,65280,255';
      }
    }
    if (s !== screen) continue;
    if (!visualOk || bitsPerPixel.get(rootDepth) !== 32) {
      throw unsupported(`screen ${screen} has a depth-${rootDepth} visual this agent cannot read directly`);
    }
    return { root, width, height };
  }
  throw unsupported(`the X server has no screen ${screen}`);
}
