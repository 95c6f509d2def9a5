import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { buildAssistant, type Assistant, type AssistantOptions } from '../../assistant/assistant.js';
import type { WindowClassifier } from '../../assistant/classifier.js';
import { FRAME_BYTES, PROTOCOL_VERSION, decode, encode, type AgentMessage, type ServerMessage } from '../../core/protocol.js';

/**
 * A classifier whose output the test controls: a frame's feature is its mean
 * brightness (0..1) and a window's score is the mean of its 3 features, so
 * all-white windows score 1 and all-black ones 0 (threshold 0.5).
 */
export const brightnessClassifier: WindowClassifier<number> = {
  threshold: 0.5,
  embedFrames: (frames) => frames.map((f) => f.reduce((a, b) => a + b, 0) / (f.length * 255)),
  scoreWindows: (windows) => Float32Array.from(windows.map((w) => (w[0] + w[1] + w[2]) / 3)),
};

export const WHITE = new Uint8Array(FRAME_BYTES).fill(255);
export const BLACK = new Uint8Array(FRAME_BYTES);

export interface Running {
  assistant: Assistant;
  url: string;
  wsUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startAssistant(opts: Partial<AssistantOptions> = {}): Promise<Running> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lw-assistant-'));
  const assistant = await buildAssistant({
    dataDir, port: 0, classifier: brightnessClassifier as WindowClassifier, logger: () => undefined, ...opts,
  });
  const { url } = await assistant.listen();
  return {
    assistant, url, wsUrl: url.replace(/^http/, 'ws'), dataDir,
    async stop() {
      await assistant.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A protocol-speaking agent over a real WebSocket, with a queue of received messages. */
export class TestAgent {
  readonly ws: WebSocket;
  readonly received: ServerMessage[] = [];
  closeCode: number | undefined;
  private waiters: (() => void)[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(wsUrl: string) {
    this.ws = new WebSocket(`${wsUrl}/agent`);
    this.opened = new Promise((resolve, reject) => { this.ws.once('open', () => resolve()); this.ws.once('error', reject); });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => { this.closeCode = code; resolve(code); this.wake(); }));
    this.ws.on('message', (data: Buffer) => { this.received.push(decode(new Uint8Array(data), 'server') as ServerMessage); this.wake(); });
    this.ws.on('error', () => undefined);
  }

  static async connect(wsUrl: string, token?: string, lastAckedSeq = 0): Promise<TestAgent> {
    const a = new TestAgent(wsUrl);
    await a.opened;
    if (token !== undefined) {
      a.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token, agentVersion: 'test', os: 'linux', monitors: 1, lastAckedSeq, counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
      await a.next('welcome');
    }
    return a;
  }

  send(msg: AgentMessage): void {
    this.ws.send(encode(msg));
  }

  sendRaw(data: Uint8Array | string): void {
    this.ws.send(data);
  }

  frame(seq: number, rgb: Uint8Array, capturedAt = Date.now()): void {
    this.send({ type: 'frame', seq, capturedAt, rgb });
  }

  /** Wait for (and consume) the first received message of `type`. */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 5000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.received.findIndex((m) => m.type === type);
      if (i >= 0) return this.received.splice(i, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (this.closeCode !== undefined) throw new Error(`connection closed (${this.closeCode}) before ${type}; got ${JSON.stringify(this.received.map((m) => m.type))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((m) => m.type))}`);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, left); this.waiters.push(() => { clearTimeout(t); resolve(); }); });
    }
  }

  /** Wait for the highest cumulative ack to reach `seq`. */
  async ackedUpTo(seq: number): Promise<void> {
    for (;;) {
      const ack = await this.next('ack');
      if (ack.seq >= seq) return;
    }
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Log in through the API; returns the Cookie header value. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0];
}

export function until<T>(fn: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = fn();
      if (v !== undefined && v !== false) return resolve(v);
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}
