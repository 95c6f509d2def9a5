import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeManifest, type SequenceRow } from '../../core/dataset/manifest.js';
import { writeFrame, type FrameJob, type FrameSettings } from './frame-writer.js';
import type { TextMode } from './render/render-scene.js';
import { monitorScene, prohibitedScreenShare, sceneKinds, withoutProhibited, withProhibitedSwapped, type CounterfactualMode } from './labels.js';
import type { Scene } from './scene.js';
import { buildRng } from './prng.js';
import { renderInProcesses } from './render-pool.js';
import { buildSessionSimulator, type ProhibitedFocus, type ProhibitedLayout, type TiledCompanion } from './session-simulator.js';

// each mode has its own frame names, so that --resume never keeps the other mode's frames
const COUNTERFACTUAL_SUFFIX: Record<CounterfactualMode, string> = { close: '-cf.png', swap: '-cfs.png' };

/**
 * Synthetic dataset generation: sequences are sliding 3-frame windows over
 * simulated sessions, taken with a stride so that N sequences come from many
 * sessions; frames shared by overlapping windows are rendered once, by a pool
 * of render processes (render-pool.ts: not threads, text rendering is not
 * thread-safe); the manifest is written atomically at the end.
 */
export interface SynthOptions {
  out: string;
  sequences: number;
  seed: string | number;
  /** Keep full-resolution PNGs instead of 50x50 frames. */
  fullSize?: boolean;
  /** Text drawn as glyphs, or as blocks of the same ink (default: several times faster, same 50x50 frames to within ~0.3 of 255 on average). */
  text?: TextMode;
  /** Render processes; 0 renders in this process. Default: number of cores. */
  workers?: number;
  prohibitedShare?: number;
  /**
   * Most windows taken from one session (default 16, at least 6). Fewer windows
   * per session means more sessions, so more distinct desktops per rendered
   * frame: a model sees more looks and memorises fewer.
   */
  windowsPerSession?: number;
  /** Every session starts with this permitted app tiled beside the main window (session-simulator.ts). */
  tiledCompanion?: TiledCompanion;
  /** Every prohibited window is this app or its web version (session-simulator.ts). */
  prohibitedFocus?: ProhibitedFocus;
  /** "small": every prohibited visit in a pop-up or tiled beside the work (session-simulator.ts). */
  prohibitedLayout?: ProhibitedLayout;
  /**
   * A desktop of several monitors gives one sequence per monitor, each monitor
   * cropped and shrunk on its own and labelled by what shows on it (for a model
   * that classifies monitors separately); single-monitor desktops are unchanged.
   */
  perMonitor?: boolean;
  /** Every desktop has two monitors (session-simulator.ts); with `perMonitor`, two sequences per window. */
  twoMonitors?: boolean;
  /**
   * Every prohibited sequence gets a permitted twin in the same session: its
   * frames rendered again with the prohibited windows closed (`close`) or
   * replaced by permitted apps in the same place (`swap`). The pair differs
   * only by the prohibited window, so a model cannot take the clutter around it
   * (several overlapping work windows) for the sign of a visit.
   */
  counterfactual?: CounterfactualMode;
  /**
   * Keep frame files already in `out` (an interrupted run with the same options)
   * and render only the missing ones. Frames are written atomically and the
   * generator is deterministic, so the result equals an uninterrupted run.
   */
  resume?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Messages about crashed render processes and skipped frames (default: stderr). */
  log?: (line: string) => void;
  /** Tests: the render process entry module (default: render-child.js next to this module). */
  renderEntry?: string;
  /** Tests: make the render process of batch `batch` kill itself before its job of this index, at this attempt (0, then 1 for the retry). */
  crashAt?: (batch: number, attempt: number) => number | undefined;
}

export interface SynthReport {
  sequences: number;
  positives: number;
  frames: number;
  sessions: number;
  seconds: number;
  framesPerSecond: number;
  /** Frames not written because their render process crashed on them twice (0 normally). */
  skippedFrames: number;
  /** Sequences left out of the manifest because they need a skipped frame. */
  droppedSequences: number;
  /** Frames found complete in `out` and kept (`resume`), not rendered again. */
  reusedFrames: number;
}

export interface SynthPlan {
  rows: SequenceRow[];
  /** One batch per session, in order. */
  batches: FrameJob[][];
  sessions: number;
}

/** Cheap part: simulate sessions and decide every sequence and frame (no rendering). */
export function planSynthDataset(options: Pick<SynthOptions, 'out' | 'sequences' | 'seed' | 'prohibitedShare' | 'windowsPerSession' | 'tiledCompanion' | 'prohibitedFocus' | 'prohibitedLayout' | 'perMonitor' | 'twoMonitors' | 'counterfactual'>): SynthPlan {
  const rng = buildRng(`plan:${options.seed}`);
  const rows: SequenceRow[] = [];
  const batches: FrameJob[][] = [];
  let k = 0;
  while (rows.length < options.sequences) {
    const sessionId = `syn${options.seed}-${String(k).padStart(5, '0')}`;
    const sim = buildSessionSimulator({ seed: `${options.seed}:${k}`, sessionId, prohibitedShare: options.prohibitedShare, tiledCompanion: options.tiledCompanion, prohibitedFocus: options.prohibitedFocus, prohibitedLayout: options.prohibitedLayout, twoMonitors: options.twoMonitors });
    k++;
    const length = rng.int(70, 160);
    // stride 1 shares frames between windows (about 1.2 frames per sequence): rendering is the cost
    const stride = rng.weighted([[1, 10], [2, 1]] as const);
    const cap = options.windowsPerSession ?? 16;
    // the default draw is kept as it was so that existing seeds give the same datasets
    const maxWindows = cap >= 16 ? rng.int(6, 16) : rng.int(1, cap);
    const starts: number[] = [];
    for (let t = rng.int(0, 60); t + 2 < length && starts.length < maxWindows; t += stride) starts.push(t);
    const take = starts.slice(0, options.sequences - rows.length);
    if (take.length === 0) continue;
    const needed = new Set(take.flatMap((t) => [t, t + 1, t + 2]));
    const last = Math.max(...needed);
    // per view (the desktop, or each of its monitors with perMonitor), per second; `cf:` keys hold counterfactual twins
    const frames = new Map<string, FrameInfo>();
    const jobs: FrameJob[] = [];
    let views = 1;
    // one view: the whole desktop, or its monitor `monitor` cropped and labelled on its own
    const addView = (key: string, scene: Scene, file: string, monitor?: number) => {
      const own = (sc: Scene) => (monitor === undefined ? sc : monitorScene(sc, monitor));
      const crop = monitor === undefined ? {} : { crop: { ...scene.monitors[monitor] } };
      const view = own(scene);
      const share = prohibitedScreenShare(view);
      frames.set(key, { label: share > 0 ? 1 : 0, kind: sceneKinds(view), share, file });
      jobs.push({ scene, file: path.join(options.out, file), ...crop });
      if (share > 0 && options.counterfactual) {
        const clean = options.counterfactual === 'swap' ? withProhibitedSwapped(scene) : withoutProhibited(scene);
        const cleanFile = file.replace(/\.png$/, COUNTERFACTUAL_SUFFIX[options.counterfactual]);
        frames.set(`cf:${key}`, { label: 0, kind: sceneKinds(own(clean)), share: 0, file: cleanFile });
        jobs.push({ scene: clean, file: path.join(options.out, cleanFile), ...crop });
      }
    };
    for (let t = 0; t <= last; t++) {
      const f = sim.next();
      if (!needed.has(t)) continue;
      const base = `frames/${sessionId}/${String(t).padStart(4, '0')}`;
      if (!options.perMonitor || f.scene.monitors.length < 2) {
        addView(`${t}`, f.scene, `${base}.png`);
        continue;
      }
      views = f.scene.monitors.length;
      f.scene.monitors.forEach((_, v) => addView(`${t}:${v}`, f.scene, `${base}-m${v}.png`, v));
    }
    for (const t of take) for (let v = 0; v < views; v++) {
      const key = (dt: number) => (views > 1 ? `${t + dt}:${v}` : `${t + dt}`);
      const fr = [0, 1, 2].map((dt) => frames.get(key(dt))!);
      const id = `${sessionId}-t${String(t).padStart(4, '0')}${views > 1 ? `-m${v}` : ''}`;
      rows.push(sequenceRow(id, sessionId, fr));
      if (options.counterfactual && fr.some((f) => f.label === 1)) {
        rows.push(sequenceRow(`${id}-cf`, sessionId, [0, 1, 2].map((dt) => frames.get(`cf:${key(dt)}`) ?? fr[dt])));
      }
    }
    batches.push(jobs);
  }
  // a session's last start may give one sequence per monitor beyond the count asked for
  rows.length = Math.min(rows.length, options.sequences);
  return { rows, batches, sessions: k };
}

interface FrameInfo {
  label: 0 | 1;
  kind: string;
  share: number;
  file: string;
}

function sequenceRow(sequenceId: string, sessionId: string, fr: FrameInfo[]): SequenceRow {
  return {
    sequenceId,
    label: fr.some((f) => f.label === 1) ? 1 : 0,
    frames: [fr[0].file, fr[1].file, fr[2].file],
    extra: {
      student_id: sessionId,
      session_id: sessionId,
      source: `synth:${sessionId}:${fr.map((f) => f.kind).join('|')}`,
      prohibited_screen_share: Math.max(...fr.map((f) => f.share)).toFixed(4),
    },
    line: 0,
  };
}

export async function generateSynthDataset(options: SynthOptions): Promise<SynthReport> {
  const started = performance.now();
  const plan = planSynthDataset(options);
  const planned = plan.batches.reduce((n, b) => n + b.length, 0);
  // with --resume, a session's batch shrinks to its missing frames; empty batches are not sent
  const pending = options.resume ? plan.batches.map((b) => b.filter((job) => !existsSync(job.file))) : plan.batches;
  const order = pending.flatMap((b, i) => (b.length > 0 ? [i] : []));
  const work = order.map((i) => pending[i]);
  const total = work.reduce((n, b) => n + b.length, 0);
  const reusedFrames = planned - total;
  const settings: FrameSettings = { fullSize: options.fullSize ?? false, text: options.text ?? 'blocks' };
  const workerCount = options.workers ?? os.availableParallelism();
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  if (reusedFrames > 0) log(`synth: resuming: ${reusedFrames} of ${planned} frames already in ${options.out}, rendering ${total}`);
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, total);
  };
  const entry = options.renderEntry ?? fileURLToPath(new URL('./render-child.js', import.meta.url));
  let skipped: number[] = [];
  // under a TypeScript test runner only the .ts sources exist: render in this process then
  if (workerCount <= 0 || !existsSync(entry)) {
    for (const batch of work) {
      for (const job of batch) await writeFrame(job, settings);
      progress(batch.length);
    }
  } else if (work.length > 0) {
    const processes = Math.min(workerCount, work.length);
    ({ skipped } = await renderInProcesses({ entry, processes, batches: work, settings, progress, log, crashAt: options.crashAt }));
  }
  const lost = new Set(skipped.flatMap((b) => work[b].map((j) => j.file)));
  const rows = lost.size === 0 ? plan.rows : plan.rows.filter((r) => !r.frames.some((f) => lost.has(path.join(options.out, f))));
  const droppedSequences = plan.rows.length - rows.length;
  if (skipped.length > 0) {
    log(`synth: skipped ${lost.size} frames of ${skipped.length} session(s) whose render process crashed twice; dropped the ${droppedSequences} sequences that need them`);
  }
  await writeManifest(options.out, rows, ['student_id', 'session_id', 'source', 'prohibited_screen_share']);
  const seconds = (performance.now() - started) / 1000;
  const frames = total - lost.size;
  return {
    sequences: rows.length,
    positives: rows.filter((r) => r.label === 1).length,
    frames,
    sessions: plan.batches.length - skipped.length,
    seconds,
    framesPerSecond: frames / seconds,
    skippedFrames: lost.size,
    droppedSequences,
    reusedFrames,
  };
}
