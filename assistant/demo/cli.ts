import type { Command } from 'commander';
import { lwError } from '../../core/errors.js';
import { DEFAULT_CONFIRM_WINDOWS, MAX_CONFIRM_WINDOWS } from '../alert-rule.js';

interface RawDemoOptions {
  students: string;
  port?: string;
  data: string;
  headless?: boolean;
  duration?: string;
  json?: boolean;
  seed: string;
  poolSessions: string;
  poolClip: string;
  model?: string;
  alertThreshold?: string;
  confirmWindows?: string;
  scorePool?: boolean;
  wholeDesktop?: boolean;
}

/** `labwatch demo`: the project's main job. Heavy modules load inside the action. */
export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description('Run the assistant with N simulated students streaming synthetic screens over real WebSockets; print the instructor login (or, headless, one JSON scorecard)')
    .option('--students <n>', 'simulated students', '30')
    .option('--port <port>', 'assistant port (default 8080; headless: any free port)')
    .option('--data <dir>', 'data folder (SQLite, evidence, pre-rendered frame pool)', './data/demo')
    .option('--headless', 'no browser needed: run, then print the figures')
    .option('--duration <seconds>', 'stop after this many seconds of capture (default: until Ctrl+C)')
    .option('--json', 'print the figures as exactly one JSON object on stdout (logs go to stderr)')
    .option('--seed <seed>', 'seed of the frame pool, the roster and the students\' timelines', '1')
    .option('--pool-sessions <n>', 'simulated sessions pre-rendered into the frame pool', '6')
    .option('--pool-clip <n>', 'frames per clip in the pool (each session: one permitted and one prohibited clip)', '25')
    .option('--model <dir>', 'model folder (default: the shipped models/screen)')
    .option('--alert-threshold <p>', "score (0-1) at or above which a window is suspicious (default: the model's alert threshold)")
    .option('--confirm-windows <n>', `consecutive suspicious windows that raise an alert, 1-${MAX_CONFIRM_WINDOWS} (default ${DEFAULT_CONFIRM_WINDOWS})`)
    .option('--score-pool', "score every window of the frame pool with the model, print one line per clip and exit (why does the demo alert where it does?)")
    .option('--whole-desktop', 'with --score-pool: score each desktop of several monitors as one 50x50 view of the whole desktop, as before protocol v3, instead of monitor by monitor as the assistant does (what classifying each monitor separately changes)')
    .action(async (raw: RawDemoOptions) => {
      const opts = parseDemoOptions(raw);
      const { runDemoCli } = await import('./run.js');
      await runDemoCli(opts);
    });
}

export interface DemoCliOptions {
  students: number;
  port: number;
  dataDir: string;
  headless: boolean;
  durationSeconds?: number;
  json: boolean;
  seed: string;
  poolSessions: number;
  poolClipFrames: number;
  modelDir?: string;
  alertThreshold?: number;
  confirmWindows?: number;
  scorePool: boolean;
  wholeDesktop: boolean;
}

export function parseDemoOptions(raw: RawDemoOptions): DemoCliOptions {
  const problems: string[] = [];
  const int = (name: string, value: string | undefined, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`--${name} "${value}" must be an integer from ${min} to ${max}`);
    return n;
  };
  const students = int('students', raw.students, 1, 2000) ?? 30;
  const port = int('port', raw.port, 0, 65535);
  const durationSeconds = int('duration', raw.duration, 5, 7 * 24 * 3600);
  const poolSessions = int('pool-sessions', raw.poolSessions, 1, 100) ?? 6;
  const poolClipFrames = int('pool-clip', raw.poolClip, 3, 500) ?? 25;
  const alertThreshold = raw.alertThreshold === undefined ? undefined : Number(raw.alertThreshold);
  if (alertThreshold !== undefined && !(alertThreshold >= 0 && alertThreshold <= 1)) problems.push(`--alert-threshold "${raw.alertThreshold}" must be a probability from 0 to 1`);
  const confirmWindows = int('confirm-windows', raw.confirmWindows, 1, MAX_CONFIRM_WINDOWS);
  if (raw.headless && durationSeconds === undefined && !raw.scorePool) problems.push('--headless needs --duration <seconds>');
  if (raw.data.trim() === '') problems.push('--data must name a folder');
  if (raw.wholeDesktop && !raw.scorePool) problems.push('--whole-desktop goes with --score-pool (the assistant classifies each monitor on its own)');
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.map((p) => `  - ${p}`).join('\n') });
  return {
    students,
    port: port ?? (raw.headless ? 0 : 8080),
    dataDir: raw.data,
    headless: raw.headless === true,
    durationSeconds,
    json: raw.json === true,
    seed: raw.seed,
    poolSessions,
    poolClipFrames,
    modelDir: raw.model,
    alertThreshold,
    confirmWindows,
    scorePool: raw.scorePool === true,
    wholeDesktop: raw.wholeDesktop === true,
  };
}
