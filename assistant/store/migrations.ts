/**
 * Numbered schema migrations, applied in order inside one transaction each and
 * recorded in `schema_migrations`. Never edit a released migration: add a new one.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE exams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retention_days INTEGER NOT NULL,
        capture_interval_ms INTEGER NOT NULL
      );
      CREATE TABLE students (
        exam_id TEXT NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
        student_id TEXT NOT NULL,
        name TEXT NOT NULL,
        surname TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        last_seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (exam_id, student_id)
      );
      CREATE TABLE instructors (
        username TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES instructors(username) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      -- only the latest frame of each student: history lives in memory and in alerts
      CREATE TABLE latest_frames (
        exam_id TEXT NOT NULL,
        student_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        captured_at REAL NOT NULL,
        rgb BLOB NOT NULL,
        PRIMARY KEY (exam_id, student_id),
        FOREIGN KEY (exam_id, student_id) REFERENCES students(exam_id, student_id) ON DELETE CASCADE
      );
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        exam_id TEXT NOT NULL,
        student_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        score REAL,
        FOREIGN KEY (exam_id, student_id) REFERENCES students(exam_id, student_id) ON DELETE CASCADE
      );
      CREATE INDEX alerts_by_exam ON alerts(exam_id, created_at);
      -- the 3 frames of the window that raised an alert, kept with the alert
      CREATE TABLE alert_frames (
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        captured_at REAL NOT NULL,
        rgb BLOB NOT NULL,
        PRIMARY KEY (alert_id, idx)
      );
      CREATE TABLE alert_actions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        author TEXT NOT NULL,
        at INTEGER NOT NULL,
        text TEXT
      );
      CREATE TABLE evidence (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        path TEXT NOT NULL,
        mime TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        captured_at REAL,
        received_at INTEGER NOT NULL
      );
      CREATE TABLE popups (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        exam_id TEXT NOT NULL,
        student_id TEXT NOT NULL,
        alert_id INTEGER REFERENCES alerts(id) ON DELETE SET NULL,
        text TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        shown_at INTEGER,
        FOREIGN KEY (exam_id, student_id) REFERENCES students(exam_id, student_id) ON DELETE CASCADE
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        author TEXT NOT NULL,
        action TEXT NOT NULL,
        exam_id TEXT,
        details TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- the latest counters each student's agent reported (protocol v2 hello/heartbeat):
      -- totals since that agent process started; updated_at = when one of them last changed
      CREATE TABLE agent_counters (
        exam_id TEXT NOT NULL,
        student_id TEXT NOT NULL,
        dropped INTEGER NOT NULL,
        skipped_ticks INTEGER NOT NULL,
        capture_errors INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (exam_id, student_id),
        FOREIGN KEY (exam_id, student_id) REFERENCES students(exam_id, student_id) ON DELETE CASCADE
      );
    `,
  },
  {
    version: 3,
    sql: `
      -- protocol v3: one score per monitor of the window that raised the alert
      -- (JSON array, left to right; NULL for alerts without frames or from before)
      ALTER TABLE alerts ADD COLUMN view_scores TEXT;
    `,
  },
];
