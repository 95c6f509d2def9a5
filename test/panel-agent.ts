import { createHash } from 'node:crypto';
import sharp from 'sharp';
import WebSocket from 'ws';
import { FRAME_BYTES, PROTOCOL_VERSION, decode, encode, type AgentCounters, type ServerMessage } from '../core/protocol.js';

/** A solid 50x50 RGB frame. */
export function solidFrame(r: number, g: number, b: number): Uint8Array {
  const rgb = new Uint8Array(FRAME_BYTES);
  for (let i = 0; i < FRAME_BYTES; i += 3) {
    rgb[i] = r;
    rgb[i + 1] = g;
    rgb[i + 2] = b;
  }
  return rgb;
}

/**
 * A student agent speaking the real binary protocol over a real WebSocket, with
 * the screen replaced by frames the test chooses. Answers evidence requests
 * with a full-size PNG of the frame's colour and records the pop-ups it gets.
 */
export class RawAgent {
  readonly popups: { popupId: number; text: string }[] = [];
  readonly evidenceSize = { width: 320, height: 200 };
  private seq = 0;
  private clock = Date.now();
  private sent = new Map<number, Uint8Array>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      let msg: ServerMessage;
      try {
        msg = decode(new Uint8Array(data), 'server') as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'popup') {
        this.popups.push({ popupId: msg.popupId, text: msg.text });
        this.send({ type: 'popup-shown', popupId: msg.popupId });
      } else if (msg.type === 'evidence-request') {
        void this.answerEvidence(msg.requestId, msg.seqs);
      }
    });
  }

  /** Connects to ws://HOST/agent and waits for the welcome. */
  static async connect(baseUrl: string, token: string, monitors = 1): Promise<RawAgent> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/agent`);
    const agent = new RawAgent(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => {
        agent.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token, agentVersion: 'panel-test', os: 'linux', monitors, lastAckedSeq: 0, counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
      });
      ws.on('message', function first(data: Buffer) {
        const msg = decode(new Uint8Array(data), 'server');
        if (msg.type === 'welcome') {
          ws.off('message', first);
          resolve();
        } else if (msg.type === 'error') reject(new Error(`${msg.code}: ${msg.message}`));
      });
    });
    return agent;
  }

  /** Sends one frame (one view per monitor, one after the other); capture times advance 1 s per frame, as a real agent's would. */
  frame(rgb: Uint8Array): void {
    this.seq += 1;
    this.clock += 1000;
    this.sent.set(this.seq, rgb);
    if (this.sent.size > 32) this.sent.delete(this.seq - 32);
    this.send({ type: 'frame', seq: this.seq, capturedAt: this.clock, rgb });
  }

  /** A heartbeat carrying the agent's counters (a real agent sends one every 3 s). */
  heartbeat(counters: AgentCounters): void {
    this.send({ type: 'heartbeat', sentAt: Date.now(), counters });
  }

  close(): void {
    this.ws.terminate();
  }

  private send(msg: Parameters<typeof encode>[0]): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encode(msg));
  }

  private async answerEvidence(requestId: number, seqs: number[]): Promise<void> {
    const { width, height } = this.evidenceSize;
    for (const seq of seqs) {
      const rgb = this.sent.get(seq) ?? solidFrame(0, 0, 0);
      const png = await sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
      const sha256 = createHash('sha256').update(png).digest('hex');
      this.send({ type: 'evidence', requestId, seq, mime: 'image/png', width, height, sha256, bytes: new Uint8Array(png) });
    }
  }
}
