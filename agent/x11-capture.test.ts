import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { frameViews, MAX_FRAME_VIEWS } from '../core/protocol.js';
import { preprocessScreen } from '../models/preprocess.js';
import type { MonitorRect } from './capture-source.js';
import { buildDesktopSource } from './desktop-source.js';
import { openX11Capture, parseMonitors } from './x11-capture.js';
import { findCookie, parseDisplay, parseSetupReply, setupRequest } from './x11-setup.js';

/** A setup reply as an X server sends it: one pixmap format, one screen with one visual. */
function setupReply(o: { width: number; height: number; depth?: number; bpp?: number; msbFirst?: boolean; visualClass?: number; red?: number }): Buffer {
  const vendor = Buffer.from('fake');
  const body = Buffer.alloc(32 + vendor.length + 8 + 40 + 8 + 24);
  body[20] = 1; // screens
  body[21] = 1; // formats
  body[22] = o.msbFirst ? 1 : 0;
  body.writeUInt16LE(vendor.length, 16);
  vendor.copy(body, 32);
  let at = 32 + vendor.length;
  body[at] = o.depth ?? 24;
  body[at + 1] = o.bpp ?? 32;
  body[at + 2] = 32;
  at += 8;
  body.writeUInt32LE(0x100, at); // root
  body.writeUInt16LE(o.width, at + 20);
  body.writeUInt16LE(o.height, at + 22);
  body.writeUInt32LE(0x21, at + 32); // root visual
  body[at + 38] = o.depth ?? 24;
  body[at + 39] = 1; // depths
  at += 40;
  body[at] = o.depth ?? 24;
  body.writeUInt16LE(1, at + 2);
  at += 8;
  body.writeUInt32LE(0x21, at);
  body[at + 4] = o.visualClass ?? 4;
  body.writeUInt32LE(o.red ?? 0xff0000, at + 8);
  body.writeUInt32LE(0xff00, at + 12);
  body.writeUInt32LE(0xff, at + 16);
  const head = Buffer.alloc(8);
  head[0] = 1;
  head.writeUInt16LE(11, 2);
  head.writeUInt16LE(body.length / 4, 6);
  return Buffer.concat([head, body]);
}

describe('X11 setup', () => {
  it('accepts local displays only', () => {
    expect(parseDisplay(':0')).toMatchObject({ displayNumber: '0', screen: 0, socketPaths: ['/tmp/.X11-unix/X0', '\0/tmp/.X11-unix/X0'] });
    expect(parseDisplay('unix:12.1')).toMatchObject({ displayNumber: '12', screen: 1 });
    for (const d of [undefined, '', 'localhost:10.0', '/private/tmp/launch-x/org.xquartz:0', ':x']) {
      expect(() => parseDisplay(d), String(d)).toThrow(/LABWATCH_ERR_CAPTURE_FAILED|not a local X11 display/);
    }
  });

  it("finds this host's cookie for this display, or a wildcard one, and survives a damaged file", () => {
    const entry = (family: number, address: string, number: string, name: string, data: number[]) => {
      const field = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
      return Buffer.concat([Buffer.from([family >> 8, family & 0xff]), field(Buffer.from(address)), field(Buffer.from(number)),
        field(Buffer.from(name)), field(Buffer.from(data))]);
    };
    const file = Buffer.concat([
      entry(256, 'otherhost', '0', 'MIT-MAGIC-COOKIE-1', [1]),
      entry(256, 'myhost', '1', 'MIT-MAGIC-COOKIE-1', [2]),
      entry(256, 'myhost', '0', 'XDM-AUTHORIZATION-1', [3]),
      entry(256, 'myhost', '0', 'MIT-MAGIC-COOKIE-1', [4, 4]),
    ]);
    expect([...findCookie(file, 'myhost', '0')!]).toEqual([4, 4]);
    expect([...findCookie(file, 'myhost', '1')!]).toEqual([2]);
    expect(findCookie(file, 'myhost', '7')).toBeNull();
    expect([...findCookie(entry(65535, '', '', 'MIT-MAGIC-COOKIE-1', [9]), 'any', '3')!]).toEqual([9]);
    expect(findCookie(file.subarray(0, file.length - 1), 'myhost', '0')).toBeNull();
    expect(findCookie(Buffer.from([0xff]), 'myhost', '0')).toBeNull();
  });

  it('sends the cookie padded to 4 bytes, little-endian', () => {
    const req = setupRequest(Uint8Array.of(7, 7, 7, 7, 7));
    expect([req[0], req.readUInt16LE(2), req.readUInt16LE(6), req.readUInt16LE(8)]).toEqual([0x6c, 11, 18, 5]);
    expect(req.length).toBe(12 + 20 + 8);
    expect(req.subarray(12, 30).toString()).toBe('MIT-MAGIC-COOKIE-1');
    expect(setupRequest(null).length).toBe(12);
  });

  it('reads the root of a 24-bit TrueColor screen and refuses what it cannot convert', () => {
    expect(parseSetupReply(setupReply({ width: 1920, height: 1080 }), 0)).toEqual({ root: 0x100, width: 1920, height: 1080 });
    const refused = [
      setupReply({ width: 8, height: 8, msbFirst: true }),
      setupReply({ width: 8, height: 8, depth: 16, bpp: 16 }),
      setupReply({ width: 8, height: 8, visualClass: 3 }),
      setupReply({ width: 8, height: 8, red: 0xff }),
      Buffer.concat([Buffer.from([0, 9, 11, 0, 0, 0, 3, 0]), Buffer.from('No auth!    ')]),
    ];
    for (const reply of refused) expect(() => parseSetupReply(reply, 0)).toThrow(/LABWATCH_ERR_CAPTURE_FAILED|cannot read|refused|most significant/);
    expect(() => parseSetupReply(setupReply({ width: 8, height: 8 }), 1)).toThrow(/no screen 1/);
  });
});

describe('X11 capture against a fake X server', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  /** A monitor as the fake server reports it (x, y may be negative; the rectangle may leave the root). */
  interface FakeMonitor { x: number; y: number; w: number; h: number; outputs?: number[] }
  /** RandR as the fake server offers it: its version and monitors, or a GetMonitors that fails with BadRequest. */
  interface FakeRandr { version: [number, number]; monitors: FakeMonitor[]; failGetMonitors?: boolean }
  const RANDR_OPCODE = 140;

  /** LISTofMONITORINFO as RandR 1.5 sends it (24 bytes a monitor, then its output ids). */
  function monitorInfos(monitors: FakeMonitor[]): Buffer<ArrayBuffer> {
    return Buffer.concat(monitors.map((m, i) => {
      const outputs = m.outputs ?? [];
      const info = Buffer.alloc(24 + outputs.length * 4);
      info.writeUInt32LE(0x200 + i, 0); // name atom
      info[4] = i === 0 ? 1 : 0; // primary
      info[5] = 1; // automatic
      info.writeUInt16LE(outputs.length, 6);
      info.writeInt16LE(m.x, 8);
      info.writeInt16LE(m.y, 10);
      info.writeUInt16LE(m.w, 12);
      info.writeUInt16LE(m.h, 14);
      info.writeUInt32LE(300, 16);
      info.writeUInt32LE(200, 20);
      outputs.forEach((o, k) => info.writeUInt32LE(o, 24 + k * 4));
      return info;
    }));
  }

  /**
   * Serves a W x H BGRX root whose pixel i is (i, 2i, 3i); replies are cut into
   * odd-sized, separately sent pieces. Without `randr` the server has no RANDR;
   * `server.randr` may be changed between captures (monitors rearranged).
   */
  async function fakeServer(width: number, height: number, randr?: FakeRandr): Promise<{ socketPath: string; requests: string[]; randr?: FakeRandr }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'lw-x11-'));
    const socketPath = path.join(dir, 'X0');
    const requests: string[] = [];
    const sockets = new Set<net.Socket>();
    const state = { socketPath, requests, randr };
    const server = net.createServer((sock) => {
      sockets.add(sock);
      let setupDone = false;
      let seq = 0;
      let pending = Buffer.alloc(0);
      const reply = (head: Buffer, extra = Buffer.alloc(0)) => {
        head[0] = 1;
        head.writeUInt16LE(seq, 2);
        head.writeUInt32LE(extra.length / 4, 4);
        return Buffer.concat([head, extra]);
      };
      const sendInPieces = async (data: Buffer) => {
        const sizes = [1, 7, 13, 30, 4093, 2, 65_537];
        for (let at = 0, k = 0; at < data.length; k++) {
          const n = sizes[k % sizes.length];
          sock.write(data.subarray(at, at + n));
          at += n;
          await new Promise((r) => setTimeout(r, 1));
        }
      };
      sock.on('data', (d) => {
        pending = Buffer.concat([pending, d]);
        if (!setupDone) {
          if (pending.length < 12) return;
          pending = pending.subarray(12);
          setupDone = true;
          void sendInPieces(setupReply({ width, height }));
        }
        while (pending.length >= 4 && pending.length >= pending.readUInt16LE(2) * 4) {
          const op = pending[0];
          const minor = pending[1];
          pending = pending.subarray(pending.readUInt16LE(2) * 4);
          seq += 1;
          requests.push(op === RANDR_OPCODE ? `randr.${minor}` : String(op));
          const rr = state.randr;
          if (op === 98) { // QueryExtension
            const head = Buffer.alloc(32);
            if (rr) [head[8], head[9]] = [1, RANDR_OPCODE];
            sock.write(reply(head));
          }
          if (op === RANDR_OPCODE && minor === 0 && rr) { // QueryVersion
            const head = Buffer.alloc(32);
            head.writeUInt32LE(rr.version[0], 8);
            head.writeUInt32LE(rr.version[1], 12);
            sock.write(reply(head));
          }
          if (op === RANDR_OPCODE && minor === 42 && rr) { // GetMonitors
            if (rr.failGetMonitors) {
              const error = Buffer.alloc(32);
              [error[0], error[1], error[10]] = [0, 1 /* BadRequest */, RANDR_OPCODE];
              error.writeUInt16LE(seq, 2);
              error.writeUInt16LE(42, 8);
              sock.write(error);
            } else {
              const head = Buffer.alloc(32);
              head.writeUInt32LE(rr.monitors.length, 12);
              head.writeUInt32LE(rr.monitors.reduce((n, m) => n + (m.outputs?.length ?? 0), 0), 16);
              void sendInPieces(reply(head, monitorInfos(rr.monitors)));
            }
          }
          if (op === 14) {
            const head = Buffer.alloc(32);
            head.writeUInt16LE(width, 16);
            head.writeUInt16LE(height, 18);
            sock.write(reply(head));
          }
          if (op === 73) {
            const pixels = Buffer.alloc(width * height * 4);
            for (let i = 0; i < width * height; i++) pixels.set([(3 * i) & 0xff, (2 * i) & 0xff, i & 0xff, 0], i * 4);
            const mappingNotify = Buffer.alloc(32);
            mappingNotify[0] = 34;
            void sendInPieces(Buffer.concat([mappingNotify, reply(Buffer.alloc(32), pixels)]));
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(socketPath, () => r()));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return state;
  }

  /** The fake root's pixels as RGB: BGRX (3i, 2i, i, 0) is red i, green 2i, blue 3i. */
  function fakeRootRgb(width: number, height: number): Uint8Array {
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) rgb.set([i & 0xff, (2 * i) & 0xff, (3 * i) & 0xff], i * 3);
    return rgb;
  }

  function crop(rgb: Uint8Array, width: number, r: MonitorRect): Uint8Array {
    const out = new Uint8Array(r.w * r.h * 3);
    for (let y = 0; y < r.h; y++) out.set(rgb.subarray(((r.y + y) * width + r.x) * 3, ((r.y + y) * width + r.x + r.w) * 3), y * r.w * 3);
    return out;
  }

  it('reassembles a screen cut at any byte into exact BGR, skipping an event on the way', async () => {
    const [width, height] = [37, 11]; // 407 pixels: not a multiple of the 4-pixel word groups
    const { socketPath, requests } = await fakeServer(width, height);
    const x11 = await openX11Capture(':0', [socketPath]);
    cleanups.push(() => x11.close());
    expect(x11.monitors).toEqual([{ x: 0, y: 0, w: width, h: height }]);
    expect(x11.monitorCount).toBe(1);
    for (let round = 0; round < 2; round++) {
      const shot = await x11.capture((n) => new Uint8Array(n));
      expect([shot.width, shot.height]).toEqual([width, height]);
      const want = new Uint8Array(width * height * 3);
      for (let i = 0; i < width * height; i++) want.set([(3 * i) & 0xff, (2 * i) & 0xff, i & 0xff], i * 3);
      expect(shot.bgr).toEqual(want);
    }
    expect(requests).toEqual(['98', '14', '73', '14', '73']);
  });

  it('reads the RandR 1.5 monitors: clipped to the root, duplicates and empty ones dropped, left to right, asked again at every capture', async () => {
    const [width, height] = [64, 20];
    const randr: FakeRandr = {
      version: [1, 6],
      monitors: [
        { x: 32, y: 0, w: 40, h: 20, outputs: [0x41, 0x42, 0x43] }, // leaves the root on the right
        { x: -8, y: 4, w: 40, h: 30, outputs: [0x40] }, // left of and below the root
        { x: 32, y: 0, w: 40, h: 20 }, // a mirror of the first
        { x: 10, y: 10, w: 0, h: 0 }, // switched off
      ],
    };
    const server = await fakeServer(width, height, randr);
    const x11 = await openX11Capture(':0', [server.socketPath]);
    cleanups.push(() => x11.close());
    const twoMonitors = [{ x: 0, y: 4, w: 32, h: 16 }, { x: 32, y: 0, w: 32, h: 20 }];
    expect(x11.monitors).toEqual(twoMonitors);
    expect(x11.monitorCount).toBe(2);
    const shot = await x11.capture((n) => new Uint8Array(n));
    expect(shot.monitors).toEqual(twoMonitors);

    // rearranged without the root changing size: the next capture follows
    server.randr!.monitors = [{ x: 40, y: 0, w: 24, h: 20 }, { x: 0, y: 10, w: 40, h: 10 }, { x: 0, y: 0, w: 40, h: 10 }];
    expect((await x11.capture((n) => new Uint8Array(n))).monitors).toEqual([
      { x: 0, y: 0, w: 40, h: 10 }, { x: 0, y: 10, w: 40, h: 10 }, { x: 40, y: 0, w: 24, h: 20 },
    ]);
    expect(x11.monitorCount).toBe(3);
    // none left (every output off): the whole root
    server.randr!.monitors = [];
    expect((await x11.capture((n) => new Uint8Array(n))).monitors).toEqual([{ x: 0, y: 0, w: width, h: height }]);
    expect(server.requests).toEqual(['98', 'randr.0', 'randr.42', ...Array<string[]>(3).fill(['14', 'randr.42', '73']).flat()]);
  });

  it('takes the whole root as one monitor when RandR is older than 1.5 or refuses GetMonitors', async () => {
    const old = await fakeServer(8, 4, { version: [1, 4], monitors: [{ x: 0, y: 0, w: 4, h: 4 }, { x: 4, y: 0, w: 4, h: 4 }] });
    const x11 = await openX11Capture(':0', [old.socketPath]);
    cleanups.push(() => x11.close());
    expect((await x11.capture((n) => new Uint8Array(n))).monitors).toEqual([{ x: 0, y: 0, w: 8, h: 4 }]);
    expect(old.requests).toEqual(['98', 'randr.0', '14', '73']);

    const refusing = await fakeServer(8, 4, { version: [1, 5], monitors: [], failGetMonitors: true });
    const x11b = await openX11Capture(':0', [refusing.socketPath]);
    cleanups.push(() => x11b.close());
    expect(x11b.monitors).toEqual([{ x: 0, y: 0, w: 8, h: 4 }]);
    expect((await x11b.capture((n) => new Uint8Array(n))).monitors).toEqual([{ x: 0, y: 0, w: 8, h: 4 }]);
    expect(refusing.requests).toEqual(['98', 'randr.0', 'randr.42', '14', '73']); // not asked again after the error
  });

  it('drains a GetMonitors reply over its size bound, takes the whole root, and keeps reading the screen in step', async () => {
    // five monitors of 60,000 outputs each: a 1.2 MB reply, over the 1 MiB the agent will parse
    const outputs = Array.from({ length: 60_000 }, (_, k) => k + 1);
    const huge = Array.from({ length: 5 }, (_, i) => ({ x: i * 4, y: 0, w: 4, h: 4, outputs }));
    const [width, height] = [20, 4];
    const server = await fakeServer(width, height, { version: [1, 6], monitors: huge });
    const x11 = await openX11Capture(':0', [server.socketPath]);
    cleanups.push(() => x11.close());
    expect(x11.monitors).toEqual([{ x: 0, y: 0, w: width, h: height }]);
    // the image that follows the drained reply is read exactly, twice
    for (let round = 0; round < 2; round++) {
      const shot = await x11.capture((n) => new Uint8Array(n));
      expect(shot.monitors).toEqual([{ x: 0, y: 0, w: width, h: height }]);
      const want = new Uint8Array(width * height * 3);
      for (let i = 0; i < width * height; i++) want.set([(3 * i) & 0xff, (2 * i) & 0xff, i & 0xff], i * 3);
      expect(shot.bgr).toEqual(want);
    }
  });

  it('parses a reply cut short without reading past it', () => {
    const root = { width: 100, height: 50 };
    const body = monitorInfos([{ x: 0, y: 0, w: 50, h: 50, outputs: [1] }, { x: 50, y: 0, w: 50, h: 50 }]);
    expect(parseMonitors(body, 2, root)).toEqual([{ x: 0, y: 0, w: 50, h: 50 }, { x: 50, y: 0, w: 50, h: 50 }]);
    expect(parseMonitors(body.subarray(0, 40), 2, root)).toEqual([{ x: 0, y: 0, w: 50, h: 50 }]);
    expect(parseMonitors(body, 0, root)).toEqual([{ x: 0, y: 0, w: 100, h: 50 }]);
  });

  it('gives the desktop source one view per monitor, each preprocessScreen of its crop, and one view of the whole desktop beyond MAX_FRAME_VIEWS', async () => {
    const [width, height] = [120, 40];
    const rgb = fakeRootRgb(width, height);
    const halves = [{ x: 60, y: 0, w: 60, h: 40 }, { x: 0, y: 0, w: 60, h: 40 }];
    const server = await fakeServer(width, height, { version: [1, 5], monitors: halves });
    const source = await buildDesktopSource({ openX11: () => openX11Capture(':0', [server.socketPath]) });
    cleanups.push(() => void source.close?.());
    expect([source.method, source.monitors]).toEqual(['x11', 2]);
    const two = await source.capture({ wantOriginal: false });
    const views = frameViews(two.rgb);
    expect(views).toHaveLength(2);
    for (const [i, r] of [halves[1], halves[0]].entries()) {
      const want = await preprocessScreen({ data: crop(rgb, width, r), width: r.w, height: r.h, channels: 3 });
      expect(Buffer.from(views[i]).equals(Buffer.from(want)), `view ${i}`).toBe(true);
    }
    expect(Buffer.from(views[0]).equals(Buffer.from(views[1]))).toBe(false);

    server.randr!.monitors = Array.from({ length: MAX_FRAME_VIEWS + 1 }, (_, i) => ({ x: i * 24, y: 0, w: 24, h: 40 }));
    const many = await source.capture({ wantOriginal: true });
    expect(source.monitors).toBe(MAX_FRAME_VIEWS + 1);
    expect(frameViews(many.rgb)).toHaveLength(1);
    expect(Buffer.from(many.rgb).equals(Buffer.from(await preprocessScreen({ data: rgb, width, height, channels: 3 })))).toBe(true);
    // the evidence original is the whole desktop, red first
    const png = await many.original!.png();
    many.original!.release!();
    const { default: sharp } = await import('sharp');
    expect((await sharp(png).raw().toBuffer()).equals(Buffer.from(rgb))).toBe(true);
    // and back to one monitor: one view, the bytes of the whole desktop as before
    server.randr!.monitors = [{ x: 0, y: 0, w: width, h: height }];
    const one = await source.capture({ wantOriginal: false });
    expect(Buffer.from(one.rgb).equals(Buffer.from(many.rgb))).toBe(true);
  });

  it('fails with a coded error when the server goes away, and not before', async () => {
    const { socketPath } = await fakeServer(4, 4, { version: [1, 5], monitors: [{ x: 0, y: 0, w: 4, h: 4 }] });
    const x11 = await openX11Capture(':0', [socketPath]);
    cleanups.splice(0).forEach((c) => c()); // the server and its socket disappear
    const err = await x11.capture((n) => new Uint8Array(n)).catch((e: unknown) => e);
    expect(isLabwatchError(err, 'LABWATCH_ERR_CAPTURE_FAILED')).toBe(true);
    x11.close();
    await expect(openX11Capture(':0', [socketPath])).rejects.toThrow(/cannot connect to the X server/);
  });
});
