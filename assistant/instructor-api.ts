import type { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLabwatchError, lwError, type ErrorCode, type LabwatchError } from '../core/errors.js';
import { MAX_STRING_BYTES } from '../core/protocol.js';
import { toApiAlert } from './api-views.js';
import { verifyPassword } from './auth/secrets.js';
import { clearedSessionCookie, LoginLimiter, sessionCookie, sessionId } from './instructor-auth.js';
import type { Monitor } from './monitor.js';
import { frameToPng } from './png.js';
import type { Store } from './store/store.js';
import { ALERT_STATES, type AlertRecord, type AlertState } from './store/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    instructor: string;
  }
}

export interface InstructorApiContext {
  store: Store;
  monitor: Monitor;
  events: EventEmitter;
  now: () => number;
  sessionTtlMs: number;
  secureCookies: boolean;
  loginLimiter: LoginLimiter;
  log: (line: string) => void;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  LABWATCH_ERR_AUTH_REQUIRED: 401,
  LABWATCH_ERR_AUTH_BAD_LOGIN: 401,
  LABWATCH_ERR_AUTH_LOGIN_RATE_LIMIT: 429,
  LABWATCH_ERR_ASSISTANT_NOT_FOUND: 404,
  LABWATCH_ERR_ASSISTANT_BAD_REQUEST: 400,
};

/** Checked against when the username is unknown, so a wrong username costs as much time as a wrong password. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function sendError(reply: FastifyReply, err: LabwatchError): FastifyReply {
  return reply.code(STATUS[err.code] ?? 500).send({ code: err.code, message: err.message });
}

/** Who is logged in on this request, or undefined. */
export function instructorOf(ctx: InstructorApiContext, req: { headers: FastifyRequest['headers'] }): string | undefined {
  const id = sessionId(req.headers);
  return id ? ctx.store.people.sessionUser(id, ctx.now()) : undefined;
}

/** The instructor HTTP API of docs/api.md. Every route but login needs the session cookie. */
export function registerInstructorApi(app: FastifyInstance, ctx: InstructorApiContext): void {
  const { store, monitor } = ctx;
  app.decorateRequest('instructor', '');

  app.setErrorHandler((err, req, reply) => {
    if (isLabwatchError(err)) return sendError(reply, err);
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode && e.statusCode < 500) {
      return sendError(reply, lwError('LABWATCH_ERR_ASSISTANT_BAD_REQUEST', { problem: e.message ?? 'invalid request' }));
    }
    ctx.log(`instructor API ${req.method} ${req.url} failed: ${(err as Error).stack ?? String(err)}`);
    return reply.code(500).send({ code: 'LABWATCH_ERR_ASSISTANT_INTERNAL', message: lwError('LABWATCH_ERR_ASSISTANT_INTERNAL', { reason: 'internal error' }).message });
  });

  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/') || req.url === '/api/login') return;
    const user = instructorOf(ctx, req);
    if (!user) return sendError(reply, lwError('LABWATCH_ERR_AUTH_REQUIRED'));
    req.instructor = user;
  });

  app.post('/api/login', async (req, reply) => {
    const body = (req.body ?? {}) as { username?: unknown; password?: unknown };
    if (typeof body.username !== 'string' || typeof body.password !== 'string' || body.username.length > 200 || body.password.length > 1000) {
      throw lwError('LABWATCH_ERR_ASSISTANT_BAD_REQUEST', { problem: 'the body must be {"username": string, "password": string}' });
    }
    const now = ctx.now();
    const wait = ctx.loginLimiter.blockedFor(req.ip, now);
    if (wait > 0) throw lwError('LABWATCH_ERR_AUTH_LOGIN_RATE_LIMIT', { seconds: Math.ceil(wait / 1000) });
    const stored = store.people.passwordHash(body.username);
    const ok = await verifyPassword(body.password, stored ?? DUMMY_HASH);
    if (!ok || !stored) {
      ctx.loginLimiter.fail(req.ip, now);
      throw lwError('LABWATCH_ERR_AUTH_BAD_LOGIN');
    }
    ctx.loginLimiter.succeed(req.ip);
    const id = store.people.createSession(body.username, now, ctx.sessionTtlMs);
    store.alerts.audit(body.username, 'login', null, { ip: req.ip }, now);
    reply.header('set-cookie', sessionCookie(id, ctx.sessionTtlMs, ctx.secureCookies));
    return { username: body.username };
  });

  app.post('/api/logout', async (req, reply) => {
    const id = sessionId(req.headers);
    if (id) store.people.deleteSession(id);
    store.alerts.audit(req.instructor, 'logout', null, {}, ctx.now());
    reply.header('set-cookie', clearedSessionCookie());
    return {};
  });

  app.get('/api/session', async (req) => ({ username: req.instructor }));

  app.get('/api/exams', async () =>
    store.people.listExams().map((e) => ({ id: e.id, name: e.name, createdAt: e.createdAt, students: e.students })));

  app.get<{ Params: { examId: string } }>('/api/exams/:examId/students', async (req) => {
    examOr404(store, req.params.examId);
    return monitor.students(req.params.examId);
  });

  app.get<{ Params: { examId: string; studentId: string } }>('/api/exams/:examId/students/:studentId/frame.png', async (req, reply) => {
    const frame = monitor.latestFrame(req.params.examId, req.params.studentId);
    if (!frame) throw lwError('LABWATCH_ERR_ASSISTANT_NOT_FOUND', { what: 'frame for student', id: req.params.studentId });
    return reply.type('image/png').header('cache-control', 'no-store').send(await frameToPng(frame.rgb));
  });

  app.get<{ Params: { examId: string }; Querystring: { state?: string } }>('/api/exams/:examId/alerts', async (req) => {
    examOr404(store, req.params.examId);
    const state = req.query.state ?? 'all';
    if (state !== 'all' && !(ALERT_STATES as readonly string[]).includes(state)) {
      throw lwError('LABWATCH_ERR_ASSISTANT_BAD_REQUEST', { problem: `state must be one of ${ALERT_STATES.join(', ')}, all` });
    }
    return store.alerts.listAlerts(req.params.examId, state as AlertState | 'all').map(toApiAlert);
  });

  app.get<{ Params: { id: string; file: string } }>('/api/alerts/:id/frames/:file', async (req, reply) => {
    const m = /^(\d+)\.png$/.exec(req.params.file);
    const frame = m ? store.alerts.alertFrame(req.params.id, Number(m[1])) : undefined;
    if (!frame) throw lwError('LABWATCH_ERR_ASSISTANT_NOT_FOUND', { what: 'alert frame', id: `${req.params.id}/${req.params.file}` });
    return reply.type('image/png').header('cache-control', 'private, max-age=86400').send(await frameToPng(frame.rgb));
  });

  app.get<{ Params: { id: string; i: string } }>('/api/alerts/:id/evidence/:i', async (req, reply) => {
    const alert = alertOr404(store, req.params.id);
    const e = alert.evidence[Number(req.params.i)];
    if (!/^\d+$/.test(req.params.i) || !e) throw lwError('LABWATCH_ERR_ASSISTANT_NOT_FOUND', { what: 'evidence', id: `${req.params.id}/${req.params.i}` });
    store.alerts.audit(req.instructor, 'evidence.view', alert.examId, { alertId: alert.id, seq: e.seq }, ctx.now());
    return reply.type(e.mime).header('cache-control', 'private, no-store').send(await readFile(e.path));
  });

  const act = (action: 'dismiss' | 'warn' | 'escalate', state: AlertState) =>
    async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const alert = alertOr404(store, req.params.id);
      if (alert.state === 'note') throw lwError('LABWATCH_ERR_ASSISTANT_BAD_REQUEST', { problem: 'a note has no actions' });
      const body = (req.body ?? {}) as { text?: unknown; note?: unknown };
      let text: string | undefined;
      if (action === 'warn') {
        if (typeof body.text !== 'string' || body.text.trim() === '' || Buffer.byteLength(body.text) > MAX_STRING_BYTES.popupText) {
          throw lwError('LABWATCH_ERR_ASSISTANT_BAD_REQUEST', { problem: `text must be a non-empty string of at most ${MAX_STRING_BYTES.popupText} bytes` });
        }
        text = body.text.trim();
      } else if (action === 'escalate' && body.note !== undefined) {
        if (typeof body.note !== 'string' || body.note.length > 4000) {
          throw lwError('LABWATCH_ERR_ASSISTANT_BAD_REQUEST', { problem: 'note must be a string of at most 4000 characters' });
        }
        text = body.note;
      }
      const updated = store.alerts.act(alert.id, { action, author: req.instructor, at: ctx.now(), text }, state, alert.examId);
      if (action === 'warn') {
        const exam = store.people.getExam(alert.examId)!;
        const student = store.people.getStudent(alert.examId, alert.studentId)!;
        monitor.sendPopup(exam, student, alert.id, text!);
      }
      const view = toApiAlert(updated);
      ctx.events.emit('alert-updated', view);
      ctx.events.emit('student', { examId: alert.examId, studentId: alert.studentId });
      return view;
    };
  app.post('/api/alerts/:id/dismiss', act('dismiss', 'dismissed'));
  app.post('/api/alerts/:id/warn', act('warn', 'warned'));
  app.post('/api/alerts/:id/escalate', act('escalate', 'escalated'));
}

function examOr404(store: Store, id: string) {
  const exam = store.people.getExam(id);
  if (!exam) throw lwError('LABWATCH_ERR_ASSISTANT_NOT_FOUND', { what: 'exam', id });
  return exam;
}

function alertOr404(store: Store, id: string): AlertRecord {
  const alert = /^\d+$/.test(id) ? store.alerts.getAlert(id) : undefined;
  if (!alert) throw lwError('LABWATCH_ERR_ASSISTANT_NOT_FOUND', { what: 'alert', id });
  return alert;
}
