import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isLabwatchError, lwError } from '../core/errors.js';
import { viewOrder } from '../core/protocol.js';
import type { MonitorRect } from './capture-source.js';
import { pack3 } from './pixels.js';
import { findCookie, parseDisplay, parseSetupReply, setupRequest, type RootScreen } from './x11-setup.js';

/**
 * Reads the whole desktop (the X root window: every monitor in place) with one
 * GetImage request on a connection kept open, packing the BGRX bytes to BGR
 * as they arrive, straight into the caller's buffer. Why not node-screenshots
 * on this path: per 1080p capture it opens a new X connection, converts pixel by
 * pixel, copies the 8 MB image twice more and frees it only when V8 collects the
 * wrapper: ~20 ms of CPU and 8 MB buffers piling up, every second.
 */
export interface X11Capture {
  /**
   * The monitors RandR 1.5 reports (GetMonitors, active ones), clipped to the
   * root window, duplicates (mirrored outputs) dropped, ordered left to right
   * (x, then y); the whole root when the server has no RandR 1.5 or reports
   * none. Asked again at every capture, so a rearranged layout is followed.
   */
  readonly monitors: readonly MonitorRect[];
  /** `monitors.length`. */
  readonly monitorCount: number;
  /** Capture the root window into a BGR buffer (3 bytes a pixel, blue first) from `buffer(bytes)`, with the monitors at that moment. */
  capture(buffer: (bytes: number) => Uint8Array): Promise<{ bgr: Uint8Array; width: number; height: number; monitors: readonly MonitorRect[] }>;
  close(): void;
}

const TIMEOUT_MS = 5000;
const OP_GET_GEOMETRY = 14;
const OP_GET_IMAGE = 73;
const OP_QUERY_EXTENSION = 98;
const RR_QUERY_VERSION = 0;
const RR_GET_MONITORS = 42;
/** A GetMonitors reply longer than this is not believed (64 monitors of 64 outputs each are ~17 KB). */
const MAX_MONITORS_REPLY_BYTES = 1 << 20;

const failed = (reason: string, cause?: unknown) => lwError('LABWATCH_ERR_CAPTURE_FAILED', { reason }, cause);

/** `socketPaths` replaces the display's socket (tests talk to a fake server). */
export async function openX11Capture(display = process.env.DISPLAY, socketPaths?: string[]): Promise<X11Capture> {
  const address = parseDisplay(display);
  let cookie: Uint8Array | null = null;
  try {
    cookie = findCookie(readFileSync(process.env.XAUTHORITY ?? path.join(os.homedir(), '.Xauthority')), os.hostname(), address.displayNumber);
  } catch {
    // no Xauthority file: displays such as Xvfb without -auth accept anyone local
  }
  const conn = await Connection.open(socketPaths ?? address.socketPaths);
  try {
    conn.socket.write(setupRequest(cookie));
    const head = await conn.read(8);
    const setup = Buffer.concat([head, await conn.read(head.readUInt16LE(6) * 4)]);
    const root = parseSetupReply(setup, address.screen);
    const client = new Client(conn, root, await randrMajorOpcode(conn));
    await client.queryMonitors();
    return client;
  } catch (err) {
    conn.socket.destroy();
    throw isLabwatchError(err) ? err : failed(`unexpected X11 setup reply (${(err as Error).message})`, err);
  }
}

class Client implements X11Capture {
  monitors: readonly MonitorRect[];

  /** `randr`: RandR's major opcode when the server has RandR 1.5 or later, else null. */
  constructor(private readonly conn: Connection, private readonly root: RootScreen, private randr: number | null) {
    this.monitors = [wholeRoot(root)];
  }

  get monitorCount(): number {
    return this.monitors.length;
  }

  async capture(buffer: (bytes: number) => Uint8Array) {
    const { conn, root } = this;
    // the root grows and shrinks with monitors plugged in or out: ask every time
    const geo = await conn.request(Uint8Array.of(OP_GET_GEOMETRY, 0, 2, 0, ...u32(root.root)));
    const width = geo.readUInt16LE(16);
    const height = geo.readUInt16LE(18);
    if (width !== root.width || height !== root.height) Object.assign(root, { width, height });
    // monitors can be rearranged without the root changing size: one small round trip a capture
    const monitors = await this.queryMonitors();
    const req = Uint8Array.of(OP_GET_IMAGE, 2 /* ZPixmap */, 5, 0, ...u32(root.root), 0, 0, 0, 0, ...u16(width), ...u16(height), 0xff, 0xff, 0xff, 0xff);
    const head = await conn.request(req, false);
    const bytes = head.readUInt32LE(4) * 4;
    if (bytes !== width * height * 4) {
      await conn.skip(bytes);
      throw failed(`GetImage gave ${bytes} bytes for ${width}x${height} (depth ${head[1]})`);
    }
    const bgr = buffer(width * height * 3);
    await conn.stream(bytes, (chunk, pixel) => pack3(chunk, 0, bgr, pixel, chunk.length / 4));
    return { bgr, width, height, monitors };
  }

  /** RandR 1.5 GetMonitors (active monitors only), or the whole root when RandR cannot say. */
  async queryMonitors(): Promise<readonly MonitorRect[]> {
    const { conn, root } = this;
    if (this.randr === null) return (this.monitors = [wholeRoot(root)]);
    let reply: Buffer;
    try {
      reply = await conn.request(Uint8Array.of(this.randr, RR_GET_MONITORS, 3, 0, ...u32(root.root), 1 /* get_active */, 0, 0, 0), false);
    } catch (err) {
      if (!isLabwatchError(err) || err.params.x11Error === undefined) throw err;
      this.randr = null; // a server that claimed 1.5 but refuses GetMonitors: do not ask again
      return (this.monitors = [wholeRoot(root)]);
    }
    const bytes = reply.readUInt32LE(4) * 4;
    if (bytes > MAX_MONITORS_REPLY_BYTES) {
      await conn.skip(bytes);
      return (this.monitors = [wholeRoot(root)]);
    }
    return (this.monitors = parseMonitors(await conn.read(bytes), reply.readUInt32LE(12), root));
  }

  close() {
    this.conn.socket.destroy();
  }
}

const wholeRoot = (root: { width: number; height: number }): MonitorRect => ({ x: 0, y: 0, w: root.width, h: root.height });

/**
 * The rectangles of a GetMonitors reply's LISTofMONITORINFO (24 bytes each: name
 * u32, primary u8, automatic u8, noutputs u16, x i16, y i16, width u16, height
 * u16, width-mm u32, height-mm u32; then noutputs u32 output ids), clipped to the
 * root, empty and repeated ones dropped, left to right (x, then y). None left:
 * the whole root.
 */
export function parseMonitors(body: Uint8Array, count: number, root: { width: number; height: number }): MonitorRect[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const rects: MonitorRect[] = [];
  for (let i = 0, at = 0; i < count && at + 24 <= body.length; i++) {
    const outputs = view.getUint16(at + 6, true);
    const x = view.getInt16(at + 8, true);
    const y = view.getInt16(at + 10, true);
    const right = Math.min(root.width, x + view.getUint16(at + 12, true));
    const bottom = Math.min(root.height, y + view.getUint16(at + 14, true));
    at += 24 + outputs * 4;
    const r = { x: Math.max(0, x), y: Math.max(0, y), w: 0, h: 0 };
    r.w = right - r.x;
    r.h = bottom - r.y;
    if (r.w > 0 && r.h > 0 && !rects.some((o) => o.x === r.x && o.y === r.y && o.w === r.w && o.h === r.h)) rects.push(r);
  }
  rects.sort(viewOrder);
  return rects.length > 0 ? rects : [wholeRoot(root)];
}

/** RandR's major opcode if the server has RandR 1.5 or later (GetMonitors), else null. */
async function randrMajorOpcode(conn: Connection): Promise<number | null> {
  const name = Buffer.from('RANDR', 'latin1');
  const ext = await conn.request(Uint8Array.of(OP_QUERY_EXTENSION, 0, 4, 0, ...u16(name.length), 0, 0, ...name, 0, 0, 0));
  if (ext[8] !== 1) return null;
  const major = ext[9];
  try {
    const version = await conn.request(Uint8Array.of(major, RR_QUERY_VERSION, 3, 0, ...u32(1), ...u32(5)));
    const [vMajor, vMinor] = [version.readUInt32LE(8), version.readUInt32LE(12)];
    return vMajor > 1 || (vMajor === 1 && vMinor >= 5) ? major : null;
  } catch (err) {
    if (isLabwatchError(err) && err.params.x11Error !== undefined) return null;
    throw err;
  }
}

const u16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/**
 * A byte stream read in exact amounts, one request at a time (the agent never
 * captures twice at once). The socket reads into one reused buffer (`onread`),
 * and whoever waits for bytes takes them straight from it, so an 8 MB image
 * costs no allocation; bytes nobody waits for yet are copied aside.
 */
class Connection {
  private queue: Buffer[] = [];
  private sink: { left: number; take: (part: Buffer) => void; done: (err?: Error) => void } | null = null;
  private error: Error | null = null;
  private seq = 0;
  /** An aligned scratch buffer: pixel groups cut between reads, or at odd offsets, are copied here first. */
  private scratch = Buffer.allocUnsafeSlow(64 * 1024);

  private constructor(readonly socket: net.Socket) {}

  static open(paths: string[]): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const attempt = (i: number) => {
        let conn: Connection | undefined;
        const buffer = Buffer.allocUnsafeSlow(256 * 1024);
        const socket = net.connect({
          path: paths[i],
          onread: { buffer, callback: (n) => { conn?.onData(buffer.subarray(0, n)); return true; } },
        });
        conn = new Connection(socket);
        socket.once('connect', () => {
          socket.removeAllListeners('error');
          const stop = (err?: Error) => conn.fail(failed(`the X11 connection closed${err ? ` (${err.message})` : ''}`, err));
          socket.on('error', stop);
          socket.on('close', () => stop());
          resolve(conn);
        });
        socket.once('error', (err) => {
          if (i + 1 < paths.length) attempt(i + 1);
          else reject(failed(`cannot connect to the X server at ${paths[0]} (${err.message})`, err));
        });
      };
      attempt(0);
    });
  }

  /** Send a request; resolve with its reply's 32-byte head (its extra data is read too unless `readRest` is false). */
  async request(bytes: Uint8Array, readRest = true): Promise<Buffer> {
    const seq = (this.seq = (this.seq + 1) & 0xffff);
    this.socket.write(bytes);
    for (;;) {
      const head = await this.read(32);
      if (head[0] === 1) {
        if (head.readUInt16LE(2) !== seq) throw failed(`X11 reply out of order (${head.readUInt16LE(2)}, expected ${seq})`);
        if (readRest) await this.skip(head.readUInt32LE(4) * 4);
        return head;
      }
      if (head[0] === 0) {
        throw lwError('LABWATCH_ERR_CAPTURE_FAILED', { reason: `X11 error ${head[1]} on request ${head[10]}.${head.readUInt16LE(8)}`, x11Error: head[1] });
      }
      // events nobody asked for (MappingNotify goes to every client); a GenericEvent carries more bytes
      if ((head[0] & 0x7f) === 35) await this.skip(head.readUInt32LE(4) * 4);
    }
  }

  async read(n: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    await this.consume(n, (part) => {
      part.copy(out, at);
      at += part.length;
    });
    return out;
  }

  skip(n: number): Promise<void> {
    return this.consume(n, () => undefined);
  }

  /**
   * Hand on `n` bytes of 4-byte pixels in aligned runs of whole 4-pixel groups
   * (what the word-wise conversion needs), with the index of each run's first
   * pixel; a group cut between reads is joined in the scratch buffer first.
   */
  async stream(n: number, onPixels: (run: Uint8Array, firstPixel: number) => void): Promise<void> {
    const GROUP = 16;
    let pixel = 0;
    let carried = 0;
    const emit = (run: Uint8Array) => {
      onPixels(run, pixel);
      pixel += run.length >> 2;
    };
    await this.consume(n, (part) => {
      let at = 0;
      if (carried > 0) {
        at = Math.min(GROUP - carried, part.length);
        part.copy(this.scratch, carried, 0, at);
        carried += at;
        if (carried < GROUP) return;
        emit(this.scratch.subarray(0, GROUP));
        carried = 0;
      }
      while (part.length - at >= GROUP) {
        let run = part.subarray(at, at + Math.floor((part.length - at) / GROUP) * GROUP);
        if (run.byteOffset % 4 !== 0) {
          run = run.subarray(0, Math.min(run.length, this.scratch.length));
          run.copy(this.scratch, 0);
          run = this.scratch.subarray(0, run.length);
        }
        at += run.length;
        emit(run);
      }
      part.copy(this.scratch, 0, at);
      carried = part.length - at;
    });
    if (carried > 0) emit(this.scratch.subarray(0, carried));
  }

  /** Feed `n` bytes to `take`, synchronously as they arrive: queued ones first, then straight from the socket. */
  private consume(n: number, take: (part: Buffer) => void): Promise<void> {
    let left = n;
    while (left > 0 && this.queue.length > 0) {
      const chunk = this.queue[0];
      const part = chunk.length <= left ? chunk : chunk.subarray(0, left);
      if (part === chunk) this.queue.shift();
      else this.queue[0] = chunk.subarray(left);
      left -= part.length;
      take(part);
    }
    if (left === 0) return Promise.resolve();
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(failed(`the X server did not answer within ${TIMEOUT_MS / 1000} s`));
        this.socket.destroy();
      }, TIMEOUT_MS);
      this.sink = {
        left, take,
        done: (err) => {
          clearTimeout(timer);
          this.sink = null;
          if (err) reject(err);
          else resolve();
        },
      };
    });
  }

  private onData(data: Buffer): void {
    const sink = this.sink;
    if (sink) {
      const part = data.subarray(0, Math.min(data.length, sink.left));
      sink.left -= part.length;
      sink.take(part);
      data = data.subarray(part.length);
      if (sink.left === 0) sink.done();
    }
    // the read buffer is reused: keep a copy of what nobody has asked for yet
    if (data.length > 0) this.queue.push(Buffer.from(data));
  }

  private fail(err: Error): void {
    this.error ??= err;
    this.sink?.done(this.error);
  }
}
