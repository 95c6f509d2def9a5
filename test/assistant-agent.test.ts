import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiAlert } from '../assistant/api-views.js';
import { deflateRawSync } from 'node:zlib';
import { MAX_MESSAGE_BYTES, MESSAGE_TYPES, PROTOCOL_VERSION, VIEW_ENCODING } from '../core/protocol.js';
import { BLACK, TestAgent, WHITE, login, startAssistant, until, type Running } from './helpers/assistant-fixture.js';

const roster = ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => ({ name: `Name${id}`, surname: `Surname${id}`, studentId: id }));

async function pngOf(width: number, height: number, value: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: { r: value, g: value, b: value } } }).png().toBuffer());
}

describe('assistant agent endpoint (real WebSockets on 127.0.0.1)', () => {
  let run: Running;
  let tokens: Map<string, string>;
  let examId: string;
  const alerts: ApiAlert[] = [];
  const updates: ApiAlert[] = [];

  beforeAll(async () => {
    run = await startAssistant({ batchDeadlineMs: 20 });
    const exam = run.assistant.createExam('Programming II', roster);
    examId = exam.examId;
    tokens = new Map(exam.tokens.map((t) => [t.studentId, t.token]));
    run.assistant.createInstructor('prof', 'correct horse');
    run.assistant.events.on('alert', (a: ApiAlert) => alerts.push(a));
    run.assistant.events.on('alert-updated', (a: ApiAlert) => updates.push(a));
  });
  afterAll(async () => run?.stop());

  it('refuses a wrong token with a coded error and closes', async () => {
    const a = await TestAgent.connect(run.wsUrl);
    a.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token: 'forged', agentVersion: 't', os: 'linux', monitors: 1, lastAckedSeq: 0, counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
    expect((await a.next('error')).code).toBe('LABWATCH_ERR_AUTH_BAD_TOKEN');
    expect(await a.closed).toBe(1008);
  });

  it("welcomes a student as themself only: A's token acts as A, never as B", async () => {
    const a = await TestAgent.connect(run.wsUrl);
    a.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token: tokens.get('A')!, agentVersion: 't', os: 'linux', monitors: 1, lastAckedSeq: 0, counters: { dropped: 2, skippedTicks: 1, captureErrors: 0 } });
    const welcome = await a.next('welcome');
    expect(welcome).toMatchObject({ studentId: 'A', name: 'NameA', surname: 'SurnameA', examName: 'Programming II', captureIntervalMs: 1000, lastAckedSeq: 0 });
    a.frame(1, BLACK);
    await a.ackedUpTo(1);
    const cookie = await login(run.url, 'prof', 'correct horse');
    const students = await (await fetch(`${run.url}/api/exams/${examId}/students`, { headers: { cookie } })).json() as { studentId: string; lastFrameAt: number | null; state: string }[];
    expect(students.find((s) => s.studentId === 'A')).toMatchObject({ state: 'online' });
    expect(students.find((s) => s.studentId === 'A')!.lastFrameAt).not.toBeNull();
    expect(students.find((s) => s.studentId === 'B')).toMatchObject({ state: 'offline', lastFrameAt: null, agentCounters: null });
    // the counters of hello, then of a heartbeat, are what the panel reads
    expect(students.find((s) => s.studentId === 'A')).toMatchObject({ agentCounters: { dropped: 2, skippedTicks: 1, captureErrors: 0 } });
    a.send({ type: 'heartbeat', sentAt: Date.now(), counters: { dropped: 7, skippedTicks: 1, captureErrors: 3 } });
    a.frame(2, BLACK);
    await a.ackedUpTo(2);
    const after = await (await fetch(`${run.url}/api/exams/${examId}/students`, { headers: { cookie } })).json() as { studentId: string }[];
    expect(after.find((s) => s.studentId === 'A')).toMatchObject({ agentCounters: { dropped: 7, skippedTicks: 1, captureErrors: 3, updatedAt: expect.any(Number) } });
    a.close();
    await a.closed;
  });

  it('acks frames cumulatively, ignores duplicates, and tells a reconnecting agent where to resume', async () => {
    const frames: number[] = [];
    const onFrame = (e: { studentId: string; seq: number }) => { if (e.studentId === 'B') frames.push(e.seq); };
    run.assistant.events.on('frame', onFrame);
    const b = await TestAgent.connect(run.wsUrl, tokens.get('B')!);
    for (let seq = 1; seq <= 5; seq++) b.frame(seq, BLACK);
    await b.ackedUpTo(5);
    b.frame(3, BLACK);
    expect(await b.next('ack')).toEqual({ type: 'ack', seq: 5, cumulative: true });
    b.close();
    await b.closed;
    const again = await TestAgent.connect(run.wsUrl);
    again.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token: tokens.get('B')!, agentVersion: 't', os: 'linux', monitors: 1, lastAckedSeq: 0, counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
    expect((await again.next('welcome')).lastAckedSeq).toBe(5);
    again.close();
    run.assistant.events.off('frame', onFrame);
    expect(frames).toEqual([1, 2, 3, 4, 5]);
  });

  it('raises exactly one alert per suspicious run, on its second window, requests that window as evidence and stores it with its hash', async () => {
    const verdicts: { seq: number; suspicious: boolean }[] = [];
    run.assistant.events.on('verdict', (v: { studentId: string; seq: number; suspicious: boolean }) => { if (v.studentId === 'C') verdicts.push(v); });
    const c = await TestAgent.connect(run.wsUrl, tokens.get('C')!);
    const pattern = [BLACK, BLACK, BLACK, WHITE, WHITE, WHITE, WHITE, WHITE, BLACK, BLACK, BLACK];
    const t0 = Date.now();
    pattern.forEach((rgb, i) => c.frame(i + 1, rgb, t0 + i * 1000));
    await c.ackedUpTo(pattern.length);
    await until(() => verdicts.length === pattern.length - 2);
    // windows end at seqs 3..11; suspicious while 2+ of 3 frames are white
    expect(verdicts.map((v) => v.suspicious)).toEqual([false, false, true, true, true, true, true, false, false]);
    const mine = alerts.filter((a) => a.studentId === 'C');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'suspicious', state: 'open', name: 'NameC', evidence: [] });
    expect(mine[0].frames).toHaveLength(3);

    const req = await c.next('evidence-request');
    // the run starts at the window ending at seq 5; the default rule confirms it one window later
    expect(req.seqs).toEqual([4, 5, 6]);
    for (const seq of req.seqs) {
      const bytes = await pngOf(320, 200, seq * 20);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      c.send({ type: 'evidence', requestId: req.requestId, seq, mime: 'image/png', width: 320, height: 200, sha256, bytes });
    }
    const stored = await until(() => updates.find((u) => u.id === mine[0].id && u.evidence.length === 3));
    const cookie = await login(run.url, 'prof', 'correct horse');
    for (const [i, e] of stored.evidence.entries()) {
      const res = await fetch(`${run.url}${e.url}`, { headers: { cookie } });
      expect(res.headers.get('content-type')).toBe('image/png');
      const body = new Uint8Array(await res.arrayBuffer());
      expect(createHash('sha256').update(body).digest('hex')).toBe(e.sha256);
      expect(e).toMatchObject({ width: 320, height: 200, capturedAt: t0 + (3 + i) * 1000 });
    }
    const frame0 = await fetch(`${run.url}${mine[0].frames[0]}`, { headers: { cookie } });
    const meta = await sharp(new Uint8Array(await frame0.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([50, 50]);

    // a second run after permitted windows is a new alert
    const n = pattern.length;
    [WHITE, WHITE, WHITE].forEach((rgb, i) => c.frame(n + 1 + i, rgb, t0 + (n + i) * 1000));
    await until(() => alerts.filter((a) => a.studentId === 'C').length === 2);
    c.close();
  });

  it('refuses evidence that was not requested or whose hash lies', async () => {
    const d = await TestAgent.connect(run.wsUrl, tokens.get('D')!);
    const bytes = await pngOf(10, 10, 0);
    d.send({ type: 'evidence', requestId: 999, seq: 1, mime: 'image/png', width: 10, height: 10, sha256: createHash('sha256').update(bytes).digest('hex'), bytes });
    expect((await d.next('error')).code).toBe('LABWATCH_ERR_ASSISTANT_EVIDENCE_REJECTED');
    await d.closed;

    const d2 = await TestAgent.connect(run.wsUrl, tokens.get('D')!);
    [BLACK, WHITE, WHITE, WHITE].forEach((rgb, i) => d2.frame(i + 1, rgb));
    const req = await d2.next('evidence-request');
    d2.send({ type: 'evidence', requestId: req.requestId, seq: req.seqs[0], mime: 'image/png', width: 10, height: 10, sha256: '0'.repeat(64), bytes });
    const err = await d2.next('error');
    expect(err.code).toBe('LABWATCH_ERR_ASSISTANT_EVIDENCE_REJECTED');
    expect(err.message).toContain('SHA-256');
  });

  it('delivers a warning as a pop-up, also to an agent that connects later', async () => {
    const cookie = await login(run.url, 'prof', 'correct horse');
    const e = await TestAgent.connect(run.wsUrl, tokens.get('E')!);
    [WHITE, WHITE, WHITE, WHITE].forEach((rgb, i) => e.frame(i + 1, rgb));
    const alert = await until(() => alerts.find((a) => a.studentId === 'E'));
    const res = await fetch(`${run.url}/api/alerts/${alert.id}/warn`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Close the browser, please.' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: 'warned', actions: [{ action: 'warn', author: 'prof', text: 'Close the browser, please.' }] });
    const popup = await e.next('popup');
    expect(popup.text).toBe('Close the browser, please.');
    e.send({ type: 'popup-shown', popupId: popup.popupId });
    e.close();
    await e.closed;

    // offline: queued, delivered after the next hello; shown pop-ups are not repeated
    const again = await fetch(`${run.url}/api/alerts/${alert.id}/warn`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Second warning' }),
    });
    expect(again.status).toBe(200);
    const back = await TestAgent.connect(run.wsUrl, tokens.get('E')!, 3);
    expect((await back.next('popup')).text).toBe('Second warning');
    expect(back.received.filter((m) => m.type === 'popup')).toEqual([]);
    back.close();
  });

  it('refuses malformed, oversized, text, out-of-order and unauthenticated messages while another student keeps being served', async () => {
    const f = await TestAgent.connect(run.wsUrl, tokens.get('F')!);
    let seq = 0;
    const served = async () => { f.frame(++seq, BLACK); await f.ackedUpTo(seq); };

    const cases: [string, (a: TestAgent) => void, string][] = [
      ['garbage', (a) => a.sendRaw(Uint8Array.of(PROTOCOL_VERSION, 2, 3)), 'LABWATCH_ERR_PROTOCOL_TRUNCATED'],
      ['wrong version', (a) => a.sendRaw(Uint8Array.of(PROTOCOL_VERSION + 1, MESSAGE_TYPES.heartbeat, 0, 0, 0, 0, 0, 0, 0, 0)), 'LABWATCH_ERR_PROTOCOL_VERSION'],
      ['older agent (a protocol v1 hello)', (a) => a.sendRaw(Uint8Array.of(1, MESSAGE_TYPES.hello, 1, 0, 1, 0, 65, 0, 0, 0, 0, 1, 0, 0, 0, 0)), 'LABWATCH_ERR_PROTOCOL_VERSION'],
      ['server-only type', (a) => a.sendRaw(Uint8Array.of(PROTOCOL_VERSION, MESSAGE_TYPES.ack, 1, 0, 0, 0, 1)), 'LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE'],
      ['oversized', (a) => { const big = new Uint8Array(MAX_MESSAGE_BYTES + 100); big[0] = PROTOCOL_VERSION; big[1] = MESSAGE_TYPES.frame; a.sendRaw(big); }, 'LABWATCH_ERR_PROTOCOL_TOO_LARGE'],
      ['text', (a) => a.sendRaw('{"type":"hello"}'), 'LABWATCH_ERR_PROTOCOL_BAD_FIELD'],
      ['frame before hello', (a) => a.frame(1, BLACK), 'LABWATCH_ERR_PROTOCOL_UNEXPECTED'],
    ];
    for (const [name, act, code] of cases) {
      const bad = await TestAgent.connect(run.wsUrl);
      act(bad);
      const err = await bad.next('error');
      expect(err.code, name).toBe(code);
      expect(await bad.closed, name).toBe(1008);
      await served();
    }

    // an authenticated agent that misbehaves is cut off too, and only it
    const rogue = await TestAgent.connect(run.wsUrl, tokens.get('D')!);
    rogue.sendRaw(Uint8Array.of(PROTOCOL_VERSION, MESSAGE_TYPES.frame, 1, 0));
    expect((await rogue.next('error')).code).toBe('LABWATCH_ERR_PROTOCOL_TRUNCATED');
    await served();
    // a view that inflates far beyond 50x50 (1 MB of zeros deflates to ~1 KB)
    const bomber = await TestAgent.connect(run.wsUrl, tokens.get('D')!);
    const bomb = deflateRawSync(new Uint8Array(1_000_000));
    bomber.sendRaw(Uint8Array.of(PROTOCOL_VERSION, MESSAGE_TYPES.frame, 1, 0, 0, 0, ...new Uint8Array(8), 1, VIEW_ENCODING.deflate, bomb.length & 0xff, bomb.length >> 8, ...bomb));
    const bombError = await bomber.next('error');
    expect([bombError.code, bombError.message]).toEqual(['LABWATCH_ERR_PROTOCOL_BAD_FIELD', expect.stringContaining('views[0]')]);
    await served();

    // frame flood: over the burst allowance
    const flood = await TestAgent.connect(run.wsUrl, tokens.get('D')!, 100);
    for (let i = 0; i < 200; i++) flood.frame(2000 + i, BLACK);
    expect((await flood.next('error')).code).toBe('LABWATCH_ERR_PROTOCOL_RATE_LIMIT');
    await served();
    f.close();
  });

  it('lets a new connection of the same student replace the old one', async () => {
    const first = await TestAgent.connect(run.wsUrl, tokens.get('A')!);
    const second = await TestAgent.connect(run.wsUrl, tokens.get('A')!);
    expect((await first.next('error')).code).toBe('LABWATCH_ERR_AUTH_REPLACED');
    await first.closed;
    second.frame(100, BLACK);
    await second.ackedUpTo(100);
    second.close();
  });
});

describe('assistant timeouts', () => {
  let run: Running;
  let token: string;
  const alerts: ApiAlert[] = [];
  beforeAll(async () => {
    run = await startAssistant({ silentAfterMs: 300, authTimeoutMs: 200 });
    token = run.assistant.createExam('E', [{ name: 'N', surname: 'S', studentId: 'X' }]).tokens[0].token;
    run.assistant.events.on('alert', (a: ApiAlert) => alerts.push(a));
  });
  afterAll(async () => run?.stop());

  it('closes a connection that sends no hello in time', async () => {
    const a = await TestAgent.connect(run.wsUrl);
    expect((await a.next('error')).code).toBe('LABWATCH_ERR_AUTH_TIMEOUT');
  });

  it('raises agent_silent when an agent goes quiet and notes agent_back when it returns', async () => {
    const a = await TestAgent.connect(run.wsUrl, token);
    a.send({ type: 'heartbeat', sentAt: Date.now(), counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
    const silent = await until(() => alerts.find((x) => x.kind === 'agent_silent'), 3000);
    expect(silent).toMatchObject({ studentId: 'X', state: 'open' });
    // still connected: the server's heartbeats keep coming
    await a.next('server-heartbeat');
    a.send({ type: 'heartbeat', sentAt: Date.now(), counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
    const back = await until(() => alerts.find((x) => x.kind === 'agent_back'));
    expect(back).toMatchObject({ studentId: 'X', state: 'note' });
    a.close();
  });
});

describe('assistant evidence files', () => {
  it('stores evidence under the data folder with mode 0600', async () => {
    const run = await startAssistant({ batchDeadlineMs: 10 });
    try {
      const { tokens } = run.assistant.createExam('E', [{ name: 'N', surname: 'S', studentId: 'X' }]);
      const updates: ApiAlert[] = [];
      run.assistant.events.on('alert-updated', (u: ApiAlert) => updates.push(u));
      const a = await TestAgent.connect(run.wsUrl, tokens[0].token);
      [WHITE, WHITE, WHITE, WHITE].forEach((rgb, i) => a.frame(i + 1, rgb));
      const req = await a.next('evidence-request');
      const bytes = await pngOf(64, 32, 200);
      a.send({ type: 'evidence', requestId: req.requestId, seq: 3, mime: 'image/png', width: 64, height: 32, sha256: createHash('sha256').update(bytes).digest('hex'), bytes });
      await until(() => updates.find((u) => u.evidence.length === 1));
      const { readdirSync, statSync } = await import('node:fs');
      const { join } = await import('node:path');
      const examDir = join(run.dataDir, 'evidence', readdirSync(join(run.dataDir, 'evidence'))[0]);
      const file = join(examDir, readdirSync(examDir)[0]);
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(new Uint8Array(readFileSync(file))).toEqual(bytes);
      a.close();
    } finally {
      await run.stop();
    }
  });
});

describe('assistant retention', () => {
  it('purges an expired exam while running: its agents are cut off, its rows and evidence files are gone', async () => {
    let fakeNow = Date.now();
    const run = await startAssistant({ now: () => fakeNow, retentionDays: 1, retentionCheckMs: 50, batchDeadlineMs: 10 });
    try {
      const { examId, tokens } = run.assistant.createExam('Old exam', [{ name: 'N', surname: 'S', studentId: 'X' }]);
      run.assistant.createInstructor('prof', 'correct horse');
      const a = await TestAgent.connect(run.wsUrl, tokens[0].token);
      [WHITE, WHITE, WHITE, WHITE].forEach((rgb, i) => a.frame(i + 1, rgb));
      const req = await a.next('evidence-request');
      const bytes = await pngOf(16, 16, 9);
      a.send({ type: 'evidence', requestId: req.requestId, seq: 3, mime: 'image/png', width: 16, height: 16, sha256: createHash('sha256').update(bytes).digest('hex'), bytes });
      const { join } = await import('node:path');
      const examDir = join(run.dataDir, 'evidence', examId);
      await until(() => existsSync(examDir) || undefined);
      fakeNow += 24 * 60 * 60 * 1000 + 1;
      expect((await a.next('error')).code).toBe('LABWATCH_ERR_AUTH_BAD_TOKEN');
      const cookie = await login(run.url, 'prof', 'correct horse');
      expect(await (await fetch(`${run.url}/api/exams`, { headers: { cookie } })).json()).toEqual([]);
      expect(existsSync(examDir)).toBe(false);
      const again = await TestAgent.connect(run.wsUrl);
      again.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token: tokens[0].token, agentVersion: 't', os: 'linux', monitors: 1, lastAckedSeq: 0, counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
      expect((await again.next('error')).code).toBe('LABWATCH_ERR_AUTH_BAD_TOKEN');
    } finally {
      await run.stop();
    }
  });
});

describe('assistant connection limits', () => {
  it('refuses agents beyond the number allowed to wait for their hello, and admits them once others authenticate', async () => {
    const run = await startAssistant({ maxUnauthenticated: 2 });
    try {
      const { tokens } = run.assistant.createExam('E', [{ name: 'N', surname: 'S', studentId: 'X' }]);
      const first = await TestAgent.connect(run.wsUrl);
      const second = await TestAgent.connect(run.wsUrl);
      const third = new TestAgent(run.wsUrl);
      await expect(third.opened).rejects.toThrow(/503/);
      first.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token: tokens[0].token, agentVersion: 't', os: 'linux', monitors: 1, lastAckedSeq: 0, counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } });
      await first.next('welcome');
      const fourth = await TestAgent.connect(run.wsUrl, tokens[0].token);
      expect((await first.next('error')).code).toBe('LABWATCH_ERR_AUTH_REPLACED');
      fourth.close();
      second.close();
    } finally {
      await run.stop();
    }
  });
});
