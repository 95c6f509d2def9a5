import path from 'node:path';
import type { DemoCliOptions } from './cli.js';
import { startDemo, type DemoResult } from './demo.js';
import type { PoolFrame } from './frame-pool.js';

/** `--score-pool`: the pool the demo would use, scored window by window, without the assistant. */
async function poolScoresText(o: DemoCliOptions, log: (l: string) => void): Promise<string> {
  const [{ loadOrBuildFramePool }, { buildSynthGenerator }, { IncrementalClassifier }, { scorePool, scorePoolWholeDesktop, formatPoolScores }, { defaultModelDir }] = await Promise.all([
    import('./frame-pool.js'), import('./synth-generator.js'), import('../../models/incremental-classifier.js'), import('./pool-scores.js'), import('../../core/paths.js'),
  ]);
  const pool = await loadOrBuildFramePool({
    cacheDir: path.join(o.dataDir, 'pool'), seed: o.seed, generator: await buildSynthGenerator(), sessions: o.poolSessions, clipFrames: o.poolClipFrames, log,
  });
  const clf = await IncrementalClassifier.load(o.modelDir ?? defaultModelDir());
  const scores = o.wholeDesktop ? await scorePoolWholeDesktop(pool, clf, await desktopShrinker()) : scorePool(pool, clf);
  return `pool ${pool.dir}${o.wholeDesktop ? ' (each desktop as one view, monitors squeezed together)' : ''}\n${formatPoolScores(scores, { alert: o.alertThreshold ?? clf.alertThreshold, f2: clf.threshold })}`;
}

/** A pool frame's whole desktop, from its full-size original, through the shared preprocessing (`--whole-desktop`). */
async function desktopShrinker(): Promise<(frame: PoolFrame) => Promise<Uint8Array>> {
  const { preprocessScreen } = await import('../../models/preprocess.js');
  return async (frame) => preprocessScreen(await frame.png());
}

/** The `labwatch demo` action. */
export async function runDemoCli(o: DemoCliOptions): Promise<void> {
  const log = (l: string) => void process.stderr.write(`${l}\n`);
  if (o.scorePool) {
    process.stdout.write(`${await poolScoresText(o, log)}\n`);
    return;
  }
  const demo = await startDemo({
    students: o.students, port: o.port, dataDir: o.dataDir, seed: o.seed, durationSeconds: o.durationSeconds,
    poolSessions: o.poolSessions, poolClipFrames: o.poolClipFrames, modelDir: o.modelDir, alertThreshold: o.alertThreshold, confirmWindows: o.confirmWindows, log,
  });
  const banner = [
    '',
    `labwatch demo: ${o.students} simulated students are streaming to the assistant.`,
    `  instructor panel: ${demo.url}/`,
    `  username: ${demo.username}`,
    `  password: ${demo.password}`,
    o.durationSeconds === undefined ? '  Stop with Ctrl+C.' : `  Running for ${o.durationSeconds} s.`,
    '',
  ].join('\n');
  // stdout carries exactly one JSON object with --json; everything else goes to stderr then
  (o.json ? log : (l: string) => void process.stdout.write(`${l}\n`))(banner);

  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.race([demo.finished, interrupted]);
  log('demo: stopping: delivering pending frames and waiting for the last verdicts...');
  const result = await demo.stop();
  if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${summary(result)}\n`);
}

function summary(r: DemoResult): string {
  return [
    `students ${r.students}, ${r.duration_seconds} s; backend ${r.backend ?? 'unknown'}, model ${r.model}`,
    `frames: ${r.frames.sent} sent, ${r.frames.received} received, ${r.frames.acknowledged} acknowledged, ${r.frames.lost} lost`,
    `windows classified: ${r.windows_classified}; alerts raised: ${r.alerts_raised}`,
    `episodes: ${r.episodes.simulated} simulated, ${r.episodes.alerted} alerted, ${r.episodes.missed} missed; median ${r.episode_to_alert_seconds_median ?? '-'} s to alert`,
    `alerts during permitted work: ${r.alerts_during_permitted_work} (${r.alerts_per_student_hour_permitted ?? '-'} per student-hour)`,
    `capture-to-verdict latency: median ${r.latency_ms.capture_to_verdict_median ?? '-'} ms, p99 ${r.latency_ms.capture_to_verdict_p99 ?? '-'} ms`,
  ].join('\n');
}
