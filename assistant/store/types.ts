/** Rows the store hands out (camelCase; the SQL schema is in migrations.ts). */
export interface Exam {
  id: string;
  name: string;
  createdAt: number;
  retentionDays: number;
  captureIntervalMs: number;
}

export interface Student {
  examId: string;
  studentId: string;
  name: string;
  surname: string;
  /** Highest frame seq stored for this student (0 = none). */
  lastSeq: number;
}

export interface RosterEntry {
  name: string;
  surname: string;
  studentId: string;
}

export const ALERT_KINDS = ['suspicious', 'agent_silent', 'agent_back', 'no_face', 'several_faces', 'phone'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_STATES = ['open', 'dismissed', 'warned', 'escalated', 'note'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type AlertAction = 'dismiss' | 'warn' | 'escalate';

export interface AlertActionRecord {
  action: string;
  author: string;
  at: number;
  text?: string;
}

export interface EvidenceRecord {
  seq: number;
  path: string;
  mime: string;
  sha256: string;
  size: number;
  width: number;
  height: number;
  capturedAt: number | null;
}

export interface AlertRecord {
  id: string;
  examId: string;
  studentId: string;
  name: string;
  surname: string;
  kind: AlertKind;
  state: AlertState;
  createdAt: number;
  score: number | null;
  /** One score per monitor (left to right) of the window that raised it; null without frames. */
  viewScores: number[] | null;
  /** Seqs of the window's frames, oldest first (empty for alerts without frames). */
  frameSeqs: number[];
  evidence: EvidenceRecord[];
  actions: AlertActionRecord[];
}

export interface StoredFrame {
  seq: number;
  capturedAt: number;
  rgb: Uint8Array;
}

/** The latest counters a student's agent reported (totals since that agent process started). */
export interface AgentCountersRecord {
  dropped: number;
  skippedTicks: number;
  captureErrors: number;
  /** When the agent first reported these values, i.e. when one of them last changed (ms). */
  updatedAt: number;
}
