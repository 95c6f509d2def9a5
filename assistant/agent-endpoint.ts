import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RawData, WebSocket } from 'ws';
import { isLabwatchError, lwError, type LabwatchError } from '../core/errors.js';
import {
  MAX_FRAMES_PER_SECOND, MAX_IN_FLIGHT_FRAMES, MAX_MESSAGES_PER_SECOND, PROTOCOL_VERSION,
  decode, encode, type EvidenceMessage, type ServerMessage,
} from '../core/protocol.js';
import { Monitor, type AgentLink } from './monitor.js';
import { TokenBucket } from '../core/token-bucket.js';
import type { Store } from './store/store.js';

export interface AgentEndpointOptions {
  store: Store;
  monitor: Monitor;
  now: () => number;
  authTimeoutMs: number;
  log: (line: string) => void;
  /** Called once when the connection authenticates or closes, whichever comes first. */
  onAuthSettled?: () => void;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Burst tolerance of the server's rate limits, as a multiple of the agent's own limits. */
export const ARRIVAL_SLACK = 4;
/** WebSocket close code for policy violations (RFC 6455). */
const CLOSE_POLICY = 1008;

/**
 * One agent WebSocket: hello within the auth timeout, then frames, heartbeats,
 * evidence and pop-up receipts. Anything wrong gets an `error` with a coded error
 * and closes this connection only.
 */
export function handleAgentConnection(ws: WebSocket, o: AgentEndpointOptions): void {
  let key: string | null = null;
  let closed = false;
  // Bursts are allowed ARRIVAL_SLACK times what a well-behaved agent sends: after a
  // stall (GC, a slow batch, the network) its messages arrive bunched, and back-to-back
  // in-flight windows are legal. The limits are there to stop floods, not jitter.
  const messages = new TokenBucket(ARRIVAL_SLACK * 2 * MAX_MESSAGES_PER_SECOND, MAX_MESSAGES_PER_SECOND, o.now);
  const frames = new TokenBucket(ARRIVAL_SLACK * MAX_IN_FLIGHT_FRAMES, MAX_FRAMES_PER_SECOND, o.now);
  // evidence is written asynchronously; keep its order and never close mid-write
  let evidenceChain: Promise<void> = Promise.resolve();

  const link: AgentLink = {
    send(msg: ServerMessage) {
      if (!closed && ws.readyState === ws.OPEN) ws.send(encode(msg));
    },
    fail(err: LabwatchError) {
      if (closed) return;
      link.send({ type: 'error', code: err.code, message: err.message });
      closed = true;
      ws.close(CLOSE_POLICY, err.code);
      // a peer that ignores the close handshake is cut off
      setTimeout(() => ws.terminate(), 2000).unref();
    },
  };

  let settled = false;
  const settle = () => { if (!settled) { settled = true; o.onAuthSettled?.(); } };
  const authTimer = setTimeout(() => link.fail(lwError('LABWATCH_ERR_AUTH_TIMEOUT', { ms: o.authTimeoutMs })), o.authTimeoutMs);

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (closed) return;
    try {
      onMessage(data, isBinary);
    } catch (err) {
      if (isLabwatchError(err)) link.fail(err);
      else {
        o.log(`agent connection error: ${String(err)}`);
        link.fail(lwError('LABWATCH_ERR_PROTOCOL_BAD_FIELD', { field: 'message', problem: 'could not be handled' }));
      }
    }
  });
  ws.on('error', (err) => o.log(`agent socket error: ${err.message}`));
  ws.on('close', () => {
    closed = true;
    clearTimeout(authTimer);
    settle();
    if (key) o.monitor.detach(key, link);
  });

  function onMessage(data: RawData, isBinary: boolean): void {
    if (!isBinary) throw lwError('LABWATCH_ERR_PROTOCOL_BAD_FIELD', { field: 'message', problem: 'is text; the agent protocol is binary' });
    if (!messages.take()) throw lwError('LABWATCH_ERR_PROTOCOL_RATE_LIMIT', { what: 'messages', limit: MAX_MESSAGES_PER_SECOND });
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const msg = decode(bytes, 'agent');
    if (key === null) {
      if (msg.type !== 'hello') throw lwError('LABWATCH_ERR_PROTOCOL_UNEXPECTED', { type: msg.type, when: 'before hello' });
      if (msg.protocolVersion !== PROTOCOL_VERSION) throw lwError('LABWATCH_ERR_PROTOCOL_VERSION', { found: msg.protocolVersion, expected: PROTOCOL_VERSION });
      const enrolled = o.store.people.studentByToken(msg.token);
      if (!enrolled) throw lwError('LABWATCH_ERR_AUTH_BAD_TOKEN');
      clearTimeout(authTimer);
      settle();
      key = o.monitor.attach(enrolled.exam, enrolled.student, link, msg.counters);
      return;
    }
    o.monitor.heard(key);
    switch (msg.type) {
      case 'hello':
        throw lwError('LABWATCH_ERR_PROTOCOL_UNEXPECTED', { type: 'hello', when: 'twice on one connection' });
      case 'frame':
        if (!frames.take()) throw lwError('LABWATCH_ERR_PROTOCOL_RATE_LIMIT', { what: 'frames', limit: MAX_FRAMES_PER_SECOND });
        link.send(o.monitor.frame(key, msg));
        return;
      case 'heartbeat':
        o.monitor.agentCounters(key, msg.counters);
        return;
      case 'popup-shown':
        o.monitor.popupShown(key, msg.popupId);
        return;
      case 'evidence': {
        const claim = o.monitor.claimEvidence(key, msg.requestId, msg.seq);
        checkEvidence(msg);
        const bytes = Buffer.from(msg.bytes);
        evidenceChain = evidenceChain.then(() => storeEvidence(claim, msg, bytes)).catch((err: unknown) => {
          o.log(`evidence for alert ${claim.alertId} seq ${msg.seq} not stored: ${String(err)}`);
        });
        return;
      }
    }
  }

  async function storeEvidence(
    claim: { alertId: string; exam: { id: string }; capturedAt: number },
    msg: EvidenceMessage,
    bytes: Buffer,
  ): Promise<void> {
    const dir = o.store.evidenceDir(claim.exam.id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${claim.alertId}-${msg.seq}.png`);
    await writeFile(file, bytes, { mode: 0o600 });
    o.store.alerts.addEvidence(claim.alertId, {
      seq: msg.seq, path: file, mime: msg.mime, sha256: msg.sha256, size: bytes.length,
      width: msg.width, height: msg.height, capturedAt: claim.capturedAt,
    }, o.now());
    o.monitor.evidenceStored(claim.alertId);
  }
}

/** The image must be the PNG it claims to be, of the size it claims, with the hash it claims. */
function checkEvidence(msg: EvidenceMessage): void {
  const reject = (reason: string) => lwError('LABWATCH_ERR_ASSISTANT_EVIDENCE_REJECTED', { seq: msg.seq, reason });
  const b = msg.bytes;
  if (msg.mime !== 'image/png') throw reject(`mime is ${msg.mime}, expected image/png`);
  if (b.length < 24 || PNG_SIGNATURE.some((x, i) => b[i] !== x)) throw reject('the bytes are not a PNG');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width !== msg.width || height !== msg.height) throw reject(`the PNG is ${width}x${height}, the message says ${msg.width}x${msg.height}`);
  const sha = createHash('sha256').update(b).digest('hex');
  if (sha !== msg.sha256) throw reject('its SHA-256 does not match its bytes');
}
