import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { buildAgent, type Agent } from '../agent/agent.js';
import type { CaptureSource } from '../agent/capture-source.js';
import { decode, encode, FRAME_BYTES, frameViews, MAX_FRAME_VIEWS, type AgentMessage } from '../core/protocol.js';
import { until } from './helpers/assistant-fixture.js';

/**
 * Frames of several views (one per monitor) go out whole, and a source that
 * gives a frame of the wrong size has that capture counted as failed instead of
 * poisoning the outbox (it would fail to encode at every send).
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A minimal assistant on 127.0.0.1: welcomes, acknowledges every frame, keeps what it decoded. */
async function fakeAssistant() {
  const frames: { seq: number; views: Uint8Array[]; bytes: number }[] = [];
  const hellos: number[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      const msg = decode(new Uint8Array(data), 'agent') as AgentMessage;
      if (msg.type === 'hello') {
        hellos.push(msg.monitors);
        ws.send(encode({ type: 'welcome', name: 'A', surname: 'B', studentId: 'S', examName: 'E', captureIntervalMs: 1000, lastAckedSeq: 0 }));
      }
      if (msg.type === 'frame') {
        frames.push({ seq: msg.seq, views: frameViews(msg.rgb), bytes: data.length });
        ws.send(encode({ type: 'ack', seq: msg.seq, cumulative: true }));
      }
    });
  });
  cleanups.push(() => new Promise<void>((r) => { for (const c of wss.clients) c.terminate(); wss.close(() => r()); }));
  return { url: `http://127.0.0.1:${(wss.address() as { port: number }).port}`, frames, hellos };
}

describe('agent frames of several views', () => {
  it('sends every view of a capture, and counts a capture of the wrong size as failed', async () => {
    const server = await fakeAssistant();
    const released: number[] = [];
    let n = 0;
    const view = (level: number) => new Uint8Array(FRAME_BYTES).fill(level);
    const source: CaptureSource = {
      monitors: 2,
      async capture() {
        const k = ++n;
        const original = { width: 1, height: 1, bytes: 3, png: async () => new Uint8Array(), release: () => void released.push(k) };
        if (k === 2) return { rgb: new Uint8Array(FRAME_BYTES - 1), original }; // not whole views
        if (k === 3) return { rgb: new Uint8Array((MAX_FRAME_VIEWS + 1) * FRAME_BYTES), original }; // too many views
        const rgb = new Uint8Array(2 * FRAME_BYTES);
        rgb.set(view(k), 0);
        rgb.set(view(100 + k), FRAME_BYTES);
        return { rgb, original };
      },
    };
    const agent: Agent = buildAgent({
      serverUrl: server.url, token: 't', capture: source, notifier: { show: async () => ({ method: 'terminal' }), close: () => undefined },
      intervalMs: 50, evidenceFrames: 2, logger: { info: () => undefined, warn: () => undefined },
    });
    cleanups.push(() => agent.stop());
    agent.start();
    await until(() => (server.frames.length >= 3 ? true : undefined), 10_000);
    expect(server.hellos).toEqual([2]);
    expect(agent.stats.captureErrors).toBe(2);
    expect(released).toEqual(expect.arrayContaining([2, 3]));
    const [first, second] = server.frames;
    expect(first.seq).toBe(1);
    expect(first.views.map((v) => [v.length, v[0], v[FRAME_BYTES - 1]])).toEqual([[FRAME_BYTES, 1, 1], [FRAME_BYTES, 101, 101]]);
    // captures 2 and 3 were refused: the next frame is capture 4, numbered 2
    expect(second.seq).toBe(2);
    expect(second.views.map((v) => v[0])).toEqual([4, 104]);
    // flat views travel DEFLATE-compressed: far below two raw views
    expect(first.bytes).toBeLessThan(200);
  });
});
