import type { EventEmitter } from 'node:events';
import { lwError, type LabwatchError } from '../core/errors.js';
import type { AgentCounters, FrameMessage, ServerMessage } from '../core/protocol.js';
import { applyAlertRule, newRuleState, type RuleState } from './alert-rule.js';
import { toApiAlert, type ApiStudent } from './api-views.js';
import type { InferenceBatcher, WindowResult } from './inference-batcher.js';
import type { Store } from './store/store.js';
import type { AgentCountersRecord, AlertKind, AlertRecord, AlertState, Exam, StoredFrame, Student } from './store/types.js';

/** How the monitor talks to one connected agent (the agent endpoint implements it). */
export interface AgentLink {
  send(msg: ServerMessage): void;
  /** Send an `error` with this coded error and close the connection. */
  fail(err: LabwatchError): void;
}

/** seqs: seq -> capture time of the frames asked for; re-sent after each hello until all arrive or it expires. */
interface EvidenceRequest { alertId: string; seqs: Map<number, number>; received: Set<number>; createdAt: number }

/** An agent keeps full-size originals only for a while; older requests are not repeated. */
const EVIDENCE_REQUEST_TTL_MS = 10 * 60 * 1000;

interface Live {
  key: string;
  exam: Exam;
  student: Student;
  link: AgentLink | null;
  lastSeq: number;
  lastHeardAt: number | null;
  silent: boolean;
  latest: StoredFrame | null;
  latestDirty: boolean;
  verdict: 'permitted' | 'suspicious' | null;
  score: number | null;
  rule: RuleState;
  evidence: Map<number, EvidenceRequest>;
  /** The latest counters the agent reported (hello, heartbeats); null until it reports after this start. */
  counters: AgentCountersRecord | null;
}

export interface MonitorOptions {
  store: Store;
  events: EventEmitter;
  now: () => number;
  silentAfterMs: number;
  threshold: number;
  /** Consecutive suspicious windows that raise an alert (alert-rule.ts). */
  confirmWindows: number;
  log: (line: string) => void;
}

/** Largest number of queue-to-verdict latencies kept for stats(). */
const LATENCY_SAMPLES = 10_000;

/**
 * The live state of every student seen since start: connection, last seq, latest
 * frame, sliding-window verdicts, the alert rule, silence, pending evidence
 * requests and pop-ups. Frames stay in memory; only the latest frame per student
 * is written, in one transaction per flush.
 */
export class Monitor {
  private live = new Map<string, Live>();
  private nextRequestId = 1;
  private latencies: number[] = [];
  batcher: InferenceBatcher | undefined;

  constructor(private readonly o: MonitorOptions) {}

  static key(examId: string, studentId: string): string {
    return `${examId}\u0000${studentId}`;
  }

  /** A new authenticated agent connection for `student`: it replaces any older one. */
  attach(exam: Exam, student: Student, link: AgentLink, counters: AgentCounters): string {
    const l = this.getLive(exam, student);
    this.updateCounters(l, counters);
    if (l.link && l.link !== link) l.link.fail(lwError('LABWATCH_ERR_AUTH_REPLACED'));
    l.link = link;
    this.heard(l.key);
    link.send({
      type: 'welcome', name: student.name, surname: student.surname, studentId: student.studentId,
      examName: exam.name, captureIntervalMs: exam.captureIntervalMs, lastAckedSeq: l.lastSeq,
    });
    for (const p of this.o.store.alerts.pendingPopups(exam.id, student.studentId)) {
      link.send({ type: 'popup', popupId: p.id, text: p.text });
      this.o.store.alerts.markPopup(p.id, 'sent_at', exam.id, student.studentId, this.o.now());
    }
    for (const [requestId, r] of l.evidence) {
      if (this.o.now() - r.createdAt > EVIDENCE_REQUEST_TTL_MS) l.evidence.delete(requestId);
      else this.sendEvidenceRequest(l, requestId, r);
    }
    this.emitStudent(l);
    return l.key;
  }

  detach(key: string, link: AgentLink): void {
    const l = this.live.get(key);
    if (!l || l.link !== link) return;
    l.link = null;
    this.emitStudent(l);
  }

  /** Any message from the agent proves it is alive; a silent one comes back with a note. */
  heard(key: string): void {
    const l = this.live.get(key);
    if (!l) return;
    l.lastHeardAt = this.o.now();
    if (l.silent) {
      l.silent = false;
      this.raise(l, 'agent_back', 'note', null);
      this.emitStudent(l);
    }
  }

  /** The agent's counters from a heartbeat: kept (and stored) when they changed. */
  agentCounters(key: string, counters: AgentCounters): void {
    const l = this.live.get(key);
    if (l && this.updateCounters(l, counters)) this.emitStudent(l);
  }

  /** Returns the ack to send: cumulative, up to the highest seq held. */
  frame(key: string, msg: FrameMessage): ServerMessage {
    const l = this.live.get(key)!;
    if (msg.seq > l.lastSeq) {
      // decode gives the views in an array of their own (inflated or copied), not a view of the socket's buffer
      const frame: StoredFrame = { seq: msg.seq, capturedAt: msg.capturedAt, rgb: msg.rgb };
      l.lastSeq = msg.seq;
      l.latest = frame;
      l.latestDirty = true;
      this.batcher?.push(key, frame);
      this.o.events.emit('frame', { examId: l.exam.id, studentId: l.student.studentId, seq: msg.seq });
    }
    return { type: 'ack', seq: l.lastSeq, cumulative: true };
  }

  /** Verdicts of a classified batch: update students, apply the alert rule. */
  onResults(results: WindowResult[]): void {
    const now = this.o.now();
    for (const r of results) {
      const l = this.live.get(r.key);
      if (!l) continue;
      const newest = r.frames[r.frames.length - 1];
      const { suspicious, alert } = applyAlertRule(l.rule, r.score, this.o.threshold, this.o.confirmWindows);
      const changed = l.verdict !== (suspicious ? 'suspicious' : 'permitted');
      l.verdict = suspicious ? 'suspicious' : 'permitted';
      l.score = r.score;
      this.latencies.push(now - r.queuedAt);
      if (this.latencies.length > LATENCY_SAMPLES) this.latencies.splice(0, this.latencies.length - LATENCY_SAMPLES);
      // noted once per gap: when it is between the window's two newest frames
      const newestGap = newest.capturedAt - r.frames[r.frames.length - 2].capturedAt;
      if (newestGap > 1000 + l.exam.captureIntervalMs) {
        this.o.log(`${l.student.studentId}: ${Math.round(newestGap)} ms between frames up to seq ${newest.seq} (frames lost); windows slide over the gap`);
      }
      this.o.events.emit('verdict', {
        examId: l.exam.id, studentId: l.student.studentId, seq: newest.seq, capturedAt: newest.capturedAt,
        verdictAt: now, score: r.score, suspicious, gapMs: r.maxGapMs,
      });
      if (alert) {
        const record = this.raise(l, 'suspicious', 'open', r.score, r.frames, r.viewScores);
        const requestId = this.nextRequestId++;
        const req: EvidenceRequest = { alertId: record.id, seqs: new Map(r.frames.map((f) => [f.seq, f.capturedAt])), received: new Set(), createdAt: this.o.now() };
        l.evidence.set(requestId, req);
        this.sendEvidenceRequest(l, requestId, req);
      }
      if (changed || alert) this.emitStudent(l);
    }
  }

  /** Validate an evidence answer; returns what to store, or throws a coded error (the connection is then closed). */
  claimEvidence(key: string, requestId: number, seq: number): { alertId: string; exam: Exam; capturedAt: number } {
    const l = this.live.get(key)!;
    const req = l.evidence.get(requestId);
    const capturedAt = req?.seqs.get(seq);
    if (!req || capturedAt === undefined || req.received.has(seq)) {
      throw lwError('LABWATCH_ERR_ASSISTANT_EVIDENCE_REJECTED', { seq, reason: 'it was not requested (or was already received)' });
    }
    req.received.add(seq);
    if (req.received.size === req.seqs.size) l.evidence.delete(requestId);
    return { alertId: req.alertId, exam: l.exam, capturedAt };
  }

  evidenceStored(alertId: string): void {
    const alert = this.o.store.alerts.getAlert(alertId);
    if (alert) this.o.events.emit('alert-updated', toApiAlert(alert));
  }

  popupShown(key: string, popupId: number): void {
    const l = this.live.get(key);
    if (l) this.o.store.alerts.markPopup(popupId, 'shown_at', l.exam.id, l.student.studentId, this.o.now());
  }

  /** Queue a pop-up for a student; sent now if the agent is connected, else right after its next hello. */
  sendPopup(exam: Exam, student: Student, alertId: string | null, text: string): void {
    const id = this.o.store.alerts.enqueuePopup(exam.id, student.studentId, alertId, text, this.o.now());
    const l = this.live.get(Monitor.key(exam.id, student.studentId));
    if (l?.link) {
      l.link.send({ type: 'popup', popupId: id, text });
      this.o.store.alerts.markPopup(id, 'sent_at', exam.id, student.studentId, this.o.now());
    }
  }

  /** Raise 'agent_silent' for every agent not heard for silentAfterMs. */
  checkSilence(): void {
    const now = this.o.now();
    for (const l of this.live.values()) {
      if (l.silent || l.lastHeardAt === null || now - l.lastHeardAt < this.o.silentAfterMs) continue;
      l.silent = true;
      this.raise(l, 'agent_silent', 'open', null);
      this.emitStudent(l);
    }
  }

  heartbeatAll(): void {
    const sentAt = this.o.now();
    for (const l of this.live.values()) l.link?.send({ type: 'server-heartbeat', sentAt });
  }

  /** Write the latest frame of every student that got one since the last flush (one transaction). */
  flushLatestFrames(): void {
    const dirty = [...this.live.values()].filter((l) => l.latestDirty && l.latest);
    this.o.store.alerts.writeLatestFrames(dirty.map((l) => ({ examId: l.exam.id, studentId: l.student.studentId, frame: l.latest! })));
    for (const l of dirty) l.latestDirty = false;
  }

  latestFrame(examId: string, studentId: string): StoredFrame | undefined {
    return this.live.get(Monitor.key(examId, studentId))?.latest ?? this.o.store.alerts.latestFrame(examId, studentId);
  }

  students(examId: string): ApiStudent[] {
    const open = this.o.store.alerts.openAlertCounts(examId);
    const stored = this.o.store.people.agentCounters(examId);
    return this.o.store.people.listStudents(examId).map((s) =>
      this.view(s, this.live.get(Monitor.key(examId, s.studentId)), open.get(s.studentId) ?? 0, stored.get(s.studentId)));
  }

  student(examId: string, studentId: string): ApiStudent | undefined {
    const s = this.o.store.people.getStudent(examId, studentId);
    if (!s) return undefined;
    const open = this.o.store.alerts.openAlertCounts(examId).get(studentId) ?? 0;
    return this.view(s, this.live.get(Monitor.key(examId, studentId)), open, this.o.store.people.agentCounters(examId).get(studentId));
  }

  /** An exam was purged: disconnect its agents and drop its students' state. */
  forgetExam(examId: string): void {
    for (const [key, l] of this.live) {
      if (l.exam.id !== examId) continue;
      l.link?.fail(lwError('LABWATCH_ERR_AUTH_BAD_TOKEN'));
      this.batcher?.reset(key);
      this.live.delete(key);
    }
  }

  /** Every connected agent (for shutdown). */
  links(): AgentLink[] {
    return [...this.live.values()].flatMap((l) => (l.link ? [l.link] : []));
  }

  /** Queue-to-verdict latency percentiles (ms) over the last verdicts. */
  stats(): { verdicts: number; p50: number; p99: number; max: number } {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { verdicts: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
  }

  private view(s: Student, l: Live | undefined, openAlerts: number, storedCounters: AgentCountersRecord | undefined): ApiStudent {
    const latest = l?.latest ?? null;
    const c = l?.counters ?? storedCounters ?? null;
    return {
      studentId: s.studentId, name: s.name, surname: s.surname,
      state: l?.silent ? 'silent' : l?.link ? 'online' : 'offline',
      verdict: l?.verdict ?? null, score: l?.score ?? null,
      lastFrameAt: latest ? latest.capturedAt : null,
      openAlerts,
      agentCounters: c && { dropped: c.dropped, skippedTicks: c.skippedTicks, captureErrors: c.captureErrors, updatedAt: c.updatedAt },
    };
  }

  /** Keep and store the agent's counters when they changed; returns whether they did. */
  private updateCounters(l: Live, c: AgentCounters): boolean {
    const old = l.counters;
    if (old && old.dropped === c.dropped && old.skippedTicks === c.skippedTicks && old.captureErrors === c.captureErrors) return false;
    l.counters = { dropped: c.dropped, skippedTicks: c.skippedTicks, captureErrors: c.captureErrors, updatedAt: this.o.now() };
    this.o.store.people.saveAgentCounters(l.exam.id, l.student.studentId, l.counters);
    if (c.dropped > (old?.dropped ?? 0)) {
      this.o.log(`${l.student.studentId}: the agent reports ${c.dropped} frame(s) dropped by its resend buffer`);
    }
    return true;
  }

  private emitStudent(l: Live): void {
    this.o.events.emit('student', { examId: l.exam.id, studentId: l.student.studentId });
  }

  private raise(l: Live, kind: AlertKind, state: AlertState, score: number | null, frames?: StoredFrame[], viewScores?: number[]): AlertRecord {
    const record = this.o.store.alerts.createAlert({
      examId: l.exam.id, studentId: l.student.studentId, kind, state, createdAt: this.o.now(), score, frames, viewScores,
    });
    this.o.events.emit('alert', toApiAlert(record));
    return record;
  }

  private sendEvidenceRequest(l: Live, requestId: number, r: EvidenceRequest): void {
    if (!l.link) return;
    const seqs = [...r.seqs.keys()].filter((s) => !r.received.has(s));
    l.link.send({ type: 'evidence-request', requestId, seqs });
  }

  private getLive(exam: Exam, student: Student): Live {
    const key = Monitor.key(exam.id, student.studentId);
    let l = this.live.get(key);
    if (!l) {
      l = {
        key, exam, student, link: null, lastSeq: student.lastSeq, lastHeardAt: null, silent: false,
        latest: null, latestDirty: false, verdict: null, score: null, rule: newRuleState(), evidence: new Map(),
        counters: null,
      };
      this.live.set(key, l);
    }
    return l;
  }
}
