import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { captureDesktop } from '../../agent/capture.js';
import type { Label, SequenceRow } from '../../core/dataset/manifest.js';
import { preprocessScreen, type RawScreen } from '../../models/preprocess.js';
import { setContent, type RecordSet } from './content.js';
import { sleep, type Desktop } from './desktop.js';
import { Driver } from './driver.js';
import type { Scenario } from './scenarios.js';
import type { PageServer } from './server.js';
import { CHROMIUM_FLAGS, type AppName, type SessionContext, type Step } from './steps.js';

export interface SessionOptions {
  scenario: Scenario;
  set: RecordSet;
  desktop: Desktop;
  pages: PageServer;
  /** The exam statement PDF (copied into the session's home). */
  examPdf: string;
  /** Dataset folder; frames go to frames/<sessionId>/. */
  outDir: string;
  sessionId: string;
  /** Store 50x50 frames instead of full-size PNGs. */
  small?: boolean;
  /** Stretch or shrink the scenario to about this many seconds. */
  seconds?: number;
  variant?: number;
  log?: (line: string) => void;
}

export interface RecordedFrame {
  /** Relative to outDir. */
  file: string;
  label: Label;
  activity: string;
  capturedAt: string;
}

export interface SessionResult {
  frames: RecordedFrame[];
  rows: SequenceRow[];
}

/** Serialises "change what is on screen" and "grab the screen", so a frame never shows a half-done switch. */
class ScreenLock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * Record one scripted session: start the scenario's apps, then capture once per
 * second while the script runs. Each frame is labelled with the script's state
 * at the moment of the grab; sequences are sliding windows (stride 1).
 */
export async function recordSession(options: SessionOptions): Promise<SessionResult> {
  const log = options.log ?? (() => {});
  const { scenario, desktop: screen, sessionId } = options;
  const home = await mkdtemp(path.join(tmpdir(), 'lw-home-'));
  const driver = new Driver({ ...screen.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), PS1: 'student@lab:\\w$ ' }, log);
  const ctx: SessionContext = {
    driver,
    set: options.set,
    content: setContent(options.set),
    home,
    examPdf: '',
    page: (name, params = {}) => {
      const q = new URLSearchParams({ set: options.set, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
      return `${options.pages.url}/${name}.html?${q}`;
    },
    windows: new Map(),
    opened: new Set(),
    variant: options.variant ?? 0,
    profileDir: (app) => path.join(home, '.chromium', app),
  };
  const framesDir = path.join(options.outDir, 'frames', sessionId);
  await mkdir(framesDir, { recursive: true });
  try {
    await prepareHome(ctx, options.examPdf);
    const total = scenario.steps.reduce((s, x) => s + x.seconds, 0);
    const scale = options.seconds ? options.seconds / total : 1;
    await startApps(ctx, scenario.steps);
    log(`[${sessionId}] apps ready: ${[...ctx.windows.keys()].join(', ') || 'none'}`);

    const lock = new ScreenLock();
    let state = { label: scenario.steps[0].label, activity: scenario.steps[0].activity };
    await lock.run(() => scenario.steps[0].enter(ctx));
    await sleep(500);

    const frames: RecordedFrame[] = [];
    const writes: Promise<void>[] = [];
    let stopped = false;
    let captureError: unknown;
    let skipped = 0;
    const captureLoop = (async () => {
      const t0 = Date.now();
      for (let k = 0; !stopped; ) {
        const wait = t0 + k * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        if (stopped) break;
        const { shot, at } = await lock.run(async () => ({ shot: await captureDesktop(), at: { ...state, time: new Date() } }));
        const file = path.posix.join('frames', sessionId, `${String(frames.length).padStart(4, '0')}.png`);
        frames.push({ file, label: at.label, activity: at.activity, capturedAt: at.time.toISOString() });
        writes.push(writeFrame(shot, path.join(options.outDir, file), options.small ?? false));
        // A slow grab skips ticks rather than bunching frames closer than one second.
        const next = Math.max(k + 1, Math.ceil((Date.now() - t0) / 1000));
        skipped += next - k - 1;
        k = next;
      }
    })().catch((err) => {
      captureError = err;
      stopped = true;
    });

    for (let i = 0; i < scenario.steps.length && !stopped; i++) {
      const step = scenario.steps[i];
      if (i > 0) {
        await lock.run(async () => {
          await scenario.steps[i - 1].leave?.(ctx);
          await step.enter(ctx);
          await sleep(250);
          state = { label: step.label, activity: step.activity };
        });
      }
      log(`[${sessionId}] ${step.activity} (label ${step.label})`);
      const until = Date.now() + step.seconds * scale * 1000;
      if (step.during) await step.during(ctx, until);
      const rest = until - Date.now();
      if (rest > 0) await sleep(rest);
    }
    stopped = true;
    await captureLoop;
    await Promise.all(writes);
    if (captureError) throw captureError;
    if (skipped > 0) log(`[${sessionId}] ${skipped} one-second tick(s) skipped: the machine was too busy to capture on time`);
    return { frames, rows: slidingWindows(frames, sessionId, scenario.name, options) };
  } finally {
    await driver.stopAll();
    // Retries cover a file written by a helper in the instant before it exited.
    await rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

async function writeFrame(shot: RawScreen, file: string, small: boolean): Promise<void> {
  if (small) {
    const frame = await preprocessScreen(shot);
    await sharp(frame, { raw: { width: 50, height: 50, channels: 3 } }).png().toFile(file);
    return;
  }
  await sharp(shot.data, { raw: { width: shot.width, height: shot.height, channels: shot.channels } })
    .removeAlpha()
    .png({ compressionLevel: 4 })
    .toFile(file);
}

/** Windows of three consecutive frames, stride 1; a window is prohibited if any of its frames is. */
export function slidingWindows(
  frames: RecordedFrame[],
  sessionId: string,
  scenario: string,
  options: { set: RecordSet; desktop: { width: number; height: number } },
): SequenceRow[] {
  const rows: SequenceRow[] = [];
  for (let i = 0; i + 2 < frames.length; i++) {
    const w = [frames[i], frames[i + 1], frames[i + 2]];
    rows.push({
      sequenceId: `${sessionId}-${String(i).padStart(4, '0')}`,
      label: w.some((f) => f.label === 1) ? 1 : 0,
      frames: [w[0].file, w[1].file, w[2].file],
      extra: {
        captured_at: w[0].capturedAt,
        session_id: sessionId,
        source: `record:${scenario}`,
        frame_labels: w.map((f) => f.label).join(' '),
        // Seconds from frame1 to frame3: 2 when every capture was on time; more when the machine was busy.
        span_s: ((Date.parse(w[2].capturedAt) - Date.parse(w[0].capturedAt)) / 1000).toFixed(1),
        activity: w.map((f) => f.activity).join(' '),
        resolution: `${options.desktop.width}x${options.desktop.height}`,
        record_set: options.set,
      },
      line: 0,
    });
  }
  return rows;
}

async function prepareHome(ctx: SessionContext, examPdf: string): Promise<void> {
  for (const [rel, text] of Object.entries(ctx.content.files)) {
    const file = path.join(ctx.home, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  ctx.examPdf = path.join(ctx.home, ctx.content.folders[0], 'statement.pdf');
  await copyFile(examPdf, ctx.examPdf);
}

const XTERM_COLOURS = [['white', 'black'], ['black', 'rgb:dd/dd/dd'], ['rgb:30/0a/24', 'white'], ['rgb:1e/1e/1e', 'rgb:8a/e2/34']];

/** Start every app the scenario uses, before the first capture, and remember its window. */
async function startApps(ctx: SessionContext, steps: Step[]): Promise<void> {
  const needed = new Map<AppName, Step>();
  for (const step of steps) for (const app of step.apps) if (!needed.has(app)) needed.set(app, step);
  for (const [app, step] of needed) {
    const d = ctx.driver;
    const before = await d.windows('.');
    let cls = app as string;
    switch (app) {
      case 'xterm': {
        const [bg, fg] = XTERM_COLOURS[ctx.variant % XTERM_COLOURS.length];
        d.start('xterm', ['-fa', 'DejaVu Sans Mono', '-fs', String(11 + (ctx.variant % 3)), '-bg', bg, '-fg', fg, '-title', 'student@lab: ~', '-e', 'bash', '--norc', '--noprofile'], {}, ctx.home);
        cls = 'xterm';
        break;
      }
      case 'mousepad':
        d.start('mousepad', [path.join(ctx.home, ctx.content.editorFile.mousepad)], {}, ctx.home);
        break;
      case 'geany':
        d.start('geany', ['-i', '-c', path.join(ctx.home, '.config', 'geany'), path.join(ctx.home, ctx.content.editorFile.geany)], {}, ctx.home);
        break;
      case 'pcmanfm':
        d.start('pcmanfm', ['--no-desktop', path.join(ctx.home, ctx.content.folders[0])], {}, ctx.home);
        break;
      case 'mupdf':
        d.start('mupdf', [ctx.examPdf], {}, ctx.home);
        break;
      case 'browser': {
        const url = step.startUrl!(ctx);
        ctx.opened.add(url);
        d.start('chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${ctx.profileDir('browser')}`, '--class=lw-browser', '--start-maximized', url]);
        cls = 'lw-browser';
        break;
      }
      case 'ide':
        d.start('chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${ctx.profileDir('ide')}`, '--class=lw-ide', '--start-maximized', `--app=${step.startUrl!(ctx)}`]);
        cls = 'lw-ide';
        break;
      case 'side-chat': {
        const w = Math.round(Math.min(460, (await screenWidth(ctx)) * 0.3));
        const sw = await screenWidth(ctx);
        d.start('chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${ctx.profileDir('side-chat')}`, '--class=lw-side-chat', `--window-size=${w},${Math.round(w * 1.35)}`, `--window-position=${sw - w - 30},${120 + (ctx.variant % 3) * 40}`, `--app=${step.startUrl!(ctx)}`]);
        cls = 'lw-side-chat';
        break;
      }
    }
    const id = await d.waitNewWindow(cls, before, 30_000);
    ctx.windows.set(app, id);
  }
  // Give pages and editors time to draw, then hide the floating chat until its step.
  await sleep(needed.has('browser') || needed.has('ide') || needed.has('side-chat') ? 2500 : 1000);
  const chat = ctx.windows.get('side-chat');
  if (chat) await ctx.driver.minimize(chat);
}

async function screenWidth(ctx: SessionContext): Promise<number> {
  const geo = await ctx.driver.xdo('getdisplaygeometry');
  return Number(geo.split(' ')[0]) || 1280;
}
