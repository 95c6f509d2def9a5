import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import WebSocket from 'ws';
import {
  decode,
  encode,
  frameViews,
  MAX_EVIDENCE_MESSAGE_BYTES,
  MAX_IN_FLIGHT_FRAMES,
  PROTOCOL_VERSION,
  type AgentCounters,
  type AgentMessage,
  type ServerMessage,
} from '../core/protocol.js';
import { buildBackoff, type BackoffOptions } from './backoff.js';
import type { CaptureSource } from './capture-source.js';
import { disclosureText } from './disclosure.js';
import { DEFAULT_EVIDENCE_BYTES, DEFAULT_EVIDENCE_FRAMES, EvidenceRing } from './evidence-ring.js';
import { agentSocketUrl } from './options.js';
import { DEFAULT_BUFFER_FRAMES, Outbox } from './outbox.js';
import type { Notifier } from './popup.js';
import { TokenBucket } from '../core/token-bucket.js';
import { startTicker, systemClock, type Clock, type Ticker } from './ticker.js';

export const AGENT_VERSION = '0.1.0';
/** The agent heartbeats this often (the protocol asks for every 2-5 s). */
export const DEFAULT_HEARTBEAT_MS = 3000;
/** No message at all from the assistant for this long = a dead server: reconnect. */
export const DEFAULT_DEAD_AFTER_MS = 15_000;
/** Resend pacing, below the assistant's limit (4 frames/s sustained, burst 16). */
const RESEND_BURST = 12;
const RESEND_PER_SECOND = 3;

/**
 * Error codes after which reconnecting cannot help (wrong token, another agent
 * took over this student, another protocol version): the agent stops and says why.
 */
const FATAL_CODE = /^LABWATCH_ERR_(AUTH_(BAD_TOKEN|UNKNOWN_TOKEN|TOKEN|REPLACED|EXAM)|PROTOCOL_VERSION)/;

export interface AgentLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface AgentOptions {
  /** The assistant's URL as the instructor gave it (http(s):// or ws(s)://); /agent is appended. */
  serverUrl: string;
  token: string;
  capture: CaptureSource;
  notifier: Notifier;
  intervalMs?: number;
  bufferFrames?: number;
  evidenceFrames?: number;
  evidenceBytes?: number;
  heartbeatMs?: number;
  deadAfterMs?: number;
  backoff?: BackoffOptions;
  clock?: Clock;
  logger?: AgentLogger;
  /** Reported in hello. */
  os?: string;
}

export interface AgentStats {
  captured: number;
  captureErrors: number;
  /** Capture ticks skipped because the previous capture was still running. */
  skippedTicks: number;
  /** Frame messages written to a socket, resends included. */
  framesSent: number;
  resent: number;
  acknowledged: number;
  /** Frames the bounded resend buffer had to drop during a long outage. */
  dropped: number;
  pending: number;
  connects: number;
  disconnects: number;
  evidenceSent: number;
  popupsShown: number;
  bytesSent: number;
}

export interface Agent {
  /** What the agent captures and where it sends it; the CLI prints it at start. */
  readonly disclosure: string;
  readonly stats: AgentStats;
  /** 'welcome' (WelcomeMessage), 'connected', 'disconnected' ({reason}), 'frame' ({seq, capturedAt}), 'ack' ({seq}), 'popup' ({popupId, text, method}), 'evidence' ({requestId, seq}), 'fatal' ({code, message}) */
  readonly events: EventEmitter;
  start(): void;
  /** Stop capturing but stay connected, so frames still pending can be delivered. */
  stopCapture(): void;
  /** Resolves true once every captured frame is acknowledged, false after `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
  readonly connected: boolean;
}

interface Connection {
  ws: WebSocket;
  welcomed: boolean;
  /** Seqs written on this connection and not yet acknowledged. */
  inFlight: Set<number>;
  lastHeardAt: number;
}

const stderrLogger: AgentLogger = {
  info: (m) => void process.stderr.write(`[agent ${new Date().toISOString()}] ${m}\n`),
  warn: (m) => void process.stderr.write(`[agent ${new Date().toISOString()}] WARNING ${m}\n`),
};

/**
 * The student agent: captures on a drift-free 1 s grid, sends frames (a 50x50
 * view per monitor, agent/capture-source.ts) over one WebSocket, keeps
 * unacknowledged frames in a bounded buffer and resends them after a reconnect,
 * answers evidence requests from an in-memory ring of full-size originals, and
 * shows the instructor's warnings. Nothing happens until start().
 */
export function buildAgent(options: AgentOptions): Agent {
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? stderrLogger;
  const intervalMs = options.intervalMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const deadAfterMs = options.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS;
  const evidenceFrames = options.evidenceFrames ?? DEFAULT_EVIDENCE_FRAMES;
  const url = agentSocketUrl(options.serverUrl);
  const outbox = new Outbox(options.bufferFrames ?? DEFAULT_BUFFER_FRAMES);
  const ring = new EvidenceRing(evidenceFrames, options.evidenceBytes ?? DEFAULT_EVIDENCE_BYTES);
  const backoff = buildBackoff(options.backoff);
  const bucket = new TokenBucket(RESEND_BURST, RESEND_PER_SECOND, () => clock.now());
  const events = new EventEmitter();
  const stats: AgentStats = {
    captured: 0, captureErrors: 0, skippedTicks: 0, framesSent: 0, resent: 0, acknowledged: 0, dropped: 0,
    pending: 0, connects: 0, disconnects: 0, evidenceSent: 0, popupsShown: 0, bytesSent: 0,
  };

  let conn: Connection | undefined;
  let ticker: Ticker | undefined;
  let heartbeatTimer: unknown;
  let reconnectTimer: unknown;
  let pumpTimer: unknown;
  let started = false;
  let stopped = false;
  let everWelcomed = false;
  let nextSeq = 1;
  let lastAckedSeq = 0;
  const everSent = new Set<number>();
  /** popup-shown answers for pop-ups shown while offline. */
  const unsentPopupAcks: number[] = [];
  let lastDropLogAt = -Infinity;
  let droppedSinceLog = 0;

  const send = (c: Connection, msg: AgentMessage): boolean => {
    if (c.ws.readyState !== WebSocket.OPEN) return false;
    const bytes = encode(msg);
    c.ws.send(bytes);
    stats.bytesSent += bytes.length;
    return true;
  };

  const syncCounters = () => {
    stats.pending = outbox.size;
    stats.dropped = outbox.dropped;
    stats.skippedTicks = ticker?.stats.skipped ?? stats.skippedTicks;
  };

  /** What hello and every heartbeat report, so the assistant sees losses as counts, not only as seq gaps. */
  const counters = (): AgentCounters => {
    syncCounters();
    const u32 = (n: number) => Math.min(n, 0xffff_ffff);
    return { dropped: u32(stats.dropped), skippedTicks: u32(stats.skippedTicks), captureErrors: u32(stats.captureErrors) };
  };

  // --- capture -------------------------------------------------------------

  const captureOnce = async () => {
    const capturedAt = clock.now();
    let result;
    ring.makeRoom();
    try {
      result = await options.capture.capture({ wantOriginal: evidenceFrames > 0 });
      // 1..MAX_FRAME_VIEWS whole views, checked here: a bad frame would fail to encode at every send and block the outbox
      frameViews(result.rgb);
    } catch (err) {
      result?.original?.release?.();
      stats.captureErrors += 1;
      if (stats.captureErrors === 1 || stats.captureErrors % 60 === 0) log.warn(`capture failed (${stats.captureErrors} so far): ${(err as Error).message}`);
      return;
    }
    if (stopped) return;
    const seq = nextSeq++;
    stats.captured += 1;
    const droppedNow = outbox.push({ seq, capturedAt, rgb: result.rgb });
    if (result.original) ring.add({ seq, capturedAt, original: result.original });
    if (droppedNow > 0) noteDropped(droppedNow);
    syncCounters();
    events.emit('frame', { seq, capturedAt });
    pump();
  };

  const noteDropped = (n: number) => {
    droppedSinceLog += n;
    const now = clock.now();
    if (now - lastDropLogAt >= 10_000) {
      log.warn(
        `offline too long: the resend buffer (${outbox.limit} frames) is full; dropped ${droppedSinceLog} oldest frame(s) ` +
          `in the last ${lastDropLogAt === -Infinity ? 'moment' : `${Math.round((now - lastDropLogAt) / 1000)} s`}, ${outbox.dropped} in total. ` +
          'The count goes to the assistant with the next heartbeat.',
      );
      lastDropLogAt = now;
      droppedSinceLog = 0;
    }
  };

  // --- sending -------------------------------------------------------------

  /** Write pending frames, oldest first, within the in-flight window and the resend pace. */
  const pump = () => {
    const c = conn;
    if (!c || !c.welcomed || stopped) return;
    for (const frame of outbox.pending()) {
      if (c.inFlight.size >= MAX_IN_FLIGHT_FRAMES) return;
      if (c.inFlight.has(frame.seq)) continue;
      if (!bucket.take()) {
        if (pumpTimer === undefined) {
          pumpTimer = clock.setTimeout(() => {
            pumpTimer = undefined;
            pump();
          }, bucket.waitMs());
        }
        return;
      }
      if (!send(c, { type: 'frame', seq: frame.seq, capturedAt: frame.capturedAt, rgb: frame.rgb })) return;
      c.inFlight.add(frame.seq);
      stats.framesSent += 1;
      if (everSent.has(frame.seq)) stats.resent += 1;
      else everSent.add(frame.seq);
    }
  };

  const acknowledge = (c: Connection, seq: number, cumulative: boolean) => {
    const before = outbox.size;
    if (cumulative) {
      outbox.ackUpTo(seq);
      for (const s of c.inFlight) if (s <= seq) c.inFlight.delete(s);
      for (const s of everSent) if (s <= seq) everSent.delete(s);
      lastAckedSeq = Math.max(lastAckedSeq, seq);
    } else {
      outbox.ack(seq);
      c.inFlight.delete(seq);
      everSent.delete(seq);
    }
    stats.acknowledged += before - outbox.size;
    syncCounters();
    events.emit('ack', { seq, cumulative });
    pump();
  };

  // --- connection ----------------------------------------------------------

  const connect = () => {
    if (stopped) return;
    const ws = new WebSocket(url, { maxPayload: MAX_EVIDENCE_MESSAGE_BYTES, perMessageDeflate: false, handshakeTimeout: deadAfterMs });
    const c: Connection = { ws, welcomed: false, inFlight: new Set(), lastHeardAt: clock.now() };
    conn = c;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => {
      c.lastHeardAt = clock.now();
      send(c, {
        type: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        token: options.token,
        agentVersion: AGENT_VERSION,
        os: options.os ?? `${os.platform()} ${os.release()}`,
        monitors: Math.min(64, Math.max(0, options.capture.monitors)),
        lastAckedSeq,
        counters: counters(),
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      c.lastHeardAt = clock.now();
      if (!isBinary) return;
      let msg: ServerMessage;
      try {
        msg = decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 'server') as ServerMessage;
      } catch (err) {
        log.warn(`ignored a malformed message from the assistant: ${(err as Error).message}`);
        return;
      }
      onMessage(c, msg);
    });
    ws.on('error', (err) => {
      if (conn === c && !c.welcomed && stats.connects === 0 && backoff.attempts <= 1) log.warn(`cannot reach ${url}: ${err.message}; retrying`);
    });
    ws.on('close', (code, reason) => {
      // An assistant of another protocol version answers with an `error` this agent
      // cannot decode; the close reason still carries its code.
      const why = reason.toString();
      if (!stopped && conn === c && FATAL_CODE.test(why)) {
        log.warn(`the assistant closed the connection: ${why}`);
        events.emit('fatal', { code: why, message: `closed by the assistant (${why})` });
        void agent.stop();
      }
      onClose(c, `${code}${why.length ? ` ${why}` : ''}`);
    });
  };

  const onMessage = (c: Connection, msg: ServerMessage) => {
    switch (msg.type) {
      case 'welcome': {
        if (!everWelcomed && msg.lastAckedSeq > 0) renumberAfter(msg.lastAckedSeq);
        everWelcomed = true;
        c.welcomed = true;
        stats.connects += 1;
        backoff.reset();
        if (nextSeq <= msg.lastAckedSeq) nextSeq = msg.lastAckedSeq + 1;
        acknowledge(c, msg.lastAckedSeq, true);
        log.info(
          `connected to ${url} as ${msg.name} ${msg.surname} (${msg.studentId}), exam "${msg.examName}"; ` +
            `${outbox.size} frame(s) to (re)send, ${outbox.dropped} dropped so far`,
        );
        events.emit('welcome', msg);
        events.emit('connected');
        for (const popupId of unsentPopupAcks.splice(0)) send(c, { type: 'popup-shown', popupId });
        pump();
        break;
      }
      case 'ack':
        acknowledge(c, msg.seq, msg.cumulative);
        break;
      case 'server-heartbeat':
        break;
      case 'popup':
        void showPopup(msg.popupId, msg.text);
        break;
      case 'evidence-request':
        void sendEvidence(c, msg.requestId, msg.seqs);
        break;
      case 'error':
        log.warn(`the assistant refused: ${msg.code}: ${msg.message}`);
        if (FATAL_CODE.test(msg.code)) {
          events.emit('fatal', { code: msg.code, message: msg.message });
          void agent.stop();
        }
        break;
    }
  };

  /**
   * A fresh agent numbers captures from 1 before it knows where the assistant
   * stopped (an earlier run of the agent may have sent seqs 1..N); shift what it
   * captured meanwhile past N so those frames are not mistaken for duplicates.
   */
  const renumberAfter = (offset: number) => {
    const frames = outbox.pending();
    for (const f of frames) outbox.ack(f.seq);
    for (const f of frames) outbox.push({ ...f, seq: f.seq + offset });
    ring.renumber(offset);
    everSent.clear();
    nextSeq += offset;
  };

  const onClose = (c: Connection, reason: string) => {
    if (conn !== c) return;
    conn = undefined;
    if (c.welcomed) {
      stats.disconnects += 1;
      if (!stopped) log.warn(`connection to ${url} lost (${reason}); ${outbox.size} unacknowledged frame(s) kept for resending`);
      events.emit('disconnected', { reason });
    }
    if (stopped) return;
    const delay = backoff.next();
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delay);
  };

  const heartbeat = () => {
    heartbeatTimer = clock.setTimeout(heartbeat, heartbeatMs);
    const c = conn;
    if (!c) return;
    if (clock.now() - c.lastHeardAt > deadAfterMs) {
      log.warn(`no word from the assistant for ${Math.round((clock.now() - c.lastHeardAt) / 1000)} s; reconnecting`);
      c.ws.terminate();
      return;
    }
    if (c.welcomed) send(c, { type: 'heartbeat', sentAt: clock.now(), counters: counters() });
  };

  // --- evidence and pop-ups ------------------------------------------------

  /** Originals are encoded only now; every encode starts at once, so an eviction meanwhile cannot recycle its pixels. */
  const sendEvidence = async (c: Connection, requestId: number, seqs: number[]) => {
    // settled at once: a failure of a later one while an earlier one is awaited must not go unhandled
    const jobs = ring.find(seqs).map((h) => ({
      seq: h.seq, original: h.original,
      png: h.original.png().then((bytes) => ({ bytes }), (err: Error) => ({ err })),
    }));
    for (const { seq, original, png: encoding } of jobs) {
      const result = await encoding;
      if (!('bytes' in result)) {
        log.warn(`could not encode the original of frame ${seq} as evidence: ${result.err.message}`);
        continue;
      }
      const png = result.bytes;
      const sha256 = createHash('sha256').update(png).digest('hex');
      if (send(c, { type: 'evidence', requestId, seq, mime: 'image/png', width: original.width, height: original.height, sha256, bytes: png })) {
        stats.evidenceSent += 1;
        events.emit('evidence', { requestId, seq });
      }
    }
  };

  const showPopup = async (popupId: number, text: string) => {
    let method = 'terminal';
    try {
      method = (await options.notifier.show(text)).method;
    } catch (err) {
      log.warn(`could not show the instructor's message (${(err as Error).message}): ${text}`);
    }
    stats.popupsShown += 1;
    events.emit('popup', { popupId, text, method });
    const c = conn;
    if (!c || !c.welcomed || !send(c, { type: 'popup-shown', popupId })) unsentPopupAcks.push(popupId);
  };

  const agent: Agent = {
    disclosure: disclosureText({ serverUrl: options.serverUrl, intervalMs, evidenceFrames }),
    stats,
    events,
    get connected() {
      return conn?.welcomed === true;
    },
    start() {
      if (started) return;
      started = true;
      ticker = startTicker(intervalMs, captureOnce, clock);
      heartbeatTimer = clock.setTimeout(heartbeat, heartbeatMs);
      connect();
    },
    stopCapture() {
      ticker?.stop();
      syncCounters();
    },
    flush(timeoutMs) {
      if (outbox.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const onAck = () => {
          if (outbox.size > 0) return;
          clearTimeout(timer);
          events.off('ack', onAck);
          resolve(true);
        };
        const timer = setTimeout(() => {
          events.off('ack', onAck);
          resolve(outbox.size === 0);
        }, timeoutMs);
        events.on('ack', onAck);
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      ticker?.stop();
      syncCounters();
      for (const t of [heartbeatTimer, reconnectTimer, pumpTimer]) if (t !== undefined) clock.clearTimeout(t);
      options.notifier.close();
      const c = conn;
      if (c && c.ws.readyState !== WebSocket.CLOSED) {
        const closed = new Promise<void>((r) => c.ws.once('close', () => r()));
        c.ws.close(1000, 'agent stopped');
        const timer = setTimeout(() => c.ws.terminate(), 1000);
        await closed;
        clearTimeout(timer);
      }
      ring.clear();
      await options.capture.close?.();
    },
  };
  return agent;
}
