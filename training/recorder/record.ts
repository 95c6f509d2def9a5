import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lwError } from '../../core/errors.js';
import { MANIFEST_FILE, readDataset, writeManifest, type SequenceRow } from '../../core/dataset/manifest.js';
import type { RecordSet } from './content.js';
import { requireTools, sleep, startDesktop, type Desktop } from './desktop.js';
import { run } from './exec.js';
import { findScenarios } from './scenarios.js';
import { startPageServer } from './server.js';
import { recordSession } from './session.js';
import { CHROMIUM_FLAGS } from './steps.js';

/** Resolutions cycled through, one per session, when --resolution is not given. */
export const RESOLUTIONS = [
  [1920, 1080],
  [1366, 768],
  [1280, 1024],
  [2560, 1440],
] as const;

/** Desktop colours, one per session, so the bare desktop is not always black. */
const BACKGROUNDS = ['#3a6ea5', '#2e3440', '#4e6e58', '#77216f', '#1d1f21', '#5e81ac'];

export interface RecordOptions {
  out: string;
  /** Scenario names, or ['all']. */
  scenarios: string[];
  set: RecordSet;
  seconds?: number;
  resolution?: [number, number];
  /** Use this running X display (with its window manager) instead of starting Xvfb. */
  display?: string;
  small?: boolean;
  /** Shifts the resolution cycle and app colours, so parallel recorders differ. */
  offset?: number;
  log?: (line: string) => void;
}

export interface RecordSummary {
  sessions: number;
  sequences: number;
  prohibited: number;
  failed: string[];
}

export const REQUIRED_TOOLS = ['Xvfb', 'openbox', 'xprop', 'xdotool', 'xterm', 'mousepad', 'geany', 'pcmanfm', 'mupdf', 'chromium'];

/**
 * Record scripted sessions on real desktops into a dataset folder (format v1).
 * Sessions are appended to an existing manifest, under a lock, so two recorders
 * on two displays can fill the same folder.
 */
export async function recordDataset(options: RecordOptions): Promise<RecordSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  requireTools(...REQUIRED_TOOLS);
  const scenarios = findScenarios(options.scenarios);
  // node-screenshots keeps its first X connection for the life of the process, so
  // every session (its own Xvfb) after the first must run in a fresh process.
  if (scenarios.length > 1 && !options.display) return recordInChildren(options, scenarios.map((s) => s.name), log);
  await mkdir(options.out, { recursive: true });
  const pages = await startPageServer();
  const work = await mkdtemp(path.join(tmpdir(), 'lw-record-'));
  const summary: RecordSummary = { sessions: 0, sequences: 0, prohibited: 0, failed: [] };
  try {
    const examPdf = path.join(work, 'statement.pdf');
    await printPdf(`${pages.url}/exam.html?set=${options.set}`, examPdf, path.join(work, 'pdf-profile'), options.scenarios.join(','));
    for (let i = 0; i < scenarios.length; i++) {
      const scenario = scenarios[i];
      const index = i + (options.offset ?? 0);
      const [width, height] = options.resolution ?? RESOLUTIONS[index % RESOLUTIONS.length];
      const sessionId = `${options.set}-${scenario.name}-${width}x${height}-${randomBytes(3).toString('hex')}`;
      const desktop = options.display ? await attachDesktop(options.display) : await startDesktop({ width, height, background: BACKGROUNDS[index % BACKGROUNDS.length] });
      const saved = process.env.DISPLAY;
      process.env.DISPLAY = desktop.display; // node-screenshots captures the DISPLAY of this process
      // Ctrl-C or kill: stop Xvfb (its apps exit with it) instead of leaving a desktop behind.
      const onSignal = (signal: NodeJS.Signals) => { void desktop.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)); };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        log(`[${sessionId}] ${scenario.description} on ${desktop.display} ${desktop.width}x${desktop.height}`);
        const { rows } = await recordSession({
          scenario, set: options.set, desktop, pages, examPdf, outDir: options.out, sessionId,
          small: options.small, seconds: options.seconds, variant: index, log,
        });
        await appendRows(options.out, rows);
        summary.sessions++;
        summary.sequences += rows.length;
        summary.prohibited += rows.filter((r) => r.label === 1).length;
        log(`[${sessionId}] ${rows.length} sequences, ${rows.filter((r) => r.label === 1).length} prohibited`);
      } catch (err) {
        summary.failed.push(scenario.name);
        log(lwError('LABWATCH_ERR_RECORDER_FAILED', { scenario: scenario.name, reason: (err as Error).message }).message);
        await rm(path.join(options.out, 'frames', sessionId), { recursive: true, force: true });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (saved === undefined) delete process.env.DISPLAY;
        else process.env.DISPLAY = saved;
        await desktop.stop();
      }
    }
  } finally {
    await pages.close();
    await rm(work, { recursive: true, force: true });
  }
  return summary;
}

async function recordInChildren(options: RecordOptions, names: string[], log: (line: string) => void): Promise<RecordSummary> {
  const entry = fileURLToPath(new URL('./record-one.js', import.meta.url));
  if (!existsSync(entry)) throw lwError('LABWATCH_ERR_RECORDER_FAILED', { scenario: names.join(','), reason: `${entry} is missing: run \`npm run build\` and use the built CLI` });
  const summary: RecordSummary = { sessions: 0, sequences: 0, prohibited: 0, failed: [] };
  for (let i = 0; i < names.length; i++) {
    const one: RecordOptions = { ...options, scenarios: [names[i]], offset: (options.offset ?? 0) + i, log: undefined };
    const child = spawn(process.execPath, [entry, JSON.stringify(one)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    try {
      const part = JSON.parse(out.trim().split('\n').pop() ?? '') as RecordSummary;
      summary.sessions += part.sessions;
      summary.sequences += part.sequences;
      summary.prohibited += part.prohibited;
      summary.failed.push(...part.failed);
    } catch {
      summary.failed.push(names[i]);
      log(`scenario ${names[i]}: the recording process exited with code ${code}`);
    }
  }
  return summary;
}

/** The exam statement as a real PDF, printed by headless Chromium from a local page. */
async function printPdf(url: string, file: string, profile: string, scenarios: string): Promise<void> {
  await run('chromium', ['--headless', ...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--no-pdf-header-footer', `--print-to-pdf=${file}`, url], { timeoutMs: 60_000, allowFail: true });
  if (!existsSync(file)) throw lwError('LABWATCH_ERR_RECORDER_FAILED', { scenario: scenarios, reason: 'chromium --print-to-pdf wrote no exam statement PDF' });
}

async function attachDesktop(display: string): Promise<Desktop> {
  const env = { ...process.env, DISPLAY: display };
  const geo = (await run('xdotool', ['getdisplaygeometry'], { env })).stdout.trim().split(' ').map(Number);
  return { display, width: geo[0], height: geo[1], env, stop: async () => {} };
}

/** Append rows to OUT/manifest.csv under a lock folder (mkdir is atomic). */
export async function appendRows(out: string, rows: SequenceRow[]): Promise<void> {
  const lock = path.join(out, '.manifest.lock');
  for (let tries = 0; ; tries++) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 600) throw err;
      await sleep(100);
    }
  }
  try {
    const existing = existsSync(path.join(out, MANIFEST_FILE)) ? (await readDataset(out, { checkFiles: false })).rows : [];
    await writeManifest(out, [...existing, ...rows]);
  } finally {
    await rmdir(lock);
  }
}
