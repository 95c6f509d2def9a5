import { buildAgent, type Agent, type AgentLogger, type AgentStats } from '../../agent/agent.js';
import type { Notifier } from '../../agent/popup.js';
import type { FramePool } from './frame-pool.js';
import type { TruthFrame } from './metrics.js';
import { buildSyntheticSource, type CaptureTruth } from './synthetic-source.js';
import { buildTimeline } from './timeline.js';

/** The simulated students: one real agent each, fed by a synthetic capture source. */
export interface FleetOptions {
  url: string;
  tokens: { studentId: string; token: string }[];
  seed: string;
  /** Capture slots of the run (Infinity = open-ended). */
  slots: number;
  intervalMs: number;
  log: (line: string) => void;
}

export interface Fleet {
  /** Stop capturing, deliver what is pending (at most `flushMs`), close; returns each agent's counters. */
  stop(flushMs: number): Promise<{ stats: AgentStats[]; unflushed: number }>;
}

const quietLogger = (log: (l: string) => void, who: string): AgentLogger => ({
  info: () => undefined,
  warn: (m) => log(`demo: ${who}: ${m}`),
});

function demoNotifier(log: (l: string) => void, studentId: string): Notifier {
  return {
    async show(text) {
      log(`demo: pop-up shown to simulated student ${studentId}: ${text}`);
      return { method: 'terminal' };
    },
    close: () => undefined,
  };
}

export function startFleet(o: FleetOptions, pool: FramePool, onTruth: (t: TruthFrame) => void): Fleet {
  const agents: Agent[] = [];
  const startTimers: NodeJS.Timeout[] = [];
  o.tokens.forEach(({ studentId, token }, i) => {
    const timeline = buildTimeline({ seed: o.seed, student: i, slots: o.slots, prohibitedClips: pool.prohibited.length });
    const truths: CaptureTruth[] = [];
    const capture = buildSyntheticSource({ pool, timeline, student: i, onCapture: (t) => truths.push(t) });
    const agent = buildAgent({
      serverUrl: o.url, token, capture, intervalMs: o.intervalMs, os: 'simulated',
      notifier: demoNotifier(o.log, studentId), logger: quietLogger(o.log, studentId),
    });
    // captures and 'frame' events come in the same order, so each seq gets its capture's truth
    agent.events.on('frame', ({ seq, capturedAt }: { seq: number; capturedAt: number }) => {
      const t = truths.shift();
      if (t) onTruth({ studentId, seq, capturedAt, prohibited: t.prohibited, episode: t.episode });
    });
    agents.push(agent);
    // spread the students over the second so the assistant sees a steady stream, not bursts
    startTimers.push(setTimeout(() => agent.start(), Math.floor((i * o.intervalMs) / o.tokens.length)));
  });
  return {
    async stop(flushMs) {
      for (const t of startTimers) clearTimeout(t);
      for (const a of agents) a.stopCapture();
      const flushed = await Promise.all(agents.map((a) => a.flush(flushMs)));
      const stats = agents.map((a) => ({ ...a.stats }));
      await Promise.all(agents.map((a) => a.stop()));
      return { stats, unflushed: flushed.filter((ok) => !ok).length };
    },
  };
}
