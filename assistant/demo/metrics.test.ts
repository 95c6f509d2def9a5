import { describe, expect, it } from 'vitest';
import { buildDemoMetrics } from './metrics.js';
import { buildTimeline } from './timeline.js';

describe('demo scorecard', () => {
  it('scores alerts against the simulated ground truth', () => {
    const m = buildDemoMetrics({ intervalMs: 1000 });
    // student A: permitted 1-4, episode at 5-7, permitted 8-12; student B: permitted only
    for (let seq = 1; seq <= 12; seq++) {
      const prohibited = seq >= 5 && seq <= 7;
      m.frame({ studentId: 'A', seq, capturedAt: seq * 1000, prohibited, episode: prohibited ? 5 : undefined });
      m.frame({ studentId: 'B', seq, capturedAt: seq * 1000, prohibited: false });
    }
    const verdict = (studentId: string, seq: number, latency: number) =>
      m.verdict({ studentId, seq, capturedAt: seq * 1000, verdictAt: seq * 1000 + latency, suspicious: true });
    verdict('A', 6, 100);
    m.alert({ studentId: 'A', kind: 'suspicious', createdAt: 6100 }); // window 4-6: holds the episode
    verdict('B', 9, 300);
    m.alert({ studentId: 'B', kind: 'suspicious', createdAt: 9300 }); // window 7-9 of B: all permitted
    m.alert({ studentId: 'B', kind: 'agent_silent', createdAt: 9400 }); // not a screen alert
    const f = m.figures(2);
    expect(f.episodes).toEqual({ simulated: 1, alerted: 1, missed: 0 });
    expect(f.alerts_raised).toBe(2);
    expect(f.alerts_during_permitted_work).toBe(1);
    // 21 permitted frames = 21 student-seconds
    expect(f.alerts_per_student_hour_permitted).toBeCloseTo(3600 / 21, 2);
    expect(f.episode_to_alert_seconds_median).toBe(1.1);
    expect(f.latency_ms.capture_to_verdict_p99).toBe(300);
  });

  it('misses an episode alerted only after its grace period', () => {
    const m = buildDemoMetrics({ intervalMs: 1000 });
    for (let seq = 1; seq <= 30; seq++) {
      const prohibited = seq >= 5 && seq <= 7;
      m.frame({ studentId: 'A', seq, capturedAt: seq * 1000, prohibited, episode: prohibited ? 5 : undefined });
    }
    m.verdict({ studentId: 'A', seq: 20, capturedAt: 20_000, verdictAt: 20_050, suspicious: true });
    m.alert({ studentId: 'A', kind: 'suspicious', createdAt: 20_050 });
    expect(m.figures(1).episodes).toEqual({ simulated: 1, alerted: 0, missed: 1 });
  });
});

describe('demo timelines', () => {
  it('gives cheaters episodes of 3-20 s that end before the run does, and is reproducible', () => {
    const all = Array.from({ length: 200 }, (_, i) => buildTimeline({ seed: 's', student: i, slots: 60, prohibitedClips: 4 }));
    const episodes = all.flatMap((t) => t.episodesBefore(60));
    expect(all.filter((t) => t.cheater).length).toBeGreaterThan(60);
    expect(all.filter((t) => t.cheater).length).toBeLessThan(140);
    for (const e of episodes) {
      expect(e.last - e.first + 1).toBeGreaterThanOrEqual(3);
      expect(e.last - e.first + 1).toBeLessThanOrEqual(20);
      expect(e.last).toBeLessThanOrEqual(57);
    }
    const again = buildTimeline({ seed: 's', student: 7, slots: 60, prohibitedClips: 4 });
    expect(again.episodesBefore(60)).toEqual(all[7].episodesBefore(60));
  });
});
