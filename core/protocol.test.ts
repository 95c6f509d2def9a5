import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLabwatchError } from './errors.js';
import {
  FRAME_BYTES, MAX_EVIDENCE_BYTES, MAX_FRAME_VIEWS, MAX_MESSAGE_BYTES, MAX_STRING_BYTES, MESSAGE_TYPES, PROTOCOL_VERSION, VIEW_ENCODING,
  decode, encode, frameViews, type Message,
} from './protocol.js';
import { deflateRawSync } from 'node:zlib';

const rgb = Uint8Array.from({ length: FRAME_BYTES }, (_, i) => (i * 7) & 0xff);
const png = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff);
const sha = createHash('sha256').update(png).digest('hex');

const samples: Message[] = [
  {
    type: 'hello', protocolVersion: PROTOCOL_VERSION, token: 'tok-ÄÖ-😀', agentVersion: '0.1.0', os: 'linux x64', monitors: 2, lastAckedSeq: 41,
    counters: { dropped: 3, skippedTicks: 0, captureErrors: 4_294_967_295 },
  },
  { type: 'frame', seq: 4_000_000_000, capturedAt: 1_763_800_000_123.5, rgb },
  // two monitors: one view compresses (flat colour), the other does not (noise)
  { type: 'frame', seq: 5, capturedAt: 1_763_800_000_124, rgb: Uint8Array.from({ length: 2 * FRAME_BYTES }, (_, i) => (i < FRAME_BYTES ? 40 : (i * 2654435761) >>> 24)) },
  { type: 'heartbeat', sentAt: 1_763_800_000_000, counters: { dropped: 120, skippedTicks: 7, captureErrors: 1 } },
  { type: 'evidence', requestId: 7, seq: 42, mime: 'image/png', width: 3840, height: 1080, sha256: sha, bytes: png },
  { type: 'popup-shown', popupId: 3 },
  { type: 'welcome', name: 'Zoë', surname: 'Fernández', studentId: 'UO123456', examName: 'Programming II — June', captureIntervalMs: 1000, lastAckedSeq: 41 },
  { type: 'ack', seq: 42, cumulative: true },
  { type: 'ack', seq: 40, cumulative: false },
  { type: 'popup', popupId: 3, text: 'Please close the browser.' },
  { type: 'evidence-request', requestId: 7, seqs: [40, 41, 42] },
  { type: 'evidence-request', requestId: 8, seqs: [] },
  { type: 'error', code: 'LABWATCH_ERR_AUTH_BAD_TOKEN', message: 'no' },
  { type: 'server-heartbeat', sentAt: 1_763_800_000_500 },
];
const serverHeartbeat = samples[samples.length - 1];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!isLabwatchError(err)) throw new Error(`not a coded error: ${String(err)}`);
    return err.code;
  }
  return 'no error';
}

describe('agent protocol', () => {
  it('round-trips every message type', () => {
    const seen = new Set<string>();
    for (const msg of samples) {
      const bytes = encode(msg);
      expect(bytes[0]).toBe(PROTOCOL_VERSION);
      expect(bytes[1]).toBe(MESSAGE_TYPES[msg.type]);
      expect(decode(bytes)).toEqual(msg);
      seen.add(msg.type);
    }
    expect([...seen].sort()).toEqual(Object.keys(MESSAGE_TYPES).sort());
  });

  it('keeps frames small enough for the ordinary message limit', () => {
    const bytes = encode(samples[1]);
    expect(bytes.length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });

  it('carries up to MAX_FRAME_VIEWS views, compressing those that shrink, within the message limit', () => {
    const flat = new Uint8Array(FRAME_BYTES).fill(90);
    const noise = Uint8Array.from({ length: FRAME_BYTES }, (_, i) => (i * 2654435761) >>> 24);
    const all = new Uint8Array(MAX_FRAME_VIEWS * FRAME_BYTES);
    for (let v = 0; v < MAX_FRAME_VIEWS; v++) all.set(v % 2 ? flat : noise, v * FRAME_BYTES);
    const bytes = encode({ type: 'frame', seq: 1, capturedAt: 0, rgb: all });
    expect(bytes.length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const back = decode(bytes, 'agent');
    expect(back.type === 'frame' && frameViews(back.rgb).map((v) => v[0])).toEqual([noise[0], 90, noise[0], 90]);
    expect(back.type === 'frame' && Buffer.from(back.rgb).equals(Buffer.from(all))).toBe(true);
    // a flat view costs a few dozen bytes, not 7,500
    expect(encode({ type: 'frame', seq: 1, capturedAt: 0, rgb: flat }).length).toBeLessThan(100);
    const five = new Uint8Array((MAX_FRAME_VIEWS + 1) * FRAME_BYTES);
    expect(codeOf(() => encode({ type: 'frame', seq: 1, capturedAt: 0, rgb: five }))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    expect(codeOf(() => frameViews(new Uint8Array(FRAME_BYTES + 1)))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
  });

  it('refuses hostile views: bad counts, unknown encodings, DEFLATE bombs and corrupt or short data', () => {
    const head = (count: number) => [PROTOCOL_VERSION, MESSAGE_TYPES.frame, 1, 0, 0, 0, ...new Uint8Array(8), count];
    const deflated = (data: Uint8Array) => {
      const z = deflateRawSync(data);
      return [VIEW_ENCODING.deflate, z.length & 0xff, z.length >> 8, ...z];
    };
    const problem = (bytes: number[]) => {
      try {
        decode(Uint8Array.from(bytes), 'agent');
      } catch (err) {
        return isLabwatchError(err) ? `${err.code} ${err.message}` : `uncoded ${String(err)}`;
      }
      return 'decoded';
    };
    expect(problem(head(0))).toMatch(/BAD_FIELD.*views.*0 views/);
    expect(problem([...head(MAX_FRAME_VIEWS + 1), ...new Uint8Array(10)])).toMatch(/BAD_FIELD.*views/);
    expect(problem([...head(1), 7, ...new Uint8Array(FRAME_BYTES)])).toMatch(/BAD_FIELD.*views\[0\].*encoding 7/);
    // 1 MB of zeros deflates to ~1 KB: the bounded inflate stops it at 7,500 bytes
    expect(problem([...head(1), ...deflated(new Uint8Array(1_000_000))])).toMatch(/BAD_FIELD.*views\[0\].*more than 7500/);
    expect(problem([...head(1), ...deflated(new Uint8Array(FRAME_BYTES - 1))])).toMatch(/BAD_FIELD.*views\[0\].*7499 bytes/);
    expect(problem([...head(1), VIEW_ENCODING.deflate, 4, 0, 0xde, 0xad, 0xbe, 0xef])).toMatch(/BAD_FIELD.*views\[0\].*not valid DEFLATE/);
    expect(problem([...head(1), VIEW_ENCODING.deflate, 0xff, 0xff, 1, 2, 3])).toMatch(/BAD_FIELD.*views\[0\].*65535 compressed bytes/);
    // the second view is missing
    expect(problem([...head(2), ...deflated(new Uint8Array(FRAME_BYTES))])).toMatch(/TRUNCATED/);
    expect(problem([...head(1), ...deflated(new Uint8Array(FRAME_BYTES))])).toBe('decoded');
  });

  it('refuses messages from the wrong side', () => {
    expect(codeOf(() => decode(encode(samples[6]), 'agent'))).toBe('LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE');
    expect(codeOf(() => decode(encode(samples[0]), 'server'))).toBe('LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE');
    // heartbeats are typed by direction: only the agent's carries its counters
    expect(codeOf(() => decode(encode(samples[3]), 'server'))).toBe('LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE');
    expect(codeOf(() => decode(encode(serverHeartbeat), 'agent'))).toBe('LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE');
    expect(decode(encode(samples[3]), 'agent')).toEqual(samples[3]);
    expect(decode(encode(serverHeartbeat), 'server')).toEqual(serverHeartbeat);
  });

  it('refuses empty, wrong-version and unknown-type input', () => {
    expect(codeOf(() => decode(new Uint8Array(0)))).toBe('LABWATCH_ERR_PROTOCOL_TRUNCATED');
    expect(codeOf(() => decode(Uint8Array.of(PROTOCOL_VERSION)))).toBe('LABWATCH_ERR_PROTOCOL_TRUNCATED');
    const wrongVersion = encode(samples[3]);
    wrongVersion[0] = PROTOCOL_VERSION + 1;
    expect(codeOf(() => decode(wrongVersion))).toBe('LABWATCH_ERR_PROTOCOL_VERSION');
    expect(codeOf(() => decode(Uint8Array.of(PROTOCOL_VERSION, 0x7f)))).toBe('LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE');
  });

  it('refuses version-1 messages (before the agent counters) as another version, not as misread bytes', () => {
    // a v1 hello: no counters after lastAckedSeq
    const v1Hello = Uint8Array.of(1, MESSAGE_TYPES.hello, 1, 0, 1, 0, 65, 0, 0, 0, 0, 1, 0, 0, 0, 0);
    expect(codeOf(() => decode(v1Hello))).toBe('LABWATCH_ERR_PROTOCOL_VERSION');
    // a v1 heartbeat: sentAt only
    const v1Heartbeat = new Uint8Array(10);
    v1Heartbeat[0] = 1;
    v1Heartbeat[1] = MESSAGE_TYPES.heartbeat;
    expect(codeOf(() => decode(v1Heartbeat))).toBe('LABWATCH_ERR_PROTOCOL_VERSION');
    // the same bytes with today's version byte are a truncated heartbeat (the counters are missing)
    v1Heartbeat[0] = PROTOCOL_VERSION;
    expect(codeOf(() => decode(v1Heartbeat))).toBe('LABWATCH_ERR_PROTOCOL_TRUNCATED');
  });

  it('carries the agent counters as u32 and refuses to encode counters outside u32', () => {
    const max = { dropped: 0xffff_ffff, skippedTicks: 0xffff_ffff, captureErrors: 0xffff_ffff };
    const hb: Message = { type: 'heartbeat', sentAt: 0, counters: max };
    expect(encode(hb).length).toBe(2 + 8 + 12);
    expect(decode(encode(hb))).toEqual(hb);
    for (const bad of [-1, 0x1_0000_0000, 1.5, Number.NaN]) {
      for (const field of ['dropped', 'skippedTicks', 'captureErrors'] as const) {
        const counters = { dropped: 0, skippedTicks: 0, captureErrors: 0, [field]: bad };
        expect(codeOf(() => encode({ type: 'heartbeat', sentAt: 0, counters })), `${field}=${bad}`).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
        expect(codeOf(() => encode({ ...(samples[0] as Message & { type: 'hello' }), counters })), `hello ${field}=${bad}`).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
      }
    }
  });

  it('refuses hostile counters: cut inside them, extra fields after them, values of the wrong type', () => {
    const hello = samples[0] as Extract<Message, { type: 'hello' }>;
    for (const msg of [hello, samples[3]]) {
      const bytes = encode(msg);
      // every cut inside the 12 counter bytes is TRUNCATED, naming the counter it hit
      for (let cut = 1; cut <= 12; cut++) {
        let err: unknown;
        try { decode(bytes.subarray(0, bytes.length - cut), 'agent'); } catch (e) { err = e; }
        expect(isLabwatchError(err) && err.code, `${msg.type} minus ${cut}`).toBe('LABWATCH_ERR_PROTOCOL_TRUNCATED');
        const field = (err as { params?: { field?: string } }).params?.field;
        expect(['dropped', 'skippedTicks', 'captureErrors'], `${msg.type} minus ${cut}: ${field}`).toContain(field);
      }
      // a fourth counter from an agent that changed the layout without bumping the version
      const longer = new Uint8Array(bytes.length + 4);
      longer.set(bytes);
      expect(codeOf(() => decode(longer, 'agent'))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    }
    // any u32 on the wire is a valid count: decoding never yields a negative or fractional one
    const allOnes = encode({ type: 'heartbeat', sentAt: 0, counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
    allOnes.fill(0xff, allOnes.length - 12);
    expect(decode(allOnes, 'agent')).toMatchObject({ counters: { dropped: 0xffff_ffff, skippedTicks: 0xffff_ffff, captureErrors: 0xffff_ffff } });
    // wrong types from an untyped caller: coded errors, never a TypeError or a silent 0
    const wrong: unknown[] = [undefined, null, 5, 'x', {}, { dropped: '1', skippedTicks: 0, captureErrors: 0 },
      { dropped: 1n, skippedTicks: 0, captureErrors: 0 }, { dropped: 1, skippedTicks: Infinity, captureErrors: 0 }];
    for (const counters of wrong) {
      const hb = { type: 'heartbeat', sentAt: 0, counters } as unknown as Message;
      expect(codeOf(() => encode(hb)), String(JSON.stringify(counters, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
      expect(codeOf(() => encode({ ...hello, counters } as unknown as Message))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    }
  });

  it('refuses every truncation of every message with a coded error', () => {
    for (const msg of samples) {
      const bytes = encode(msg);
      for (let n = 0; n < bytes.length; n++) {
        const code = codeOf(() => decode(bytes.subarray(0, n)));
        expect(code, `${msg.type} cut at ${n}`).toMatch(/^LABWATCH_ERR_PROTOCOL_(TRUNCATED|BAD_FIELD)$/);
      }
    }
  });

  it('refuses trailing bytes', () => {
    const bytes = encode(samples[4]);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(codeOf(() => decode(longer))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
  });

  it('refuses lengths that lie, without allocating them', () => {
    // hello whose token claims 65535 bytes but carries 3
    const lying = Uint8Array.of(PROTOCOL_VERSION, MESSAGE_TYPES.hello, 1, 0, 0xff, 0xff, 65, 66, 67);
    expect(codeOf(() => decode(lying))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    // token claims exactly its limit but the bytes are not there
    const max = MAX_STRING_BYTES.token;
    const short = Uint8Array.of(PROTOCOL_VERSION, MESSAGE_TYPES.hello, 1, 0, max & 0xff, max >> 8, 65);
    expect(codeOf(() => decode(short))).toBe('LABWATCH_ERR_PROTOCOL_TRUNCATED');
    // evidence whose blob claims 4 GiB
    const ev = encode(samples[4]);
    const view = new DataView(ev.buffer);
    view.setUint32(ev.length - png.length - 4, 0xffff_ffff, true);
    expect(codeOf(() => decode(ev))).toBe('LABWATCH_ERR_PROTOCOL_TOO_LARGE');
    // evidence-request claiming 200 seqs
    const req = Uint8Array.of(PROTOCOL_VERSION, MESSAGE_TYPES['evidence-request'], 1, 0, 0, 0, 200);
    expect(codeOf(() => decode(req))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
  });

  it('refuses oversized messages', () => {
    const frame = encode(samples[1]);
    const big = new Uint8Array(MAX_MESSAGE_BYTES + 1);
    big.set(frame);
    expect(codeOf(() => decode(big))).toBe('LABWATCH_ERR_PROTOCOL_TOO_LARGE');
    const huge = new Uint8Array(MAX_EVIDENCE_BYTES + 4096);
    huge[0] = PROTOCOL_VERSION;
    huge[1] = MESSAGE_TYPES.evidence;
    expect(codeOf(() => decode(huge))).toBe('LABWATCH_ERR_PROTOCOL_TOO_LARGE');
  });

  it('refuses invalid UTF-8, NaN times and bad flags', () => {
    const bad = encode({ type: 'popup', popupId: 1, text: 'ab' });
    bad[bad.length - 1] = 0xff;
    expect(codeOf(() => decode(bad))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    const hb = encode(samples[3]);
    new DataView(hb.buffer).setFloat64(2, Number.NaN, true);
    expect(codeOf(() => decode(hb))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    const ack = encode(samples[7]);
    ack[ack.length - 1] = 2;
    expect(codeOf(() => decode(ack))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
  });

  it('refuses to encode fields over their limits', () => {
    expect(codeOf(() => encode({ type: 'frame', seq: 1, capturedAt: 0, rgb: new Uint8Array(10) }))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    expect(codeOf(() => encode({ type: 'popup', popupId: 1, text: 'x'.repeat(MAX_STRING_BYTES.popupText + 1) }))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    expect(codeOf(() => encode({ type: 'frame', seq: -1, capturedAt: 0, rgb }))).toBe('LABWATCH_ERR_PROTOCOL_BAD_FIELD');
    // long error messages are cut rather than refused: the server must always be able to say why it closes
    const long = encode({ type: 'error', code: 'X', message: 'é'.repeat(10_000) });
    const back = decode(long);
    expect(back.type === 'error' && back.message.endsWith('...')).toBe(true);
  });

  it('survives 10,000 random and mutated buffers with coded errors only', () => {
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    const encoded = samples.map(encode);
    let decodedOk = 0;
    for (let i = 0; i < 10_000; i++) {
      let buf: Uint8Array;
      if (i % 2 === 0) {
        buf = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
        if (rand() < 0.7 && buf.length > 1) { buf[0] = PROTOCOL_VERSION; buf[1] = Object.values(MESSAGE_TYPES)[Math.floor(rand() * Object.keys(MESSAGE_TYPES).length)]; }
      } else {
        const src = encoded[Math.floor(rand() * encoded.length)];
        buf = src.slice(0, Math.max(0, src.length - Math.floor(rand() * 4)));
        const flips = 1 + Math.floor(rand() * 4);
        for (let f = 0; f < flips && buf.length > 0; f++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
      }
      try {
        decode(buf);
        decodedOk++;
      } catch (err) {
        expect(isLabwatchError(err) && err.code.startsWith('LABWATCH_ERR_PROTOCOL_')).toBe(true);
      }
    }
    // mutations that only touch payload bytes still decode: the fuzz reached the field decoders
    expect(decodedOk).toBeGreaterThan(100);
  });
});
