import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildAgent, type Agent, type AgentLogger } from '../../agent/agent.js';
import type { Notifier } from '../../agent/popup.js';
import { isLabwatchError } from '../../core/errors.js';
import { packageRoot, defaultModelDir } from '../../core/paths.js';
import { buildRng } from '../../training/synth/prng.js';
import type { Assistant } from '../assistant.js';
import type { FramePool, PoolGenerator } from './frame-pool.js';
import { buildDemoMetrics, type DemoFigures } from './metrics.js';
import { buildSyntheticSource, type CaptureTruth } from './synthetic-source.js';
import { buildTimeline } from './timeline.js';

export interface DemoOptions {
  students: number;
  /** 0 = any free port. */
  port: number;
  dataDir: string;
  seed: string;
  /** Seconds of capture; undefined = until stop(). */
  durationSeconds?: number;
  intervalMs?: number;
  poolSessions?: number;
  poolClipFrames?: number;
  modelDir?: string;
  log?: (line: string) => void;
  /** Pool generator (default: the synthetic generator of training/synth). */
  generator?: PoolGenerator;
}

export interface DemoResult extends DemoFigures {
  students: number;
  frames: { sent: number; received: number; acknowledged: number; lost: number };
  duration_seconds: number;
  backend: string | null;
  model: string;
}

export interface DemoSession {
  url: string;
  username: string;
  password: string;
  examId: string;
  pool: FramePool;
  /** Resolves after `durationSeconds` (never when open-ended). */
  finished: Promise<void>;
  /** Stop capturing, deliver what is pending, let verdicts settle, then report and shut down. */
  stop(): Promise<DemoResult>;
}

const FIRST = ['Ana', 'Luis', 'Marta', 'Pablo', 'Lucía', 'Hugo', 'Sofía', 'Daniel', 'Carmen', 'Jorge', 'Elena', 'Iván', 'Paula', 'Diego', 'Noa', 'Adrián', 'Sara', 'Mario', 'Irene', 'Álex'];
const LAST = ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Álvarez', 'Suárez', 'Díaz', 'Menéndez', 'Iglesias', 'Castro', 'Ortín', 'Vega', 'Rubio', 'Molina', 'Blanco', 'Prieto'];

const quietLogger = (log: (l: string) => void, who: string): AgentLogger => ({
  info: () => undefined,
  warn: (m) => log(`demo: ${who}: ${m}`),
});

/**
 * The demo: the real assistant on embedded defaults, one exam with a generated
 * roster, an instructor login, and N simulated students running the real agent
 * code over real WebSocket connections, their screens drawn from a pre-rendered
 * pool of synthetic desktops (some students switch to prohibited apps).
 */
export async function startDemo(o: DemoOptions): Promise<DemoSession> {
  const log = o.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const intervalMs = o.intervalMs ?? 1000;
  await mkdir(o.dataDir, { recursive: true });

  const [{ loadOrBuildFramePool }, { buildSynthGenerator }] = await Promise.all([import('./frame-pool.js'), import('./synth-generator.js')]);
  const pool = await loadOrBuildFramePool({
    cacheDir: path.join(o.dataDir, 'pool'),
    seed: o.seed,
    generator: o.generator ?? (await buildSynthGenerator()),
    sessions: o.poolSessions,
    clipFrames: o.poolClipFrames,
    log,
  });
  log(`demo: frame pool: ${pool.frames} frames, ${pool.permitted.length} permitted and ${pool.prohibited.length} prohibited clips (${pool.cached ? 'cached' : 'rendered now'})`);

  const modelDir = o.modelDir ?? defaultModelDir();
  const [{ buildAssistant }, { loadClassifier }] = await Promise.all([import('../assistant.js'), import('../classifier.js')]);
  const classifier = await loadClassifier(modelDir);
  const backend = await backendName();
  const assistant: Assistant = await buildAssistant({ dataDir: o.dataDir, port: o.port, classifier, logger: (l) => log(`assistant: ${l}`) });
  const { url } = await assistant.listen();

  const rng = buildRng(`demo-roster:${o.seed}`);
  const roster = Array.from({ length: o.students }, (_, i) => ({
    name: rng.pick(FIRST),
    surname: `${rng.pick(LAST)} ${rng.pick(LAST)}`,
    studentId: `S${String(i + 1).padStart(4, '0')}`,
  }));
  const { examId, tokens } = assistant.createExam(`Demo exam ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`, roster);
  const username = 'instructor';
  const password = await instructorPassword(o.dataDir, assistant, username);

  const metrics = buildDemoMetrics({ intervalMs });
  let received = 0;
  const onFrame = (e: { examId: string }) => { if (e.examId === examId) received += 1; };
  const onVerdict = (v: { examId: string; studentId: string; seq: number; capturedAt: number; verdictAt: number; suspicious: boolean }) => {
    if (v.examId === examId) metrics.verdict(v);
  };
  const onAlert = (a: { examId: string; studentId: string; kind: string; createdAt: number }) => {
    if (a.examId === examId) metrics.alert(a);
  };
  assistant.events.on('frame', onFrame);
  assistant.events.on('verdict', onVerdict);
  assistant.events.on('alert', onAlert);

  const slots = o.durationSeconds === undefined ? Infinity : Math.floor((o.durationSeconds * 1000) / intervalMs);
  const agents: Agent[] = [];
  const startTimers: NodeJS.Timeout[] = [];
  tokens.forEach(({ studentId, token }, i) => {
    const timeline = buildTimeline({ seed: o.seed, student: i, slots, prohibitedClips: pool.prohibited.length });
    const truths: CaptureTruth[] = [];
    const capture = buildSyntheticSource({ pool, timeline, student: i, onCapture: (t) => truths.push(t) });
    const agent = buildAgent({ serverUrl: url, token, capture, intervalMs, notifier: demoNotifier(log, studentId), logger: quietLogger(log, studentId), os: 'simulated' });
    agent.events.on('frame', ({ seq, capturedAt }: { seq: number; capturedAt: number }) => {
      const t = truths.shift();
      if (t) metrics.frame({ studentId, seq, capturedAt, prohibited: t.prohibited, episode: t.episode });
    });
    agents.push(agent);
    // spread the students over the second so the assistant sees a steady stream, not 150-frame bursts
    startTimers.push(setTimeout(() => agent.start(), Math.floor((i * intervalMs) / tokens.length)));
  });
  const startedAt = Date.now();

  let finishTimer: NodeJS.Timeout | undefined;
  const finished = new Promise<void>((resolve) => {
    if (o.durationSeconds !== undefined) finishTimer = setTimeout(resolve, o.durationSeconds * 1000 + intervalMs);
  });

  let stopping: Promise<DemoResult> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (finishTimer) clearTimeout(finishTimer);
      for (const t of startTimers) clearTimeout(t);
      const captureSeconds = (Date.now() - startedAt) / 1000;
      for (const a of agents) a.stopCapture();
      const flushed = await Promise.all(agents.map((a) => a.flush(15_000)));
      if (flushed.some((ok) => !ok)) log(`demo: ${flushed.filter((ok) => !ok).length} agent(s) still had unacknowledged frames after 15 s`);
      await settle(assistant, 10_000);
      const figures = metrics.figures(o.students);
      const s = agents.map((a) => a.stats);
      const sum = (f: (x: (typeof s)[number]) => number) => s.reduce((acc, x) => acc + f(x), 0);
      const captured = sum((x) => x.captured);
      await Promise.all(agents.map((a) => a.stop()));
      assistant.events.off('frame', onFrame);
      assistant.events.off('verdict', onVerdict);
      assistant.events.off('alert', onAlert);
      await assistant.close();
      return {
        students: o.students,
        frames: { sent: sum((x) => x.framesSent - x.resent), received, acknowledged: sum((x) => x.acknowledged), lost: Math.max(0, captured - received) },
        ...figures,
        duration_seconds: Math.round(captureSeconds * 10) / 10,
        backend,
        model: modelLabel(modelDir),
      };
    })());

  return { url, username, password, examId, pool, finished, stop };
}

/** The instructor's password is made once per data folder and kept there (mode 0600), so a re-run prints the right one. */
async function instructorPassword(dataDir: string, assistant: Assistant, username: string): Promise<string> {
  const file = path.join(dataDir, 'instructor-password.txt');
  const known = existsSync(file) ? (await readFile(file, 'utf8')).trim() : '';
  const password = known || randomBytes(9).toString('base64url');
  try {
    assistant.createInstructor(username, password);
  } catch (err) {
    if (!isLabwatchError(err, 'LABWATCH_ERR_AUTH_INSTRUCTOR_EXISTS')) throw err;
  }
  if (!known) await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function demoNotifier(log: (l: string) => void, studentId: string): Notifier {
  return {
    async show(text) {
      log(`demo: pop-up shown to simulated student ${studentId}: ${text}`);
      return { method: 'terminal' };
    },
    close: () => undefined,
  };
}

/** Wait until the classifier's queue is empty (and stays so briefly), at most `maxMs`. */
async function settle(assistant: Assistant, maxMs: number): Promise<void> {
  const end = Date.now() + maxMs;
  let quiet = 0;
  while (Date.now() < end && quiet < 3) {
    await new Promise((r) => setTimeout(r, 200));
    quiet = assistant.stats().queued === 0 ? quiet + 1 : 0;
  }
}

function modelLabel(dir: string): string {
  const rel = path.relative(packageRoot(), path.resolve(dir));
  return rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(dir) : rel;
}

async function backendName(): Promise<string | null> {
  try {
    const { currentBackend } = await import('../../models/backend.js');
    return (await currentBackend())?.name ?? null;
  } catch {
    return null;
  }
}
