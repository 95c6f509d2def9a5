import type { AlertRecord, AlertKind, AlertState } from './store/types.js';

/** The instructor API's shapes (docs/api.md). Kept apart from the store rows so the API stays stable. */
export interface ApiAlert {
  id: string;
  examId: string;
  studentId: string;
  name: string;
  surname: string;
  kind: AlertKind;
  state: AlertState;
  createdAt: number;
  score: number | null;
  /** One score per monitor of the window that raised the alert, left to right (null: no frames). */
  viewScores: number[] | null;
  frames: string[];
  evidence: { url: string; width: number; height: number; sha256: string; capturedAt: number | null }[];
  actions: { action: string; author: string; at: number; text?: string }[];
}

export interface ApiStudent {
  studentId: string;
  name: string;
  surname: string;
  state: 'online' | 'offline' | 'silent';
  verdict: 'permitted' | 'suspicious' | null;
  score: number | null;
  lastFrameAt: number | null;
  openAlerts: number;
  /**
   * The latest counters the student's agent reported: totals since that agent
   * process started (a restarted agent starts at 0); null if it never reported.
   */
  agentCounters: { dropped: number; skippedTicks: number; captureErrors: number; updatedAt: number } | null;
}

export function toApiAlert(a: AlertRecord): ApiAlert {
  const base = `/api/alerts/${encodeURIComponent(a.id)}`;
  return {
    id: a.id,
    examId: a.examId,
    studentId: a.studentId,
    name: a.name,
    surname: a.surname,
    kind: a.kind,
    state: a.state,
    createdAt: a.createdAt,
    score: a.score,
    viewScores: a.viewScores,
    frames: a.frameSeqs.map((_, i) => `${base}/frames/${i}.png`),
    evidence: a.evidence.map((e, i) => ({ url: `${base}/evidence/${i}`, width: e.width, height: e.height, sha256: e.sha256, capturedAt: e.capturedAt })),
    actions: a.actions.map((x) => ({ ...x })),
  };
}
