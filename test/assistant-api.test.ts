import sharp from 'sharp';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiAlert, ApiStudent } from '../assistant/api-views.js';
import { buildStore } from '../assistant/store/store.js';
import { BLACK, TestAgent, WHITE, login, startAssistant, until, type Running } from './helpers/assistant-fixture.js';

let run: Running;
let examId: string;
let tokens: { studentId: string; token: string }[];
let cookie: string;

beforeAll(async () => {
  run = await startAssistant({ batchDeadlineMs: 10, liveFlushMs: 100 });
  const exam = run.assistant.createExam('API exam', [
    { name: 'Ada', surname: 'Lovelace', studentId: 'S1' },
    { name: 'Alan', surname: 'Turing', studentId: 'S2' },
  ]);
  examId = exam.examId;
  tokens = exam.tokens;
  run.assistant.createInstructor('prof', 'correct horse');
  run.assistant.createInstructor('other', 'battery staple');
  cookie = await login(run.url, 'prof', 'correct horse');
});
afterAll(async () => run?.stop());

const get = (p: string, headers: Record<string, string> = { cookie }) => fetch(`${run.url}${p}`, { headers });
const post = (p: string, body: unknown, headers: Record<string, string> = { cookie }) =>
  fetch(`${run.url}${p}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('instructor API', () => {
  it('answers 401 with a coded error without a session, also to students holding their token', async () => {
    for (const p of ['/api/session', '/api/exams', `/api/exams/${examId}/students`, `/api/exams/${examId}/alerts`, `/api/exams/${examId}/students/S1/frame.png`, '/api/alerts/1/frames/0.png']) {
      const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${tokens[0].token}` }, { cookie: `lw_session=${tokens[0].token}` }];
      for (const headers of attempts) {
        const res = await get(p, headers);
        expect(res.status, p).toBe(401);
        expect(await res.json()).toMatchObject({ code: 'LABWATCH_ERR_AUTH_REQUIRED' });
      }
    }
    expect((await post('/api/alerts/1/dismiss', {}, {})).status).toBe(401);
  });

  it('sets an httpOnly SameSite=Strict cookie on login and forgets it on logout', async () => {
    const res = await post('/api/login', { username: 'other', password: 'battery staple' }, {});
    expect(await res.json()).toEqual({ username: 'other' });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^lw_session=[\w-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const mine = setCookie.split(';')[0];
    expect(await (await get('/api/session', { cookie: mine })).json()).toEqual({ username: 'other' });
    expect((await post('/api/logout', {}, { cookie: mine })).status).toBe(200);
    expect((await get('/api/session', { cookie: mine })).status).toBe(401);
  });

  it('refuses wrong passwords and rate-limits repeated failures', async () => {
    const bad = await post('/api/login', { username: 'nobody', password: 'x' }, {});
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 'LABWATCH_ERR_AUTH_BAD_LOGIN' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await post('/api/login', { username: 'prof', password: `wrong${i}` }, {})).status);
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const blocked = await post('/api/login', { username: 'prof', password: 'correct horse' }, {});
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ code: 'LABWATCH_ERR_AUTH_LOGIN_RATE_LIMIT' });
    // an existing session keeps working
    expect((await get('/api/session')).status).toBe(200);
  });

  it('lists exams, students with live state, latest frames and alerts; actions are audited', async () => {
    expect(await (await get('/api/exams')).json()).toEqual([{ id: examId, name: 'API exam', createdAt: expect.any(Number), students: 2 }]);
    expect((await get('/api/exams/nope/students')).status).toBe(404);
    expect((await get(`/api/exams/${examId}/students/S1/frame.png`)).status).toBe(404);

    const a = await TestAgent.connect(run.wsUrl, tokens[0].token);
    [BLACK, WHITE, WHITE, WHITE].forEach((rgb, i) => a.frame(i + 1, rgb));
    await a.ackedUpTo(4);
    const list = (await (await get(`/api/exams/${examId}/students`)).json()) as ApiStudent[];
    expect(list.map((s) => s.studentId)).toEqual(['S1', 'S2']);
    expect(list[0]).toMatchObject({ name: 'Ada', surname: 'Lovelace', state: 'online' });
    expect(list[1]).toMatchObject({ state: 'offline', verdict: null, score: null, lastFrameAt: null, openAlerts: 0 });

    const png = await get(`/api/exams/${examId}/students/S1/frame.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    const { data, info } = await sharp(new Uint8Array(await png.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([50, 50, 3]);
    expect(data[0]).toBe(255);

    const open = await (async () => {
      for (;;) {
        const alerts = (await (await get(`/api/exams/${examId}/alerts?state=open`)).json()) as ApiAlert[];
        if (alerts.length > 0) return alerts;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ studentId: 'S1', name: 'Ada', kind: 'suspicious', state: 'open', score: expect.any(Number) });
    expect(open[0].frames).toEqual([0, 1, 2].map((i) => `/api/alerts/${open[0].id}/frames/${i}.png`));
    expect((await get(open[0].frames[2])).headers.get('content-type')).toBe('image/png');
    expect((await get(`/api/alerts/${open[0].id}/frames/3.png`)).status).toBe(404);
    const s1 = ((await (await get(`/api/exams/${examId}/students`)).json()) as ApiStudent[])[0];
    expect(s1).toMatchObject({ verdict: 'suspicious', openAlerts: 1 });

    expect((await post(`/api/alerts/${open[0].id}/warn`, { text: '' })).status).toBe(400);
    const escalated = await (await post(`/api/alerts/${open[0].id}/escalate`, { note: 'looked like ChatGPT' })).json() as ApiAlert;
    expect(escalated).toMatchObject({ state: 'escalated', actions: [{ action: 'escalate', author: 'prof', text: 'looked like ChatGPT' }] });
    const dismissed = await (await post(`/api/alerts/${open[0].id}/dismiss`, {})).json() as ApiAlert;
    expect(dismissed.state).toBe('dismissed');
    expect(dismissed.actions.map((x) => x.action)).toEqual(['escalate', 'dismiss']);
    expect(await (await get(`/api/exams/${examId}/alerts?state=open`)).json()).toEqual([]);
    expect((await get(`/api/exams/${examId}/alerts?state=bogus`)).status).toBe(400);
    expect((await post('/api/alerts/99999/dismiss', {})).status).toBe(404);
    a.close();

    const store = buildStore({ dataDir: run.dataDir });
    try {
      const log = store.alerts.auditLog(examId).map((e) => `${e.author} ${e.action}`);
      expect(log).toEqual(['prof alert.escalate', 'prof alert.dismiss']);
    } finally {
      store.close();
    }
  });
});

describe('live feed', () => {
  function openLive(headers: Record<string, string>, exam = examId): Promise<{ ws: WebSocket; messages: any[]; status?: number }> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${run.wsUrl}/api/live?exam=${exam}`, { headers });
      const messages: any[] = [];
      ws.on('message', (d) => messages.push(JSON.parse(String(d))));
      ws.on('open', () => resolve({ ws, messages }));
      ws.on('unexpected-response', (_req, res) => resolve({ ws, messages, status: res.statusCode }));
      ws.on('error', () => undefined);
    });
  }

  it('refuses connections without a session, from another origin or for an unknown exam', async () => {
    expect((await openLive({})).status).toBe(401);
    expect((await openLive({ cookie: `lw_session=${tokens[1].token}` })).status).toBe(401);
    expect((await openLive({ cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await openLive({ cookie, origin: 'null' })).status).toBe(403);
    expect((await openLive({ cookie }, 'nope')).status).toBe(404);
  });

  it('sends hello, then alerts, student updates and batched frames', async () => {
    const live = await openLive({ cookie });
    await until(() => live.messages.find((m) => m.type === 'hello'));
    const hello = live.messages.find((m) => m.type === 'hello');
    expect(hello.examId).toBe(examId);
    expect(hello.students.map((s: ApiStudent) => s.studentId)).toEqual(['S1', 'S2']);

    const b = await TestAgent.connect(run.wsUrl, tokens[1].token);
    [WHITE, WHITE, WHITE, WHITE].forEach((rgb, i) => b.frame(i + 1, rgb));
    const alert = await until(() => live.messages.find((m) => m.type === 'alert' && m.alert.studentId === 'S2'));
    expect(alert.alert.kind).toBe('suspicious');
    const frames = await until(() => live.messages.find((m) => m.type === 'frames' && m.frames.some((f: { studentId: string }) => f.studentId === 'S2')));
    const f = frames.frames.find((x: { studentId: string }) => x.studentId === 'S2');
    expect(Buffer.from(f.rgb, 'base64')).toHaveLength(7500);
    for (const m of live.messages.filter((x) => x.type === 'frames')) {
      const ids = m.frames.map((x: { studentId: string }) => x.studentId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    await until(() => live.messages.find((m) => m.type === 'student' && m.student.studentId === 'S2' && m.student.verdict === 'suspicious'));
    await post(`/api/alerts/${alert.alert.id}/warn`, { text: 'Eyes on your own screen' });
    const updated = await until(() => live.messages.find((m) => m.type === 'alert-updated' && m.alert.id === alert.alert.id && m.alert.state === 'warned'));
    expect(updated.alert.actions[0]).toMatchObject({ action: 'warn', author: 'prof' });
    b.close();
    live.ws.close();
  });
});
