import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { openX11Capture } from './x11-capture.js';
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

  /** Serves a W x H BGRX root whose pixel i is (i, 2i, 3i); replies are cut into odd-sized, separately sent pieces. */
  async function fakeServer(width: number, height: number): Promise<{ socketPath: string; requests: number[] }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'lw-x11-'));
    const socketPath = path.join(dir, 'X0');
    const requests: number[] = [];
    const sockets = new Set<net.Socket>();
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
          pending = pending.subarray(pending.readUInt16LE(2) * 4);
          seq += 1;
          requests.push(op);
          if (op === 98) sock.write(reply(Buffer.alloc(32))); // QueryExtension: RANDR absent
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
    return { socketPath, requests };
  }

  it('reassembles a screen cut at any byte into exact BGR, skipping an event on the way', async () => {
    const [width, height] = [37, 11]; // 407 pixels: not a multiple of the 4-pixel word groups
    const { socketPath, requests } = await fakeServer(width, height);
    const x11 = await openX11Capture(':0', [socketPath]);
    cleanups.push(() => x11.close());
    expect(x11.monitors).toBe(1);
    for (let round = 0; round < 2; round++) {
      const shot = await x11.capture((n) => new Uint8Array(n));
      expect([shot.width, shot.height]).toEqual([width, height]);
      const want = new Uint8Array(width * height * 3);
      for (let i = 0; i < width * height; i++) want.set([(3 * i) & 0xff, (2 * i) & 0xff, i & 0xff], i * 3);
      expect(shot.bgr).toEqual(want);
    }
    expect(requests).toEqual([98, 14, 73, 14, 73]);
  });

  it('fails with a coded error when the server goes away, and not before', async () => {
    const { socketPath } = await fakeServer(4, 4);
    const x11 = await openX11Capture(':0', [socketPath]);
    cleanups.splice(0).forEach((c) => c()); // the server and its socket disappear
    const err = await x11.capture((n) => new Uint8Array(n)).catch((e: unknown) => e);
    expect(isLabwatchError(err, 'LABWATCH_ERR_CAPTURE_FAILED')).toBe(true);
    x11.close();
    await expect(openX11Capture(':0', [socketPath])).rejects.toThrow(/cannot connect to the X server/);
  });
});
