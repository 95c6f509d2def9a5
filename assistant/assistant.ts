import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { lwError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { MAX_EVIDENCE_MESSAGE_BYTES } from '../core/protocol.js';
import { handleAgentConnection } from './agent-endpoint.js';
import { hashPasswordSync } from './auth/secrets.js';
import { loadClassifier, type WindowClassifier } from './classifier.js';
import { InferenceBatcher } from './inference-batcher.js';
import { startWorkerClassifier, workerAvailable } from './worker-classifier.js';
import { LoginLimiter } from './instructor-auth.js';
import { instructorOf, registerInstructorApi, type InstructorApiContext } from './instructor-api.js';
import { handleLiveConnection } from './live-endpoint.js';
import { Monitor } from './monitor.js';
import { buildStore } from './store/store.js';
import { DEFAULTS } from './assistant-defaults.js';
import { DEFAULT_CONFIRM_WINDOWS } from './alert-rule.js';
import type { RosterEntry } from './store/types.js';

export { DEFAULTS };

export interface AssistantOptions {
  /** SQLite file + evidence folder live here. */
  dataDir: string;
  /** Model folder; default the shipped models/screen. Ignored when `classifier` is given. */
  modelDir?: string;
  /** A ready classifier instead of a model folder (tests, benchmarks). */
  classifier?: WindowClassifier;
  /** Run the model in a worker thread (default: yes when running from the build). */
  inferenceWorker?: boolean;
  host?: string;
  port?: number;
  batchSize?: number;
  batchDeadlineMs?: number;
  silentAfterMs?: number;
  /** Score at or above which a window is suspicious and may alert; default the model's alert threshold (metadata.json). */
  alertThreshold?: number;
  /** Consecutive suspicious windows that raise an alert (default DEFAULT_CONFIRM_WINDOWS, at most MAX_CONFIRM_WINDOWS). */
  confirmWindows?: number;
  /** Retention of exams created through `createExam`. */
  retentionDays?: number;
  captureIntervalMs?: number;
  authTimeoutMs?: number;
  /** Server -> agent heartbeat period. */
  heartbeatMs?: number;
  /** Panel live feed: flush period, ping period, pong timeout. */
  liveFlushMs?: number;
  livePingMs?: number;
  livePongTimeoutMs?: number;
  sessionTtlMs?: number;
  /** Mark the session cookie Secure (when served over HTTPS). */
  secureCookies?: boolean;
  /** Folder of the web panel (default assistant/public of the package). */
  publicDir?: string;
  retentionCheckMs?: number;
  /** Agent connections allowed to wait for their hello at once (more are refused with HTTP 503). */
  maxUnauthenticated?: number;
  logger?: (line: string) => void;
  now?: () => number;
}

export interface Assistant {
  listen(): Promise<{ url: string }>;
  close(): Promise<void>;
  createExam(name: string, roster: RosterEntry[]): { examId: string; tokens: { studentId: string; token: string }[] };
  createInstructor(username: string, password: string): void;
  /** 'verdict', 'alert', 'alert-updated', 'frame', 'student' */
  events: EventEmitter;
  /** Queue-to-verdict latency over recent verdicts, and frames waiting for the classifier. */
  stats(): { verdicts: number; p50: number; p99: number; max: number; queued: number };
}


/**
 * The assistant service: agent endpoint (/agent), instructor API (/api), live
 * feed (/api/live) and the panel (/). Nothing listens until `listen()`.
 */
export async function buildAssistant(opts: AssistantOptions): Promise<Assistant> {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & AssistantOptions;
  const now = o.now ?? Date.now;
  const log = o.logger ?? ((line: string) => process.stderr.write(`${line}\n`));
  let stopWorker: (() => Promise<void>) | undefined;
  let classifier: WindowClassifier;
  if (o.classifier) classifier = o.classifier;
  else if (o.inferenceWorker !== false && workerAvailable()) {
    const worker = await startWorkerClassifier(o.modelDir);
    stopWorker = () => worker.close();
    classifier = worker as WindowClassifier;
  } else classifier = await loadClassifier(o.modelDir);
  const [{ default: Fastify }, { WebSocketServer }] = await Promise.all([import('fastify'), import('ws')]);

  const store = buildStore({ dataDir: o.dataDir });
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const monitor = new Monitor({ store, events, now, silentAfterMs: o.silentAfterMs, threshold: o.alertThreshold ?? classifier.alertThreshold ?? classifier.threshold, confirmWindows: o.confirmWindows ?? DEFAULT_CONFIRM_WINDOWS, log });
  const batcher = new InferenceBatcher({
    classifier, batchSize: o.batchSize, deadlineMs: o.batchDeadlineMs, now,
    onResults: (r) => monitor.onResults(r),
    onError: (err) => log(`classifier failed on a batch (frames dropped): ${String(err)}`),
  });
  monitor.batcher = batcher as InferenceBatcher;

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const ctx: InstructorApiContext = {
    store, monitor, events, now, sessionTtlMs: o.sessionTtlMs, secureCookies: o.secureCookies ?? false,
    loginLimiter: new LoginLimiter(o.loginFailures, o.loginWindowMs),
    log,
  };
  registerInstructorApi(app, ctx);
  const publicDir = o.publicDir ?? path.join(packageRoot(), 'assistant', 'public');
  if (existsSync(publicDir)) {
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, { root: publicDir, prefix: '/', index: 'index.html' });
  }

  const agentWss = new WebSocketServer({ noServer: true, maxPayload: MAX_EVIDENCE_MESSAGE_BYTES, perMessageDeflate: false });
  const liveWss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  let unauthenticated = 0;
  const refuse = (socket: Socket, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/agent') {
      // each connection may hold one large message before hello: cap how many may wait
      if (unauthenticated >= o.maxUnauthenticated) return refuse(socket, '503 Service Unavailable');
      unauthenticated++;
      let counted = true;
      // released on hello, or when the socket ends (also when the handshake itself fails)
      const release = () => { if (counted) { counted = false; unauthenticated--; } };
      socket.once('close', release);
      agentWss.handleUpgrade(req, socket, head, (ws) => handleAgentConnection(ws, {
        store, monitor, now, authTimeoutMs: o.authTimeoutMs, log, onAuthSettled: release,
      }));
      return;
    }
    if (url.pathname === '/api/live') {
      // the cookie is SameSite=Strict, and a browser on another site also shows its Origin
      if (!sameOrigin(req)) return refuse(socket, '403 Forbidden');
      if (!instructorOf(ctx, req)) return refuse(socket, '401 Unauthorized');
      const examId = url.searchParams.get('exam') ?? '';
      if (!store.people.getExam(examId)) return refuse(socket, '404 Not Found');
      liveWss.handleUpgrade(req, socket, head, (ws) => handleLiveConnection(ws, examId, {
        store, monitor, events, now, flushMs: o.liveFlushMs, pingMs: o.livePingMs, pongTimeoutMs: o.livePongTimeoutMs,
      }));
      return;
    }
    refuse(socket, '404 Not Found');
  };

  const timers: NodeJS.Timeout[] = [];
  const purge = () => {
    try {
      const purged = store.purgeExpired(now());
      for (const examId of purged) monitor.forgetExam(examId);
      if (purged.length > 0) log(`retention: purged exam(s) ${purged.join(', ')}`);
    } catch (err) {
      log(`retention purge failed: ${String(err)}`);
    }
  };
  let closing: Promise<void> | undefined;

  return {
    events,
    async listen() {
      app.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
        try {
          onUpgrade(req, socket, head);
        } catch (err) {
          log(`upgrade of ${req.url} failed: ${String(err)}`);
          socket.destroy();
        }
      });
      await app.listen({ host: o.host, port: o.port });
      purge();
      // a failing periodic task is logged, never allowed to crash the service
      const every = (ms: number, fn: () => void) => timers.push(setInterval(() => {
        try { fn(); } catch (err) { log(`periodic task failed: ${(err as Error).stack ?? String(err)}`); }
      }, ms));
      every(o.retentionCheckMs, purge);
      every(Math.max(50, Math.min(1000, o.silentAfterMs / 4)), () => monitor.checkSilence());
      every(Math.min(o.heartbeatMs, Math.max(50, o.silentAfterMs / 2)), () => monitor.heartbeatAll());
      every(DEFAULTS.latestFrameFlushMs, () => monitor.flushLatestFrames());
      const addr = app.server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      return { url: `http://${host}:${addr.port}` };
    },
    close() {
      closing ??= (async () => {
        for (const t of timers) clearInterval(t);
        for (const link of monitor.links()) link.fail(lwError('LABWATCH_ERR_ASSISTANT_SHUTTING_DOWN'));
        for (const ws of liveWss.clients) ws.terminate();
        await batcher.close();
        await stopWorker?.();
        monitor.flushLatestFrames();
        for (const ws of agentWss.clients) ws.terminate();
        agentWss.close();
        liveWss.close();
        await app.close();
        store.close();
      })();
      return closing;
    },
    createExam(name, roster) {
      const { exam, tokens } = store.people.createExam({
        name, roster, createdAt: now(), retentionDays: o.retentionDays, captureIntervalMs: o.captureIntervalMs,
      });
      return { examId: exam.id, tokens: tokens.map(({ studentId, token }) => ({ studentId, token })) };
    },
    createInstructor(username, password) {
      store.people.createInstructor(username, hashPasswordSync(password), now());
    },
    stats() {
      return { ...monitor.stats(), queued: batcher.queued };
    },
  };
}

/** No Origin (not a browser) or the page's own host; "null" or a malformed Origin is refused. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
