import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { lwError, type LabwatchError } from './errors.js';

/**
 * The agent wire protocol (docs/protocol.md). One WebSocket binary message carries
 * one protocol message:
 *
 *   byte 0      protocol version (PROTOCOL_VERSION)
 *   byte 1      message type (MESSAGE_TYPES)
 *   bytes 2..   the type's fields in a fixed order: integers and floats little-endian,
 *               strings as u16 byte length + UTF-8, byte blobs as u32 length + bytes,
 *               a frame's pixels as a u8 view count, then per view a u8 encoding
 *               (VIEW_ENCODING) and either FRAME_BYTES raw bytes or a u16 length +
 *               raw DEFLATE data that inflates to exactly FRAME_BYTES.
 *
 * `decode` treats its input as hostile: every length is checked against the bytes
 * that are really there and against the field's limit *before* anything is read,
 * blobs come back as views (nothing is allocated from a claimed length), and the
 * only thing it throws is a LabwatchError coded LABWATCH_ERR_PROTOCOL_*.
 */
export const PROTOCOL_VERSION = 3;

/** 50x50 RGB HWC uint8, the model input (models/preprocess.ts FRAME_BYTES); repeated here so the protocol needs no sharp. */
export const FRAME_BYTES = 7500;
/**
 * Views one frame may carry: one per monitor, each shrunk to 50x50 on its own
 * (two wide monitors squeezed into one 50x50 image leave a chat window a few
 * pixels wide). An agent with more monitors sends the whole desktop as one view.
 */
export const MAX_FRAME_VIEWS = 4;
/** How a view travels: as it is, or DEFLATE-compressed (the agent picks the smaller). */
export const VIEW_ENCODING = { raw: 0, deflate: 1 } as const;
/** Any message but `evidence` is at most this long (the largest, a frame of MAX_FRAME_VIEWS raw views, is 30,019 bytes). */
export const MAX_MESSAGE_BYTES = 32 * 1024;
/** A full-size screenshot (PNG) sent as evidence: 8 MiB holds a PNG of several 4K monitors of code. */
export const MAX_EVIDENCE_BYTES = 8 * 1024 * 1024;
/** Whole `evidence` message: the image plus its fixed fields and mime string. */
export const MAX_EVIDENCE_MESSAGE_BYTES = MAX_EVIDENCE_BYTES + 1024;
/** Largest evidence image side in pixels (same bound as preprocessing's MAX_SCREEN_SIDE). */
export const MAX_EVIDENCE_SIDE = 16_384;
/** Frames an agent may send per second, sustained (it captures one per second; the slack is for clock jitter). */
export const MAX_FRAMES_PER_SECOND = 4;
/**
 * Frames an agent may have sent and not yet seen acknowledged. Also the burst the
 * server's rate limiter tolerates, so an agent resending after a reconnect stays legal.
 */
export const MAX_IN_FLIGHT_FRAMES = 16;
/** Any message, sustained per second per connection (frames, heartbeats, evidence...). */
export const MAX_MESSAGES_PER_SECOND = 20;
/** Seqs one `evidence-request` may name. */
export const MAX_EVIDENCE_SEQS = 16;
/** Monitors an agent can report. */
export const MAX_MONITORS = 64;

/** Longest UTF-8 byte length of each string field. */
export const MAX_STRING_BYTES = {
  token: 256,
  agentVersion: 64,
  os: 256,
  mime: 64,
  name: 256,
  surname: 256,
  studentId: 128,
  examName: 256,
  popupText: 2000,
  errorCode: 64,
  errorMessage: 4096,
} as const;
export type StringField = keyof typeof MAX_STRING_BYTES;

// --- messages --------------------------------------------------------------

/**
 * What an agent reports about itself, in `hello` and in every `heartbeat`: u32
 * totals since the agent process started (a restarted agent starts again at 0).
 */
export interface AgentCounters {
  /** Frames the bounded resend buffer dropped, unacknowledged, during a long outage. */
  dropped: number;
  /** Capture ticks skipped because the previous capture was still running. */
  skippedTicks: number;
  /** Captures that failed. */
  captureErrors: number;
}

/** agent -> server, first message on a connection (within the server's auth timeout). */
export interface HelloMessage {
  type: 'hello';
  protocolVersion: number;
  token: string;
  agentVersion: string;
  os: string;
  monitors: number;
  /** Highest seq the agent saw acknowledged (0 = none; seqs start at 1). */
  lastAckedSeq: number;
  counters: AgentCounters;
}
/** agent -> server, one capture: a 50x50 RGB view per monitor. */
export interface FrameMessage {
  type: 'frame';
  /** u32, starts at 1, +1 per capture; the server ignores seqs it already has. */
  seq: number;
  /** Capture time, ms since the Unix epoch (f64). */
  capturedAt: number;
  /**
   * 1..MAX_FRAME_VIEWS views of FRAME_BYTES each, one after the other, monitors
   * left to right (`frameViews` splits them). One view = one monitor (or the
   * whole desktop of more than MAX_FRAME_VIEWS monitors).
   */
  rgb: Uint8Array;
}
/** agent -> server every few seconds: proves the agent is alive and carries its counters. Not answered. */
export interface HeartbeatMessage {
  type: 'heartbeat';
  sentAt: number;
  counters: AgentCounters;
}
/** server -> agent every few seconds: proves the server is alive. Not answered. */
export interface ServerHeartbeatMessage {
  type: 'server-heartbeat';
  sentAt: number;
}
/** agent -> server, the full-size original of a frame, answering an `evidence-request`. */
export interface EvidenceMessage {
  type: 'evidence';
  requestId: number;
  seq: number;
  mime: string;
  width: number;
  height: number;
  /** SHA-256 of `bytes`, 64 lowercase hex characters (32 raw bytes on the wire). */
  sha256: string;
  bytes: Uint8Array;
}
/** agent -> server, the pop-up `popupId` is on the student's screen. */
export interface PopupShownMessage {
  type: 'popup-shown';
  popupId: number;
}
/** server -> agent, answer to a valid `hello`. */
export interface WelcomeMessage {
  type: 'welcome';
  name: string;
  surname: string;
  studentId: string;
  examName: string;
  captureIntervalMs: number;
  /** Highest seq the server has; the agent resends anything after it and continues from it. */
  lastAckedSeq: number;
}
/** server -> agent: frame `seq` is safe; `cumulative` = every seq up to it too. */
export interface AckMessage {
  type: 'ack';
  seq: number;
  cumulative: boolean;
}
/** server -> agent: show `text` to the student, answer with `popup-shown`. */
export interface PopupMessage {
  type: 'popup';
  popupId: number;
  text: string;
}
/** server -> agent: send the full-size originals of these seqs as `evidence`. */
export interface EvidenceRequestMessage {
  type: 'evidence-request';
  requestId: number;
  seqs: number[];
}
/** server -> agent, then the server closes the connection. */
export interface ErrorMessage {
  type: 'error';
  code: string;
  message: string;
}

export type AgentMessage = HelloMessage | FrameMessage | HeartbeatMessage | EvidenceMessage | PopupShownMessage;
export type ServerMessage = WelcomeMessage | AckMessage | ServerHeartbeatMessage | PopupMessage | EvidenceRequestMessage | ErrorMessage;
export type Message = AgentMessage | ServerMessage;
export type MessageType = Message['type'];
export type Sender = 'agent' | 'server';

export const MESSAGE_TYPES = {
  hello: 0x01,
  frame: 0x02,
  heartbeat: 0x03,
  evidence: 0x04,
  'popup-shown': 0x05,
  welcome: 0x81,
  ack: 0x82,
  'server-heartbeat': 0x83,
  popup: 0x84,
  'evidence-request': 0x85,
  error: 0x86,
} as const satisfies Record<MessageType, number>;

const TYPE_BY_CODE = new Map<number, MessageType>(
  Object.entries(MESSAGE_TYPES).map(([name, code]) => [code, name as MessageType]),
);
const SENT_BY: Record<MessageType, readonly Sender[]> = {
  hello: ['agent'], frame: ['agent'], heartbeat: ['agent'], evidence: ['agent'], 'popup-shown': ['agent'],
  welcome: ['server'], ack: ['server'], 'server-heartbeat': ['server'], popup: ['server'], 'evidence-request': ['server'], error: ['server'],
};

// --- encoding --------------------------------------------------------------

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const U32_MAX = 0xffff_ffff;

class Writer {
  private parts: { size: number; write: (view: DataView, bytes: Uint8Array, at: number) => void }[] = [];
  private size = 0;
  private add(size: number, write: (view: DataView, bytes: Uint8Array, at: number) => void): this {
    this.parts.push({ size, write });
    this.size += size;
    return this;
  }
  u8(n: number) { return this.add(1, (v, _b, at) => v.setUint8(at, n)); }
  u16(n: number) { return this.add(2, (v, _b, at) => v.setUint16(at, n, true)); }
  u32(n: number) { return this.add(4, (v, _b, at) => v.setUint32(at, n, true)); }
  f64(n: number) { return this.add(8, (v, _b, at) => v.setFloat64(at, n, true)); }
  raw(data: Uint8Array) { return this.add(data.length, (_v, b, at) => b.set(data, at)); }
  string(field: StringField, s: string) {
    const data = utf8.encode(s);
    if (data.length > MAX_STRING_BYTES[field]) {
      throw fieldError(field, `${data.length} UTF-8 bytes, the limit is ${MAX_STRING_BYTES[field]}`);
    }
    return this.u16(data.length).raw(data);
  }
  blob(data: Uint8Array) { return this.u32(data.length).raw(data); }
  counters(c: AgentCounters) {
    // a caller outside TypeScript's reach (or a cast) must get a coded error, not a TypeError
    if (typeof c !== 'object' || c === null) throw fieldError('counters', `is ${String(c)}, expected {dropped, skippedTicks, captureErrors}`);
    return this.u32(checkInt('dropped', c.dropped, U32_MAX)).u32(checkInt('skippedTicks', c.skippedTicks, U32_MAX))
      .u32(checkInt('captureErrors', c.captureErrors, U32_MAX));
  }
  finish(): Uint8Array {
    const bytes = new Uint8Array(this.size);
    const view = new DataView(bytes.buffer);
    let at = 0;
    for (const p of this.parts) { p.write(view, bytes, at); at += p.size; }
    return bytes;
  }
}

/** Encode a message. Throws LABWATCH_ERR_PROTOCOL_BAD_FIELD when a field breaks a limit (a bug in the sender). */
export function encode(msg: Message): Uint8Array {
  const w = new Writer().u8(PROTOCOL_VERSION).u8(MESSAGE_TYPES[msg.type]);
  switch (msg.type) {
    case 'hello':
      w.u16(checkInt('protocolVersion', msg.protocolVersion, 0xffff)).string('token', msg.token)
        .string('agentVersion', msg.agentVersion).string('os', msg.os)
        .u8(checkInt('monitors', msg.monitors, MAX_MONITORS)).u32(checkInt('lastAckedSeq', msg.lastAckedSeq, U32_MAX))
        .counters(msg.counters);
      break;
    case 'frame': {
      const views = frameViews(msg.rgb, (problem) => fieldError('rgb', problem));
      w.u32(checkInt('seq', msg.seq, U32_MAX)).f64(checkTime('capturedAt', msg.capturedAt)).u8(views.length);
      for (const v of views) {
        const packed = deflateRawSync(v);
        if (packed.length < FRAME_BYTES - 2) w.u8(VIEW_ENCODING.deflate).u16(packed.length).raw(packed);
        else w.u8(VIEW_ENCODING.raw).raw(v);
      }
      break;
    }
    case 'heartbeat':
      w.f64(checkTime('sentAt', msg.sentAt)).counters(msg.counters);
      break;
    case 'server-heartbeat':
      w.f64(checkTime('sentAt', msg.sentAt));
      break;
    case 'evidence':
      if (msg.bytes.length > MAX_EVIDENCE_BYTES) throw fieldError('bytes', `${msg.bytes.length} bytes, the limit is ${MAX_EVIDENCE_BYTES}`);
      w.u32(checkInt('requestId', msg.requestId, U32_MAX)).u32(checkInt('seq', msg.seq, U32_MAX)).string('mime', msg.mime)
        .u32(checkInt('width', msg.width, MAX_EVIDENCE_SIDE)).u32(checkInt('height', msg.height, MAX_EVIDENCE_SIDE))
        .raw(hexToBytes(msg.sha256)).blob(msg.bytes);
      break;
    case 'popup-shown':
      w.u32(checkInt('popupId', msg.popupId, U32_MAX));
      break;
    case 'welcome':
      w.string('name', msg.name).string('surname', msg.surname).string('studentId', msg.studentId)
        .string('examName', msg.examName).u32(checkInt('captureIntervalMs', msg.captureIntervalMs, U32_MAX))
        .u32(checkInt('lastAckedSeq', msg.lastAckedSeq, U32_MAX));
      break;
    case 'ack':
      w.u32(checkInt('seq', msg.seq, U32_MAX)).u8(msg.cumulative ? 1 : 0);
      break;
    case 'popup':
      w.u32(checkInt('popupId', msg.popupId, U32_MAX)).string('popupText', msg.text);
      break;
    case 'evidence-request':
      if (msg.seqs.length > MAX_EVIDENCE_SEQS) throw fieldError('seqs', `${msg.seqs.length} seqs, the limit is ${MAX_EVIDENCE_SEQS}`);
      w.u32(checkInt('requestId', msg.requestId, U32_MAX)).u8(msg.seqs.length);
      for (const s of msg.seqs) w.u32(checkInt('seqs', s, U32_MAX));
      break;
    case 'error':
      w.string('errorCode', msg.code).string('errorMessage', truncateUtf8(msg.message, MAX_STRING_BYTES.errorMessage));
      break;
    default: {
      const never: never = msg;
      throw lwError('LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE', { type: String((never as { type: unknown }).type), sender: 'this side' });
    }
  }
  return w.finish();
}

// --- decoding --------------------------------------------------------------

class Reader {
  private at = 2;
  constructor(private readonly bytes: Uint8Array, private readonly view: DataView) {}
  private need(n: number, field: string): number {
    if (n > this.bytes.length - this.at) throw lwError('LABWATCH_ERR_PROTOCOL_TRUNCATED', { field, need: n, have: this.bytes.length - this.at });
    const start = this.at;
    this.at += n;
    return start;
  }
  u8(field: string) { return this.view.getUint8(this.need(1, field)); }
  u16(field: string) { return this.view.getUint16(this.need(2, field), true); }
  u32(field: string) { return this.view.getUint32(this.need(4, field), true); }
  f64(field: string) { return this.view.getFloat64(this.need(8, field), true); }
  raw(n: number, field: string) { const start = this.need(n, field); return this.bytes.subarray(start, start + n); }
  string(field: StringField): string {
    const n = this.u16(field);
    if (n > MAX_STRING_BYTES[field]) throw fieldError(field, `claims ${n} bytes, the limit is ${MAX_STRING_BYTES[field]}`);
    try {
      return strictUtf8.decode(this.raw(n, field));
    } catch (err) {
      if (err instanceof Error && 'code' in err && String(err.code).startsWith('LABWATCH_')) throw err;
      throw fieldError(field, 'is not valid UTF-8');
    }
  }
  blob(field: string, max: number): Uint8Array {
    const n = this.u32(field);
    if (n > max) throw lwError('LABWATCH_ERR_PROTOCOL_TOO_LARGE', { what: field, size: n, limit: max });
    return this.raw(n, field);
  }
  counters(): AgentCounters {
    const dropped = this.u32('dropped');
    const skippedTicks = this.u32('skippedTicks');
    return { dropped, skippedTicks, captureErrors: this.u32('captureErrors') };
  }
  end(type: string) {
    if (this.at !== this.bytes.length) throw fieldError(type, `${this.bytes.length - this.at} unexpected byte(s) after the last field`);
  }
}

/**
 * Decode one message. `from` restricts which side may have sent it (the server
 * decodes with 'agent'). Throws only LabwatchErrors coded LABWATCH_ERR_PROTOCOL_*.
 */
export function decode(input: Uint8Array, from?: Sender): Message {
  try {
    return decodeUnchecked(input, from);
  } catch (err) {
    if (isProtocolError(err)) throw err;
    // Defence in depth: a decoder bug must still surface as a coded protocol error.
    throw lwError('LABWATCH_ERR_PROTOCOL_BAD_FIELD', { field: 'message', problem: `could not be decoded (${String(err)})` }, err);
  }
}

function decodeUnchecked(input: Uint8Array, from?: Sender): Message {
  if (!(input instanceof Uint8Array)) throw fieldError('message', 'is not binary');
  if (input.length > MAX_EVIDENCE_MESSAGE_BYTES) {
    throw lwError('LABWATCH_ERR_PROTOCOL_TOO_LARGE', { what: 'message', size: input.length, limit: MAX_EVIDENCE_MESSAGE_BYTES });
  }
  if (input.length < 2) throw lwError('LABWATCH_ERR_PROTOCOL_TRUNCATED', { field: 'header', need: 2, have: input.length });
  if (input[0] !== PROTOCOL_VERSION) throw lwError('LABWATCH_ERR_PROTOCOL_VERSION', { found: input[0], expected: PROTOCOL_VERSION });
  const type = TYPE_BY_CODE.get(input[1]);
  if (type === undefined) throw lwError('LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE', { type: `0x${input[1].toString(16).padStart(2, '0')}`, sender: from ?? 'either side' });
  if (from !== undefined && !SENT_BY[type].includes(from)) throw lwError('LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE', { type, sender: `the ${from}` });
  if (type !== 'evidence' && input.length > MAX_MESSAGE_BYTES) {
    throw lwError('LABWATCH_ERR_PROTOCOL_TOO_LARGE', { what: `${type} message`, size: input.length, limit: MAX_MESSAGE_BYTES });
  }
  const r = new Reader(input, new DataView(input.buffer, input.byteOffset, input.byteLength));
  const msg = decodeBody(type, r);
  r.end(type);
  return msg;
}

function decodeBody(type: MessageType, r: Reader): Message {
  switch (type) {
    case 'hello': {
      const protocolVersion = r.u16('protocolVersion');
      const token = r.string('token');
      const agentVersion = r.string('agentVersion');
      const os = r.string('os');
      const monitors = r.u8('monitors');
      if (monitors > MAX_MONITORS) throw fieldError('monitors', `${monitors}, the limit is ${MAX_MONITORS}`);
      const lastAckedSeq = r.u32('lastAckedSeq');
      return { type, protocolVersion, token, agentVersion, os, monitors, lastAckedSeq, counters: r.counters() };
    }
    case 'frame': {
      const seq = r.u32('seq');
      const capturedAt = readTime(r, 'capturedAt');
      const count = r.u8('views');
      if (count < 1 || count > MAX_FRAME_VIEWS) throw fieldError('views', `claims ${count} views, expected 1..${MAX_FRAME_VIEWS}`);
      const rgb = new Uint8Array(count * FRAME_BYTES);
      for (let i = 0; i < count; i++) rgb.set(readView(r, i), i * FRAME_BYTES);
      return { type, seq, capturedAt, rgb };
    }
    case 'heartbeat': {
      const sentAt = readTime(r, 'sentAt');
      return { type, sentAt, counters: r.counters() };
    }
    case 'server-heartbeat':
      return { type, sentAt: readTime(r, 'sentAt') };
    case 'evidence': {
      const requestId = r.u32('requestId');
      const seq = r.u32('seq');
      const mime = r.string('mime');
      const width = r.u32('width');
      const height = r.u32('height');
      if (width > MAX_EVIDENCE_SIDE || height > MAX_EVIDENCE_SIDE) throw fieldError('width/height', `${width}x${height}, the limit is ${MAX_EVIDENCE_SIDE} per side`);
      const sha256 = bytesToHex(r.raw(32, 'sha256'));
      return { type, requestId, seq, mime, width, height, sha256, bytes: r.blob('bytes', MAX_EVIDENCE_BYTES) };
    }
    case 'popup-shown':
      return { type, popupId: r.u32('popupId') };
    case 'welcome': {
      const name = r.string('name');
      const surname = r.string('surname');
      const studentId = r.string('studentId');
      const examName = r.string('examName');
      const captureIntervalMs = r.u32('captureIntervalMs');
      return { type, name, surname, studentId, examName, captureIntervalMs, lastAckedSeq: r.u32('lastAckedSeq') };
    }
    case 'ack': {
      const seq = r.u32('seq');
      const flag = r.u8('cumulative');
      if (flag > 1) throw fieldError('cumulative', `is ${flag}, expected 0 or 1`);
      return { type, seq, cumulative: flag === 1 };
    }
    case 'popup': {
      const popupId = r.u32('popupId');
      return { type, popupId, text: r.string('popupText') };
    }
    case 'evidence-request': {
      const requestId = r.u32('requestId');
      const count = r.u8('seqs');
      if (count > MAX_EVIDENCE_SEQS) throw fieldError('seqs', `claims ${count} seqs, the limit is ${MAX_EVIDENCE_SEQS}`);
      const seqs: number[] = [];
      for (let i = 0; i < count; i++) seqs.push(r.u32('seqs'));
      return { type, requestId, seqs };
    }
    case 'error': {
      const code = r.string('errorCode');
      return { type, code, message: r.string('errorMessage') };
    }
  }
}

// --- helpers ---------------------------------------------------------------

/** The order of a frame's views: monitors left to right (by x, then y), as the agent sends them. */
export const viewOrder = (a: { x: number; y: number }, b: { x: number; y: number }): number => a.x - b.x || a.y - b.y;

/**
 * A frame's views (subarrays, no copy). `problem` builds the error for a length
 * that is not 1..MAX_FRAME_VIEWS whole views.
 */
export function frameViews(rgb: Uint8Array, problem: (what: string) => Error = (what) => fieldError('rgb', what)): Uint8Array[] {
  const count = rgb.length / FRAME_BYTES;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FRAME_VIEWS) {
    throw problem(`${rgb.length} bytes, a frame is 1..${MAX_FRAME_VIEWS} views of ${FRAME_BYTES}`);
  }
  return Array.from({ length: count }, (_, i) => rgb.subarray(i * FRAME_BYTES, (i + 1) * FRAME_BYTES));
}

function readView(r: Reader, i: number): Uint8Array {
  const field = `views[${i}]`;
  const encoding = r.u8(field);
  if (encoding === VIEW_ENCODING.raw) return r.raw(FRAME_BYTES, field);
  if (encoding !== VIEW_ENCODING.deflate) throw fieldError(field, `has encoding ${encoding}, expected ${VIEW_ENCODING.raw} (raw) or ${VIEW_ENCODING.deflate} (deflate)`);
  const n = r.u16(field);
  if (n >= FRAME_BYTES) throw fieldError(field, `claims ${n} compressed bytes, more than the ${FRAME_BYTES} of a raw view`);
  const packed = r.raw(n, field);
  let out: Buffer;
  try {
    // the bound stops a small "zip bomb" from inflating to megabytes
    out = inflateRawSync(packed, { maxOutputLength: FRAME_BYTES });
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? `inflates to more than ${FRAME_BYTES} bytes` : 'is not valid DEFLATE data';
    throw fieldError(field, why);
  }
  if (out.length !== FRAME_BYTES) throw fieldError(field, `inflates to ${out.length} bytes, a view is exactly ${FRAME_BYTES}`);
  return out;
}

function fieldError(field: string, problem: string): LabwatchError {
  return lwError('LABWATCH_ERR_PROTOCOL_BAD_FIELD', { field, problem });
}

function isProtocolError(err: unknown): err is LabwatchError {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('LABWATCH_ERR_PROTOCOL_');
}

function checkInt(field: string, n: number, max: number): number {
  if (!Number.isInteger(n) || n < 0 || n > max) throw fieldError(field, `is ${n}, expected an integer in 0..${max}`);
  return n;
}

function checkTime(field: string, t: number): number {
  if (!Number.isFinite(t)) throw fieldError(field, `is ${t}, expected finite milliseconds`);
  return t;
}

function readTime(r: Reader, field: string): number {
  const t = r.f64(field);
  if (!Number.isFinite(t)) throw fieldError(field, `is ${t}, expected finite milliseconds`);
  return t;
}

function hexToBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw fieldError('sha256', 'must be 64 lowercase hex characters');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Cut a string to at most `max` UTF-8 bytes without splitting a character (error messages may quote long input). */
function truncateUtf8(s: string, max: number): string {
  if (utf8.encode(s).length <= max) return s;
  let out = '';
  let size = 0;
  for (const ch of s) {
    const n = utf8.encode(ch).length;
    if (size + n > max - 3) break;
    out += ch;
    size += n;
  }
  return `${out}...`;
}
