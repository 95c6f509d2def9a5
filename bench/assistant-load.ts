#!/usr/bin/env node
/**
 * Load of the assistant alone: N light protocol clients on 127.0.0.1, each
 * sending one frame per second (phases spread over the second), for D seconds.
 * Reports capture-to-verdict latency (send time to verdict event) and acks.
 *
 *   node dist/bench/assistant-load.js --students 150 --seconds 60 [--monitors 1] [--model DIR] [--batch-size 64] [--batch-deadline-ms 50]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { buildAssistant } from '../assistant/assistant.js';
import { FRAME_BYTES, MAX_FRAME_VIEWS, PROTOCOL_VERSION, decode, encode } from '../core/protocol.js';

const USAGE = `Usage: node dist/bench/assistant-load.js [options]

Starts the assistant on 127.0.0.1 and N protocol clients that each send one
frame per second; prints capture-to-verdict latency and acknowledgements.

Options:
  --students <n>            simulated students (default 150)
  --seconds <n>             measured seconds (default 60)
  --warmup <n>              seconds before measuring (default 5)
  --monitors <n>            monitors per student, one view each (1-${MAX_FRAME_VIEWS}, default 1)
  --model <dir>             model folder (default: the shipped models/screen)
  --batch-size <n>          inference batch size (default: the assistant's)
  --batch-deadline-ms <n>   inference batch deadline (default: the assistant's)
  -h, --help                show this help
`;

function parseOptions() {
  try {
    return parseArgs({
      options: {
        students: { type: 'string', default: '150' },
        seconds: { type: 'string', default: '60' },
        warmup: { type: 'string', default: '5' },
        monitors: { type: 'string', default: '1' },
        model: { type: 'string' },
        'batch-size': { type: 'string' },
        'batch-deadline-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const values = parseOptions();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const problems = (['students', 'seconds', 'warmup', 'batch-size', 'batch-deadline-ms'] as const)
  .filter((k) => values[k] !== undefined && !(Number(values[k]) >= 0 && Number.isFinite(Number(values[k]))))
  .map((k) => `  --${k} ${values[k]}: expected a non-negative number`);
if (!(Number.isInteger(Number(values.monitors)) && Number(values.monitors) >= 1 && Number(values.monitors) <= MAX_FRAME_VIEWS)) {
  problems.push(`  --monitors ${values.monitors}: expected an integer in 1..${MAX_FRAME_VIEWS}`);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n\n${USAGE}`);
  process.exit(2);
}
const students = Number(values.students);
const seconds = Number(values.seconds);
const warmupMs = Number(values.warmup) * 1000;
const monitors = Number(values.monitors);

const dataDir = mkdtempSync(path.join(tmpdir(), 'lw-load-'));
const assistant = await buildAssistant({
  dataDir, modelDir: values.model, port: 0, logger: () => undefined,
  batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
  batchDeadlineMs: values['batch-deadline-ms'] ? Number(values['batch-deadline-ms']) : undefined,
});
const { url } = await assistant.listen();
const roster = Array.from({ length: students }, (_, i) => ({ name: `N${i}`, surname: `S${i}`, studentId: `S${String(i).padStart(4, '0')}` }));
const { tokens } = assistant.createExam('load', roster);

const start = Date.now();
const latencies: number[] = [];
let verdicts = 0;
assistant.events.on('verdict', (v: { capturedAt: number; verdictAt: number }) => {
  verdicts++;
  if (v.capturedAt - start >= warmupMs) latencies.push(v.verdictAt - v.capturedAt);
});
let acked = 0;
let sent = 0;
const sockets: WebSocket[] = [];
const timers: NodeJS.Timeout[] = [];
await Promise.all(tokens.map(async ({ token }, i) => {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/agent`, { perMessageDeflate: false });
  sockets.push(ws);
  await new Promise((r) => ws.once('open', r));
  ws.send(encode({ type: 'hello', protocolVersion: PROTOCOL_VERSION, token, agentVersion: 'load', os: 'linux', monitors, lastAckedSeq: 0, counters: { dropped: 0, skippedTicks: 0, captureErrors: 0 } }));
  ws.on('message', (d: Buffer) => { if (decode(new Uint8Array(d), 'server').type === 'ack') acked++; });
  // noise-like bytes: DEFLATE cannot shrink them, so this is the wire's worst case
  const rgb = new Uint8Array(monitors * FRAME_BYTES).map((_, j) => (i * 31 + j * 2654435761) >>> 24);
  let seq = 0;
  const send = () => { ws.send(encode({ type: 'frame', seq: ++seq, capturedAt: Date.now(), rgb })); sent++; };
  timers.push(setTimeout(() => { send(); timers.push(setInterval(send, 1000)); }, (i * 1000) / students));
}));

await new Promise((r) => setTimeout(r, seconds * 1000));
for (const t of timers) { clearTimeout(t); clearInterval(t); }
await new Promise((r) => setTimeout(r, 1500));
const sorted = latencies.sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
process.stdout.write(`${JSON.stringify({
  students, monitors, seconds, sent, acked, verdicts,
  capture_to_verdict_ms: { n: sorted.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: sorted[sorted.length - 1] },
  assistant_queue_to_verdict_ms: assistant.stats(),
})}\n`);
for (const ws of sockets) ws.terminate();
await assistant.close();
rmSync(dataDir, { recursive: true, force: true });
