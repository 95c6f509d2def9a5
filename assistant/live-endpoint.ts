import type { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { toApiAlert, type ApiAlert } from './api-views.js';
import type { Monitor } from './monitor.js';
import type { Store } from './store/store.js';

/** Above this much unsent data to one panel, frame batches are skipped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface LiveOptions {
  store: Store;
  monitor: Monitor;
  events: EventEmitter;
  /** Frames and student updates are sent at most this often (default 1 s). */
  flushMs: number;
  pingMs: number;
  /** Closed when no pong arrives for this long. */
  pongTimeoutMs: number;
  now: () => number;
}

/**
 * The panel's live feed for one exam: hello with the whole state, then alerts as
 * they happen and, once per flush, the students that changed and the latest frame
 * of every student that sent one (at most one frame per student per flush).
 */
export function handleLiveConnection(ws: WebSocket, examId: string, o: LiveOptions): void {
  const changedStudents = new Set<string>();
  const newFrames = new Set<string>();
  let lastPong = o.now();
  const send = (msg: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  const onAlert = (type: 'alert' | 'alert-updated') => (alert: ApiAlert) => {
    if (alert.examId !== examId) return;
    send({ type, alert });
    changedStudents.add(alert.studentId);
  };
  const onNewAlert = onAlert('alert');
  const onUpdatedAlert = onAlert('alert-updated');
  const onStudent = (e: { examId: string; studentId: string }) => { if (e.examId === examId) changedStudents.add(e.studentId); };
  const onFrame = (e: { examId: string; studentId: string }) => { if (e.examId === examId) newFrames.add(e.studentId); };
  const onVerdict = (e: { examId: string; studentId: string }) => { if (e.examId === examId) changedStudents.add(e.studentId); };
  o.events.on('alert', onNewAlert);
  o.events.on('alert-updated', onUpdatedAlert);
  o.events.on('student', onStudent);
  o.events.on('frame', onFrame);
  o.events.on('verdict', onVerdict);

  const flush = () => {
    if (changedStudents.size > 0) {
      // one query for the exam rather than one per student: with 150 students all change every second
      for (const student of o.monitor.students(examId)) if (changedStudents.has(student.studentId)) send({ type: 'student', student });
      changedStudents.clear();
    }
    // a panel that cannot keep up skips frames (the next flush sends the newest) rather than queueing them
    if (newFrames.size > 0 && ws.bufferedAmount < MAX_BUFFERED_BYTES) {
      const frames = [...newFrames].flatMap((studentId) => {
        const f = o.monitor.latestFrame(examId, studentId);
        return f ? [{ studentId, seq: f.seq, rgb: Buffer.from(f.rgb.buffer, f.rgb.byteOffset, f.rgb.byteLength).toString('base64') }] : [];
      });
      newFrames.clear();
      if (frames.length > 0) send({ type: 'frames', frames });
    }
  };
  const flushTimer = setInterval(flush, o.flushMs);
  const pingTimer = setInterval(() => {
    if (o.now() - lastPong > o.pongTimeoutMs) { ws.terminate(); return; }
    send({ type: 'ping', t: o.now() });
  }, o.pingMs);

  ws.on('message', (data) => {
    try {
      const msg = JSON.parse(String(data)) as { type?: unknown };
      if (msg.type === 'pong') lastPong = o.now();
    } catch {
      // the panel sends only pongs; anything else is ignored
    }
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    clearInterval(flushTimer);
    clearInterval(pingTimer);
    o.events.off('alert', onNewAlert);
    o.events.off('alert-updated', onUpdatedAlert);
    o.events.off('student', onStudent);
    o.events.off('frame', onFrame);
    o.events.off('verdict', onVerdict);
  });

  send({
    type: 'hello',
    examId,
    students: o.monitor.students(examId),
    alerts: o.store.alerts.listAlerts(examId, 'all', 500).map(toApiAlert),
  });
  // frames already held (e.g. after a panel reload) go out with the first flush
  for (const s of o.store.people.listStudents(examId)) if (o.monitor.latestFrame(examId, s.studentId)) newFrames.add(s.studentId);
}
