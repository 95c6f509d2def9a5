import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { lwError } from '../../core/errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;
export const DB_FILE = 'labwatch.sqlite';

/**
 * Open (creating if needed) DATA_DIR/labwatch.sqlite in WAL mode and bring its
 * schema up to date. WAL lets the panel's reads run while frames are written;
 * synchronous=NORMAL is safe with WAL (a crash loses at most the last commit).
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE);
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw lwError('LABWATCH_ERR_STORE_OPEN', { file, reason: (err as Error).message }, err);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, file);
  return db;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

function migrate(db: Db, file: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const current = schemaVersion(db);
  const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
  if (current > latest) throw lwError('LABWATCH_ERR_STORE_TOO_NEW', { file, found: current, expected: latest });
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    })();
  }
}
