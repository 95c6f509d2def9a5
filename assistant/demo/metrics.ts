/**
 * The demo's scorecard: ground truth comes from the simulated timelines (what
 * each student's screen really showed), never from the model; verdicts and
 * alerts come from the assistant's events.
 */
export interface TruthFrame {
  studentId: string;
  seq: number;
  capturedAt: number;
  prohibited: boolean;
  /** Index of the student's episode this frame belongs to, if prohibited. */
  episode?: number;
}

export interface VerdictEvent {
  studentId: string;
  seq: number;
  capturedAt: number;
  verdictAt: number;
  suspicious: boolean;
}

export interface AlertEvent {
  studentId: string;
  kind: string;
  createdAt: number;
}

export interface DemoFigures {
  windows_classified: number;
  alerts_raised: number;
  episodes: { simulated: number; alerted: number; missed: number };
  alerts_during_permitted_work: number;
  alerts_per_student_hour_permitted: number | null;
  latency_ms: { capture_to_verdict_median: number | null; capture_to_verdict_p99: number | null };
  episode_to_alert_seconds_median: number | null;
}

/** An alert counts for an episode up to this long after the episode's last prohibited frame. */
export const EPISODE_GRACE_MS = 5000;

interface EpisodeTruth {
  studentId: string;
  startAt: number;
  endAt: number;
  firstAlertAt?: number;
}

export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function buildDemoMetrics(options: { intervalMs: number; windowFrames?: number }) {
  const windowFrames = options.windowFrames ?? 3;
  const truth = new Map<string, Map<number, TruthFrame>>();
  const episodes = new Map<string, EpisodeTruth>();
  const lastVerdict = new Map<string, VerdictEvent>();
  const latencies: number[] = [];
  const alerts: { studentId: string; createdAt: number; window: number[] | null }[] = [];
  let permittedFrames = 0;
  let verdicts = 0;

  const windowProhibited = (studentId: string, seqs: number[]) => {
    const frames = truth.get(studentId);
    return seqs.some((s) => frames?.get(s)?.prohibited === true);
  };

  return {
    frame(f: TruthFrame): void {
      let m = truth.get(f.studentId);
      if (!m) truth.set(f.studentId, (m = new Map()));
      m.set(f.seq, f);
      if (!f.prohibited) {
        permittedFrames += 1;
        return;
      }
      const key = `${f.studentId}#${f.episode}`;
      const e = episodes.get(key);
      if (!e) episodes.set(key, { studentId: f.studentId, startAt: f.capturedAt, endAt: f.capturedAt });
      else e.endAt = Math.max(e.endAt, f.capturedAt);
    },
    verdict(v: VerdictEvent): void {
      verdicts += 1;
      latencies.push(v.verdictAt - v.capturedAt);
      lastVerdict.set(v.studentId, v);
    },
    /** Call on the assistant's 'alert' event; the window is the verdict that raised it (emitted just before). */
    alert(a: AlertEvent): void {
      if (a.kind !== 'suspicious') return;
      const v = lastVerdict.get(a.studentId);
      const window = v ? Array.from({ length: windowFrames }, (_, i) => v.seq - i) : null;
      alerts.push({ studentId: a.studentId, createdAt: a.createdAt, window });
    },
    figures(students: number): DemoFigures {
      const eps = [...episodes.values()];
      for (const a of alerts) {
        for (const e of eps) {
          if (e.studentId !== a.studentId || a.createdAt < e.startAt || a.createdAt > e.endAt + EPISODE_GRACE_MS) continue;
          e.firstAlertAt = Math.min(e.firstAlertAt ?? Infinity, a.createdAt);
        }
      }
      const alerted = eps.filter((e) => e.firstAlertAt !== undefined);
      const falseAlerts = alerts.filter((a) => a.window !== null && !windowProhibited(a.studentId, a.window)).length;
      const permittedHours = (permittedFrames * options.intervalMs) / 3_600_000;
      const sortedLat = [...latencies].sort((a, b) => a - b);
      const toAlert = alerted.map((e) => (e.firstAlertAt! - e.startAt) / 1000).sort((a, b) => a - b);
      void students;
      return {
        windows_classified: verdicts,
        alerts_raised: alerts.length,
        episodes: { simulated: eps.length, alerted: alerted.length, missed: eps.length - alerted.length },
        alerts_during_permitted_work: falseAlerts,
        alerts_per_student_hour_permitted: permittedHours > 0 ? round(falseAlerts / permittedHours, 3) : null,
        latency_ms: {
          capture_to_verdict_median: roundOrNull(quantile(sortedLat, 0.5), 1),
          capture_to_verdict_p99: roundOrNull(quantile(sortedLat, 0.99), 1),
        },
        episode_to_alert_seconds_median: roundOrNull(quantile(toAlert, 0.5), 2),
      };
    },
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function roundOrNull(x: number | null, digits: number): number | null {
  return x === null ? null : round(x, digits);
}
