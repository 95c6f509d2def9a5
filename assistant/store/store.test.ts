import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../../core/errors.js';
import Database from 'better-sqlite3';
import { schemaVersion, DB_FILE } from './db.js';
import { MIGRATIONS } from './migrations.js';
import { buildStore, DAY_MS, type Store } from './store.js';

const roster = [
  { name: 'Ada', surname: 'Lovelace', studentId: 'S1' },
  { name: 'Alan', surname: 'Turing', studentId: 'S2' },
];
const T0 = Date.UTC(2026, 5, 1);
const dirs: string[] = [];
const stores: Store[] = [];
function open(dir?: string): Store {
  const dataDir = dir ?? mkdtempSync(path.join(tmpdir(), 'lw-store-'));
  if (!dir) dirs.push(dataDir);
  const s = buildStore({ dataDir });
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) { try { s.close(); } catch { /* already closed */ } }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('assistant store', () => {
  it('creates the schema once, in WAL mode, and reopens without re-migrating', () => {
    const s = open();
    expect(schemaVersion(s.db)).toBe(MIGRATIONS.length);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const { exam } = s.people.createExam({ name: 'E', roster, createdAt: T0, retentionDays: 30, captureIntervalMs: 1000 });
    s.close();
    const again = open(s.dataDir);
    expect(schemaVersion(again.db)).toBe(MIGRATIONS.length);
    expect(again.people.getExam(exam.id)?.name).toBe('E');
  });

  it('stores only token hashes and finds a student by its token', () => {
    const s = open();
    const { exam, tokens } = s.people.createExam({ name: 'E', roster, createdAt: T0, retentionDays: 30, captureIntervalMs: 1000 });
    expect(tokens).toHaveLength(2);
    expect(s.people.studentByToken(tokens[1].token)?.student).toMatchObject({ examId: exam.id, studentId: 'S2' });
    expect(s.people.studentByToken('not-a-token')).toBeUndefined();
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    const raw = readFileSync(path.join(s.dataDir, DB_FILE)).toString('latin1');
    for (const t of tokens) expect(raw.includes(t.token)).toBe(false);
  });

  it('keeps sessions until they expire and refuses duplicate instructors', () => {
    const s = open();
    s.people.createInstructor('prof', 'scrypt$x', T0);
    expect(() => s.people.createInstructor('prof', 'scrypt$y', T0)).toThrow(expect.objectContaining({ code: 'LABWATCH_ERR_AUTH_INSTRUCTOR_EXISTS' }));
    const sid = s.people.createSession('prof', T0, 1000);
    expect(s.people.sessionUser(sid, T0 + 999)).toBe('prof');
    expect(s.people.sessionUser(sid, T0 + 1000)).toBeUndefined();
    const other = s.people.createSession('prof', T0, 1000);
    s.people.deleteSession(other);
    expect(s.people.sessionUser(other, T0)).toBeUndefined();
  });

  it('records alert actions with their author and audits them', () => {
    const s = open();
    const { exam } = s.people.createExam({ name: 'E', roster, createdAt: T0, retentionDays: 30, captureIntervalMs: 1000 });
    const frames = [1, 2, 3].map((seq) => ({ seq, capturedAt: T0 + seq * 1000, rgb: new Uint8Array(7500).fill(seq) }));
    const alert = s.alerts.createAlert({ examId: exam.id, studentId: 'S1', kind: 'suspicious', state: 'open', createdAt: T0 + 3000, score: 0.9, viewScores: [0.2, 0.9], frames });
    expect(alert).toMatchObject({ name: 'Ada', surname: 'Lovelace', state: 'open', viewScores: [0.2, 0.9], frameSeqs: [1, 2, 3], actions: [], evidence: [] });
    expect(s.alerts.alertFrame(alert.id, 2)?.rgb[0]).toBe(3);
    const warned = s.alerts.act(alert.id, { action: 'warn', author: 'prof', at: T0 + 5000, text: 'Close the browser' }, 'warned', exam.id);
    expect(warned.state).toBe('warned');
    expect(warned.actions).toEqual([{ action: 'warn', author: 'prof', at: T0 + 5000, text: 'Close the browser' }]);
    expect(s.alerts.auditLog(exam.id)).toEqual([
      { at: T0 + 5000, author: 'prof', action: 'alert.warn', examId: exam.id, details: { alertId: alert.id, text: 'Close the browser' } },
    ]);
    expect(s.alerts.listAlerts(exam.id, 'open')).toEqual([]);
    expect(s.alerts.listAlerts(exam.id, 'warned').map((a) => a.id)).toEqual([alert.id]);
  });

  it('batches latest frames and remembers the highest seq', () => {
    const s = open();
    const { exam } = s.people.createExam({ name: 'E', roster, createdAt: T0, retentionDays: 30, captureIntervalMs: 1000 });
    s.alerts.writeLatestFrames([
      { examId: exam.id, studentId: 'S1', frame: { seq: 7, capturedAt: T0, rgb: new Uint8Array(7500).fill(7) } },
      { examId: exam.id, studentId: 'S2', frame: { seq: 3, capturedAt: T0, rgb: new Uint8Array(7500) } },
    ]);
    s.alerts.writeLatestFrames([{ examId: exam.id, studentId: 'S1', frame: { seq: 8, capturedAt: T0 + 1000, rgb: new Uint8Array(7500).fill(8) } }]);
    expect(s.alerts.latestFrame(exam.id, 'S1')?.rgb[0]).toBe(8);
    expect(s.people.getStudent(exam.id, 'S1')?.lastSeq).toBe(8);
    expect(s.people.getStudent(exam.id, 'S2')?.lastSeq).toBe(3);
  });

  it('purges an exam after its retention period: rows and evidence files, other exams untouched', () => {
    const s = open();
    const old = s.people.createExam({ name: 'old', roster, createdAt: T0, retentionDays: 30, captureIntervalMs: 1000 }).exam;
    const fresh = s.people.createExam({ name: 'fresh', roster, createdAt: T0 + 20 * DAY_MS, retentionDays: 30, captureIntervalMs: 1000 }).exam;
    const files: string[] = [];
    for (const exam of [old, fresh]) {
      const alert = s.alerts.createAlert({ examId: exam.id, studentId: 'S1', kind: 'suspicious', state: 'open', createdAt: T0, score: 0.9 });
      mkdirSync(s.evidenceDir(exam.id), { recursive: true });
      const file = path.join(s.evidenceDir(exam.id), `${alert.id}-1.png`);
      writeFileSync(file, 'png');
      files.push(file);
      s.alerts.addEvidence(alert.id, { seq: 1, path: file, mime: 'image/png', sha256: 'x', size: 3, width: 1, height: 1, capturedAt: T0 }, T0);
      s.alerts.act(alert.id, { action: 'dismiss', author: 'prof', at: T0 }, 'dismissed', exam.id);
    }
    expect(s.purgeExpired(T0 + 30 * DAY_MS - 1)).toEqual([]);
    expect(s.purgeExpired(T0 + 30 * DAY_MS)).toEqual([old.id]);
    expect(s.people.getExam(old.id)).toBeUndefined();
    expect(s.people.listStudents(old.id)).toEqual([]);
    expect(s.alerts.listAlerts(old.id)).toEqual([]);
    expect(s.alerts.auditLog(old.id)).toEqual([]);
    expect(existsSync(files[0])).toBe(false);
    expect(existsSync(s.evidenceDir(old.id))).toBe(false);
    expect(existsSync(files[1])).toBe(true);
    expect(s.alerts.listAlerts(fresh.id)).toHaveLength(1);
    const orphanEvidence = s.db.prepare('SELECT COUNT(*) AS n FROM evidence').get() as { n: number };
    expect(orphanEvidence.n).toBe(1);
  });

  it('keeps no monitor scores for alerts without frames', () => {
    const s = open();
    const { exam } = s.people.createExam({ name: 'E', roster, createdAt: T0, retentionDays: 30, captureIntervalMs: 1000 });
    const silent = s.alerts.createAlert({ examId: exam.id, studentId: 'S1', kind: 'agent_silent', state: 'open', createdAt: T0, score: null });
    expect(s.alerts.getAlert(silent.id)?.viewScores).toBeNull();
  });

  it('upgrades a version-1 database in place and keeps the latest agent counters per student', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lw-store-v1-'));
    dirs.push(dataDir);
    const v1 = new Database(path.join(dataDir, DB_FILE));
    v1.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    v1.exec(MIGRATIONS[0].sql);
    v1.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)').run();
    v1.prepare("INSERT INTO exams (id, name, created_at, retention_days, capture_interval_ms) VALUES ('ex-1', 'E', ?, 30, 1000)").run(T0);
    v1.prepare("INSERT INTO students (exam_id, student_id, name, surname, token_hash, last_seq) VALUES ('ex-1', 'S1', 'Ada', 'Lovelace', 'h', 12)").run();
    v1.close();
    const s = open(dataDir);
    expect(schemaVersion(s.db)).toBe(MIGRATIONS.length);
    expect(s.people.getStudent('ex-1', 'S1')?.lastSeq).toBe(12);
    expect(s.people.agentCounters('ex-1').size).toBe(0);
    s.people.saveAgentCounters('ex-1', 'S1', { dropped: 5, skippedTicks: 1, captureErrors: 0, updatedAt: T0 });
    s.people.saveAgentCounters('ex-1', 'S1', { dropped: 9, skippedTicks: 2, captureErrors: 3, updatedAt: T0 + 1 });
    expect(s.people.agentCounters('ex-1')).toEqual(new Map([['S1', { dropped: 9, skippedTicks: 2, captureErrors: 3, updatedAt: T0 + 1 }]]));
    // they go with the exam
    s.purgeExpired(T0 + 30 * DAY_MS);
    expect((s.db.prepare('SELECT COUNT(*) AS n FROM agent_counters').get() as { n: number }).n).toBe(0);
  });

  it('refuses a database made by a newer labwatch', () => {
    const s = open();
    s.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)').run();
    s.close();
    try {
      open(s.dataDir);
      expect.unreachable();
    } catch (err) {
      expect(isLabwatchError(err, 'LABWATCH_ERR_STORE_TOO_NEW')).toBe(true);
    }
  });
});
