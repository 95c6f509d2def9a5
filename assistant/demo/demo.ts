import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentStats } from '../../agent/agent.js';
import { isLabwatchError } from '../../core/errors.js';
import { packageRoot, defaultModelDir } from '../../core/paths.js';
import { buildRng } from '../../training/synth/prng.js';
import { DEFAULT_CONFIRM_WINDOWS } from '../alert-rule.js';
import type { Assistant } from '../assistant.js';
import type { WindowClassifier } from '../classifier.js';
import type { FramePool, PoolGenerator } from './frame-pool.js';
import { buildDemoMetrics, type DemoFigures } from './metrics.js';
import type { Fleet, FleetOptions } from './fleet.js';
import type { TruthFrame } from './metrics.js';

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
  /** Override of the model's alert threshold. */
  alertThreshold?: number;
  /** Consecutive suspicious windows that raise an alert (default DEFAULT_CONFIRM_WINDOWS). */
  confirmWindows?: number;
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
  /** Score at or above which a window counted as suspicious. */
  alert_threshold: number;
  /** Consecutive suspicious windows that raised an alert. */
  confirm_windows: number;
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
  await warmUp(classifier);
  const backend = await backendName();
  const alertThreshold = o.alertThreshold ?? classifier.alertThreshold ?? classifier.threshold;
  log(`demo: alert threshold ${alertThreshold.toFixed(3)} (${o.alertThreshold !== undefined ? '--alert-threshold' : classifier.alertThreshold !== undefined ? "the model's alert threshold" : "the model's threshold"})`);
  const confirmWindows = o.confirmWindows ?? DEFAULT_CONFIRM_WINDOWS;
  log(`demo: an alert after ${confirmWindows} consecutive suspicious window(s)`);
  const assistant: Assistant = await buildAssistant({ dataDir: o.dataDir, port: o.port, classifier, alertThreshold, confirmWindows, logger: (l) => log(`assistant: ${l}`) });
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
  const fleet = await launchFleet({ url, tokens, seed: o.seed, slots, intervalMs, log }, pool, (t) => metrics.frame(t));
  const startedAt = Date.now();

  let finishTimer: NodeJS.Timeout | undefined;
  const finished = new Promise<void>((resolve) => {
    if (o.durationSeconds !== undefined) finishTimer = setTimeout(resolve, o.durationSeconds * 1000 + intervalMs);
  });

  let stopping: Promise<DemoResult> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (finishTimer) clearTimeout(finishTimer);
      const captureSeconds = (Date.now() - startedAt) / 1000;
      const { stats: s, unflushed } = await fleet.stop(15_000);
      if (unflushed > 0) log(`demo: ${unflushed} agent(s) still had unacknowledged frames after 15 s`);
      await settle(assistant, 10_000);
      const figures = metrics.figures(o.students);
      const sum = (f: (x: AgentStats) => number) => s.reduce((acc, x) => acc + f(x), 0);
      const captured = sum((x) => x.captured);
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
        alert_threshold: Math.round(alertThreshold * 1000) / 1000,
        confirm_windows: confirmWindows,
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

/**
 * The students run in a worker thread when labwatch runs from its build (the
 * worker needs a .js file); from sources (vitest) they share the main thread.
 */
async function launchFleet(o: FleetOptions, pool: FramePool, onTruth: (t: TruthFrame) => void): Promise<Fleet> {
  const workerUrl = new URL('./students-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.js') || !existsSync(fileURLToPath(workerUrl))) {
    const { startFleet } = await import('./fleet.js');
    return startFleet(o, pool, onTruth);
  }
  const { Worker } = await import('node:worker_threads');
  const { log, ...rest } = o;
  const worker = new Worker(workerUrl, { workerData: { ...rest, poolDir: pool.dir } });
  const stopped = new Promise<{ stats: AgentStats[]; unflushed: number }>((resolve, reject) => {
    worker.on('message', (m: { type: string; truths?: TruthFrame[]; line?: string; stats?: AgentStats[]; unflushed?: number }) => {
      if (m.type === 'truths') for (const t of m.truths!) onTruth(t);
      else if (m.type === 'log') log(m.line!);
      else if (m.type === 'stopped') resolve({ stats: m.stats!, unflushed: m.unflushed! });
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the simulated students' worker exited (${code})`)));
  });
  stopped.catch(() => undefined);
  return {
    async stop(flushMs) {
      worker.postMessage({ type: 'stop', flushMs });
      const result = await stopped;
      await worker.terminate();
      return result;
    },
  };
}

/**
 * One throw-away batch before the students connect: the first inference compiles
 * the backend's kernels (seconds on wasm), which would otherwise land on the
 * first real verdicts' latency.
 */
async function warmUp(classifier: WindowClassifier): Promise<void> {
  const frames = Array.from({ length: 64 }, (_, i) => new Uint8Array(7500).fill(i * 4));
  const feats = await classifier.embedFrames(frames);
  await classifier.scoreWindows(feats.slice(2).map((_, i) => feats.slice(i, i + 3)));
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
