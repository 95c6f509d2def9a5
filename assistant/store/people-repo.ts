import { randomBytes } from 'node:crypto';
import { lwError } from '../../core/errors.js';
import { hashSecret, newSecret } from '../auth/secrets.js';
import type { Db } from './db.js';
import type { AgentCountersRecord, Exam, RosterEntry, Student } from './types.js';

/** Exams, enrolled students, instructors and their login sessions. */
export class PeopleRepo {
  constructor(private readonly db: Db) {}

  /** Create an exam and one enrolment token per student; only the tokens' hashes are stored. */
  createExam(input: { name: string; roster: RosterEntry[]; createdAt: number; retentionDays: number; captureIntervalMs: number }):
    { exam: Exam; tokens: { studentId: string; name: string; surname: string; token: string }[] } {
    const exam: Exam = {
      id: `ex-${randomBytes(6).toString('hex')}`,
      name: input.name,
      createdAt: input.createdAt,
      retentionDays: input.retentionDays,
      captureIntervalMs: input.captureIntervalMs,
    };
    const seen = new Set<string>();
    for (const s of input.roster) {
      if (seen.has(s.studentId)) throw lwError('LABWATCH_ERR_ROSTER_INVALID', { count: 1, problems: `  student ID "${s.studentId}" appears twice` });
      seen.add(s.studentId);
    }
    const tokens = input.roster.map((s) => ({ ...s, token: newSecret() }));
    const insertStudent = this.db.prepare(
      'INSERT INTO students (exam_id, student_id, name, surname, token_hash) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO exams (id, name, created_at, retention_days, capture_interval_ms) VALUES (?, ?, ?, ?, ?)')
        .run(exam.id, exam.name, exam.createdAt, exam.retentionDays, exam.captureIntervalMs);
      for (const t of tokens) insertStudent.run(exam.id, t.studentId, t.name, t.surname, hashSecret(t.token));
    })();
    return { exam, tokens: tokens.map(({ studentId, name, surname, token }) => ({ studentId, name, surname, token })) };
  }

  listExams(): (Exam & { students: number })[] {
    return (this.db.prepare(
      `SELECT e.*, (SELECT COUNT(*) FROM students s WHERE s.exam_id = e.id) AS students FROM exams e ORDER BY e.created_at DESC`,
    ).all() as ExamSql[]).map((r) => ({ ...examFromSql(r), students: r.students ?? 0 }));
  }

  getExam(id: string): Exam | undefined {
    const row = this.db.prepare('SELECT * FROM exams WHERE id = ?').get(id) as ExamSql | undefined;
    return row && examFromSql(row);
  }

  /** The student a token enrols, with the exam: a token works for that one student in that one exam. */
  studentByToken(token: string): { student: Student; exam: Exam } | undefined {
    const row = this.db.prepare('SELECT * FROM students WHERE token_hash = ?').get(hashSecret(token)) as StudentSql | undefined;
    if (!row) return undefined;
    const exam = this.getExam(row.exam_id);
    return exam && { student: studentFromSql(row), exam };
  }

  listStudents(examId: string): Student[] {
    return (this.db.prepare('SELECT * FROM students WHERE exam_id = ? ORDER BY surname, name, student_id').all(examId) as StudentSql[])
      .map(studentFromSql);
  }

  getStudent(examId: string, studentId: string): Student | undefined {
    const row = this.db.prepare('SELECT * FROM students WHERE exam_id = ? AND student_id = ?').get(examId, studentId) as StudentSql | undefined;
    return row && studentFromSql(row);
  }

  /** Keep the latest counters a student's agent reported (call it when they change). */
  saveAgentCounters(examId: string, studentId: string, c: AgentCountersRecord): void {
    this.db.prepare(
      `INSERT INTO agent_counters (exam_id, student_id, dropped, skipped_ticks, capture_errors, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (exam_id, student_id) DO UPDATE SET dropped = excluded.dropped, skipped_ticks = excluded.skipped_ticks,
         capture_errors = excluded.capture_errors, updated_at = excluded.updated_at`,
    ).run(examId, studentId, c.dropped, c.skippedTicks, c.captureErrors, c.updatedAt);
  }

  /** The latest reported counters of every student of an exam whose agent reported any. */
  agentCounters(examId: string): Map<string, AgentCountersRecord> {
    const rows = this.db.prepare('SELECT * FROM agent_counters WHERE exam_id = ?').all(examId) as AgentCountersSql[];
    return new Map(rows.map((r) => [r.student_id, { dropped: r.dropped, skippedTicks: r.skipped_ticks, captureErrors: r.capture_errors, updatedAt: r.updated_at }]));
  }

  createInstructor(username: string, passwordHash: string, now: number): void {
    const exists = this.db.prepare('SELECT 1 FROM instructors WHERE username = ?').get(username);
    if (exists) throw lwError('LABWATCH_ERR_AUTH_INSTRUCTOR_EXISTS', { username });
    this.db.prepare('INSERT INTO instructors (username, password_hash, created_at) VALUES (?, ?, ?)').run(username, passwordHash, now);
  }

  passwordHash(username: string): string | undefined {
    const row = this.db.prepare('SELECT password_hash FROM instructors WHERE username = ?').get(username) as { password_hash: string } | undefined;
    return row?.password_hash;
  }

  /** Returns the session id to put in the cookie; only its hash is stored. */
  createSession(username: string, now: number, ttlMs: number): string {
    const id = newSecret();
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    this.db.prepare('INSERT INTO sessions (id_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashSecret(id), username, now, now + ttlMs);
    return id;
  }

  sessionUser(id: string, now: number): string | undefined {
    const row = this.db.prepare('SELECT username FROM sessions WHERE id_hash = ? AND expires_at > ?').get(hashSecret(id), now) as { username: string } | undefined;
    return row?.username;
  }

  deleteSession(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashSecret(id));
  }
}

interface ExamSql { id: string; name: string; created_at: number; retention_days: number; capture_interval_ms: number; students?: number }
interface AgentCountersSql { student_id: string; dropped: number; skipped_ticks: number; capture_errors: number; updated_at: number }
interface StudentSql { exam_id: string; student_id: string; name: string; surname: string; last_seq: number }

function examFromSql(r: ExamSql): Exam {
  return { id: r.id, name: r.name, createdAt: r.created_at, retentionDays: r.retention_days, captureIntervalMs: r.capture_interval_ms };
}

function studentFromSql(r: StudentSql): Student {
  return { examId: r.exam_id, studentId: r.student_id, name: r.name, surname: r.surname, lastSeq: r.last_seq };
}
