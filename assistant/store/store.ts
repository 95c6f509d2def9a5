import { rmSync } from 'node:fs';
import path from 'node:path';
import { AlertRepo } from './alert-repo.js';
import { openDatabase, type Db } from './db.js';
import { PeopleRepo } from './people-repo.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface Store {
  db: Db;
  dataDir: string;
  people: PeopleRepo;
  alerts: AlertRepo;
  /** DATA_DIR/evidence/<examId>: every evidence file of an exam, removed with it. */
  evidenceDir(examId: string): string;
  /** Delete every exam whose retention period has passed: rows and evidence files. Returns their ids. */
  purgeExpired(now: number): string[];
  close(): void;
}

export function buildStore(opts: { dataDir: string }): Store {
  const db = openDatabase(opts.dataDir);
  const evidenceRoot = path.join(opts.dataDir, 'evidence');
  const evidenceDir = (examId: string) => {
    // exam ids are ours (ex-<hex>), but never let one escape the evidence folder
    if (!/^[\w-]+$/.test(examId)) throw new Error(`bad exam id ${examId}`);
    return path.join(evidenceRoot, examId);
  };
  const alerts = new AlertRepo(db);
  return {
    db,
    dataDir: opts.dataDir,
    people: new PeopleRepo(db),
    alerts,
    evidenceDir,
    purgeExpired(now) {
      const expired = db.prepare('SELECT id, name FROM exams WHERE created_at + retention_days * ? <= ?').all(DAY_MS, now) as { id: string; name: string }[];
      for (const exam of expired) {
        db.transaction(() => {
          // students cascade to alerts, frames, evidence rows and pop-ups
          db.prepare('DELETE FROM exams WHERE id = ?').run(exam.id);
          db.prepare('DELETE FROM audit_log WHERE exam_id = ?').run(exam.id);
          alerts.audit('retention', 'exam.purged', null, { examId: exam.id }, now);
        })();
        rmSync(evidenceDir(exam.id), { recursive: true, force: true });
      }
      return expired.map((e) => e.id);
    },
    close() {
      db.close();
    },
  };
}
