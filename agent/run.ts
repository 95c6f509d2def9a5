import { buildAgent } from './agent.js';
import { buildDesktopSource } from './desktop-source.js';
import { disclosureText } from './disclosure.js';
import { parseAgentCliOptions, type RawAgentCliOptions } from './options.js';
import { buildDesktopNotifier } from './popup.js';

/** The `labwatch agent` action: validate, tell the student what is captured, run until Ctrl+C. */
export async function runAgentCli(raw: RawAgentCliOptions): Promise<void> {
  const opts = parseAgentCliOptions(raw);
  // the student reads what is captured before the first capture happens
  process.stdout.write(`${disclosureText({ serverUrl: opts.serverUrl, intervalMs: opts.intervalMs, evidenceFrames: opts.evidenceFrames })}\n\n`);
  const capture = await buildDesktopSource();
  const agent = buildAgent({
    serverUrl: opts.serverUrl,
    token: opts.token,
    intervalMs: opts.intervalMs,
    bufferFrames: opts.bufferFrames,
    evidenceFrames: opts.evidenceFrames,
    capture,
    notifier: buildDesktopNotifier(),
  });
  let exitCode = 0;
  agent.events.on('fatal', ({ code }: { code: string }) => {
    process.stderr.write(`The assistant refused this agent (${code}); check --server and --token with your instructor.\n`);
    exitCode = 3;
  });
  const statsTimer = setInterval(() => {
    const s = agent.stats;
    process.stderr.write(
      `[agent] ${s.captured} captured, ${s.acknowledged} acknowledged, ${s.pending} waiting, ${s.dropped} dropped, ` +
        `${s.skippedTicks} skipped, ${s.captureErrors} capture errors, ${(s.bytesSent / 1024).toFixed(0)} KiB sent\n`,
    );
  }, 60_000);
  statsTimer.unref();
  const done = new Promise<void>((resolve) => {
    const finish = () => {
      // deliver what is still pending (a few seconds at most) before closing
      agent.stopCapture();
      void agent.flush(3000).then(() => agent.stop()).then(resolve);
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    agent.events.once('fatal', finish);
  });
  agent.start();
  await done;
  clearInterval(statsTimer);
  const s = agent.stats;
  process.stderr.write(`[agent] stopped: ${s.captured} captured, ${s.acknowledged} acknowledged, ${s.pending} unsent, ${s.dropped} dropped\n`);
  process.exitCode = exitCode;
}
