import type { Db } from './db.js';
import type {
  AlertActionRecord, AlertKind, AlertRecord, AlertState, EvidenceRecord, StoredFrame,
} from './types.js';

export interface NewAlert {
  examId: string;
  studentId: string;
  kind: AlertKind;
  state: AlertState;
  createdAt: number;
  score: number | null;
  /** One score per monitor (left to right) of the window that raised it. */
  viewScores?: number[];
  frames?: StoredFrame[];
}

export interface PendingPopup { id: number; text: string }

/** Alerts with their frames, actions and evidence; latest frames; pop-ups; the audit log. */
export class AlertRepo {
  constructor(private readonly db: Db) {}

  createAlert(a: NewAlert): AlertRecord {
    const insertFrame = this.db.prepare('INSERT INTO alert_frames (alert_id, idx, seq, captured_at, rgb) VALUES (?, ?, ?, ?, ?)');
    const id = this.db.transaction(() => {
      const info = this.db.prepare('INSERT INTO alerts (exam_id, student_id, kind, state, created_at, score, view_scores) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(a.examId, a.studentId, a.kind, a.state, a.createdAt, a.score, a.viewScores ? JSON.stringify(a.viewScores) : null);
      const alertId = Number(info.lastInsertRowid);
      (a.frames ?? []).forEach((f, i) => insertFrame.run(alertId, i, f.seq, f.capturedAt, f.rgb));
      return alertId;
    })();
    return this.getAlert(String(id))!;
  }

  getAlert(id: string): AlertRecord | undefined {
    const row = this.db.prepare(`${ALERT_SELECT} WHERE a.id = ?`).get(Number(id)) as AlertSql | undefined;
    return row && this.hydrate([row])[0];
  }

  /** Newest first. */
  listAlerts(examId: string, state: AlertState | 'all' = 'all', limit = 1000): AlertRecord[] {
    const rows = (state === 'all'
      ? this.db.prepare(`${ALERT_SELECT} WHERE a.exam_id = ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?`).all(examId, limit)
      : this.db.prepare(`${ALERT_SELECT} WHERE a.exam_id = ? AND a.state = ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?`).all(examId, state, limit)
    ) as AlertSql[];
    return this.hydrate(rows);
  }

  openAlertCounts(examId: string): Map<string, number> {
    const rows = this.db.prepare("SELECT student_id, COUNT(*) AS n FROM alerts WHERE exam_id = ? AND state = 'open' GROUP BY student_id").all(examId) as { student_id: string; n: number }[];
    return new Map(rows.map((r) => [r.student_id, r.n]));
  }

  alertFrame(alertId: string, idx: number): StoredFrame | undefined {
    const row = this.db.prepare('SELECT seq, captured_at, rgb FROM alert_frames WHERE alert_id = ? AND idx = ?').get(Number(alertId), idx) as { seq: number; captured_at: number; rgb: Buffer } | undefined;
    return row && { seq: row.seq, capturedAt: row.captured_at, rgb: new Uint8Array(row.rgb) };
  }

  /** Record an instructor action, move the alert to `state`, and audit it, atomically. */
  act(alertId: string, action: AlertActionRecord, state: AlertState, examId: string): AlertRecord {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO alert_actions (alert_id, action, author, at, text) VALUES (?, ?, ?, ?, ?)')
        .run(Number(alertId), action.action, action.author, action.at, action.text ?? null);
      this.db.prepare('UPDATE alerts SET state = ? WHERE id = ?').run(state, Number(alertId));
      this.audit(action.author, `alert.${action.action}`, examId, { alertId, text: action.text }, action.at);
    })();
    return this.getAlert(alertId)!;
  }

  addEvidence(alertId: string, e: EvidenceRecord, receivedAt: number): void {
    this.db.prepare(
      'INSERT INTO evidence (alert_id, seq, path, mime, sha256, size, width, height, captured_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(Number(alertId), e.seq, e.path, e.mime, e.sha256, e.size, e.width, e.height, e.capturedAt, receivedAt);
  }

  /** Latest frame per student, many students in one transaction (called from a timer, not per frame). */
  writeLatestFrames(frames: { examId: string; studentId: string; frame: StoredFrame }[]): void {
    if (frames.length === 0) return;
    const upsert = this.db.prepare(
      `INSERT INTO latest_frames (exam_id, student_id, seq, captured_at, rgb) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (exam_id, student_id) DO UPDATE SET seq = excluded.seq, captured_at = excluded.captured_at, rgb = excluded.rgb`,
    );
    const seq = this.db.prepare('UPDATE students SET last_seq = MAX(last_seq, ?) WHERE exam_id = ? AND student_id = ?');
    this.db.transaction(() => {
      for (const f of frames) {
        upsert.run(f.examId, f.studentId, f.frame.seq, f.frame.capturedAt, f.frame.rgb);
        seq.run(f.frame.seq, f.examId, f.studentId);
      }
    })();
  }

  latestFrame(examId: string, studentId: string): StoredFrame | undefined {
    const row = this.db.prepare('SELECT seq, captured_at, rgb FROM latest_frames WHERE exam_id = ? AND student_id = ?').get(examId, studentId) as { seq: number; captured_at: number; rgb: Buffer } | undefined;
    return row && { seq: row.seq, capturedAt: row.captured_at, rgb: new Uint8Array(row.rgb) };
  }

  enqueuePopup(examId: string, studentId: string, alertId: string | null, text: string, now: number): number {
    return Number(this.db.prepare('INSERT INTO popups (exam_id, student_id, alert_id, text, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(examId, studentId, alertId === null ? null : Number(alertId), text, now).lastInsertRowid);
  }

  /** Pop-ups not yet shown (sent or not: an agent that dropped before showing one gets it again). */
  pendingPopups(examId: string, studentId: string): PendingPopup[] {
    return this.db.prepare('SELECT id, text FROM popups WHERE exam_id = ? AND student_id = ? AND shown_at IS NULL ORDER BY id').all(examId, studentId) as PendingPopup[];
  }

  markPopup(id: number, column: 'sent_at' | 'shown_at', examId: string, studentId: string, now: number): void {
    this.db.prepare(`UPDATE popups SET ${column} = ? WHERE id = ? AND exam_id = ? AND student_id = ?`).run(now, id, examId, studentId);
  }

  audit(author: string, action: string, examId: string | null, details: Record<string, unknown>, at: number): void {
    this.db.prepare('INSERT INTO audit_log (at, author, action, exam_id, details) VALUES (?, ?, ?, ?, ?)')
      .run(at, author, action, examId, JSON.stringify(details));
  }

  auditLog(examId?: string): { at: number; author: string; action: string; examId: string | null; details: Record<string, unknown> }[] {
    const rows = (examId === undefined
      ? this.db.prepare('SELECT * FROM audit_log ORDER BY id').all()
      : this.db.prepare('SELECT * FROM audit_log WHERE exam_id = ? ORDER BY id').all(examId)) as { at: number; author: string; action: string; exam_id: string | null; details: string }[];
    return rows.map((r) => ({ at: r.at, author: r.author, action: r.action, examId: r.exam_id, details: JSON.parse(r.details) as Record<string, unknown> }));
  }

  private hydrate(rows: AlertSql[]): AlertRecord[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const marks = ids.map(() => '?').join(',');
    const frames = this.db.prepare(`SELECT alert_id, seq FROM alert_frames WHERE alert_id IN (${marks}) ORDER BY alert_id, idx`).all(...ids) as { alert_id: number; seq: number }[];
    const actions = this.db.prepare(`SELECT * FROM alert_actions WHERE alert_id IN (${marks}) ORDER BY id`).all(...ids) as { alert_id: number; action: string; author: string; at: number; text: string | null }[];
    const evidence = this.db.prepare(`SELECT * FROM evidence WHERE alert_id IN (${marks}) ORDER BY id`).all(...ids) as EvidenceSql[];
    const by = <T extends { alert_id: number }>(list: T[]) => {
      const m = new Map<number, T[]>();
      for (const x of list) m.set(x.alert_id, [...(m.get(x.alert_id) ?? []), x]);
      return m;
    };
    const f = by(frames), a = by(actions), e = by(evidence);
    return rows.map((r) => ({
      id: String(r.id), examId: r.exam_id, studentId: r.student_id, name: r.name, surname: r.surname,
      kind: r.kind, state: r.state, createdAt: r.created_at, score: r.score,
      viewScores: r.view_scores === null ? null : (JSON.parse(r.view_scores) as number[]),
      frameSeqs: (f.get(r.id) ?? []).map((x) => x.seq),
      actions: (a.get(r.id) ?? []).map((x) => ({ action: x.action, author: x.author, at: x.at, ...(x.text === null ? {} : { text: x.text }) })),
      evidence: (e.get(r.id) ?? []).map((x) => ({ seq: x.seq, path: x.path, mime: x.mime, sha256: x.sha256, size: x.size, width: x.width, height: x.height, capturedAt: x.captured_at })),
    }));
  }
}

const ALERT_SELECT = `SELECT a.*, s.name, s.surname FROM alerts a JOIN students s ON s.exam_id = a.exam_id AND s.student_id = a.student_id`;

interface AlertSql {
  id: number; exam_id: string; student_id: string; kind: AlertKind; state: AlertState;
  created_at: number; score: number | null; view_scores: string | null; name: string; surname: string;
}
interface EvidenceSql {
  alert_id: number; seq: number; path: string; mime: string; sha256: string; size: number;
  width: number; height: number; captured_at: number | null;
}
