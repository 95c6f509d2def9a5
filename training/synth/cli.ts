import os from 'node:os';
import type { Command } from 'commander';
import { lwError } from '../../core/errors.js';
import { COUNTERFACTUAL_MODES, type CounterfactualMode } from './labels.js';
import { TEXT_MODES, type TextMode } from './render/render-scene.js';
import { PROHIBITED_FOCUSES, PROHIBITED_LAYOUTS, TILED_COMPANIONS, type ProhibitedFocus, type ProhibitedLayout, type TiledCompanion } from './session-simulator.js';

/** `labwatch dataset synth`: write a synthetic dataset (format v1). */
export interface SynthCliOptions {
  out: string;
  sequences: number;
  seed: string;
  fullSize: boolean;
  text: TextMode;
  workers: number;
  prohibitedShare: number;
  windowsPerSession: number;
  tiledCompanion?: TiledCompanion;
  prohibitedFocus?: ProhibitedFocus;
  prohibitedLayout?: ProhibitedLayout;
  perMonitor: boolean;
  twoMonitors: boolean;
  counterfactual?: CounterfactualMode;
  resume: boolean;
}

/** Validate raw option strings once, listing every problem. */
export function parseSynthOptions(raw: Record<string, unknown>): SynthCliOptions {
  const problems: string[] = [];
  const int = (name: string, flag: string, min: number, max: number, fallback?: number): number => {
    const v = raw[name];
    if (v === undefined && fallback !== undefined) return fallback;
    const text = String(v ?? '').trim();
    const n = Number(text);
    if (text === '' || !Number.isInteger(n) || n < min || n > max) {
      problems.push(`  ${flag}: "${v ?? ''}" is not a whole number from ${min} to ${max}`);
      return fallback ?? min;
    }
    return n;
  };
  const out = typeof raw.out === 'string' ? raw.out.trim() : '';
  if (out === '') problems.push('  --out: give the folder to write the dataset to');
  const sequences = int('sequences', '--sequences', 1, 10_000_000);
  const workers = int('workers', '--workers', 0, 256, os.availableParallelism());
  const windowsPerSession = int('windowsPerSession', '--windows-per-session', 1, 16, 16);
  const seed = String(raw.seed ?? '1').trim();
  if (seed === '' || !/^[\w.-]+$/.test(seed)) problems.push(`  --seed: "${seed}" must be letters, digits, '.', '-' or '_'`);
  const shareText = raw.prohibitedShare === undefined ? '0.45' : String(raw.prohibitedShare);
  const prohibitedShare = Number(shareText);
  if (!Number.isFinite(prohibitedShare) || prohibitedShare < 0 || prohibitedShare > 1) problems.push(`  --prohibited-share: "${shareText}" must be a number from 0 to 1`);
  const text = String(raw.text ?? 'blocks').trim() as TextMode;
  if (!TEXT_MODES.includes(text)) problems.push(`  --text: "${text}" must be ${TEXT_MODES.join(' or ')}`);
  const tiledCompanion = raw.tiledCompanion === undefined ? undefined : (String(raw.tiledCompanion).trim() as TiledCompanion);
  if (tiledCompanion !== undefined && !TILED_COMPANIONS.includes(tiledCompanion)) problems.push(`  --tiled-companion: "${tiledCompanion}" must be ${TILED_COMPANIONS.join(', ')}`);
  const prohibitedFocus = raw.prohibitedFocus === undefined ? undefined : (String(raw.prohibitedFocus).trim() as ProhibitedFocus);
  if (prohibitedFocus !== undefined && !PROHIBITED_FOCUSES.includes(prohibitedFocus)) problems.push(`  --prohibited-focus: "${prohibitedFocus}" must be ${PROHIBITED_FOCUSES.join(', ')}`);
  const prohibitedLayout = raw.prohibitedLayout === undefined ? undefined : (String(raw.prohibitedLayout).trim() as ProhibitedLayout);
  if (prohibitedLayout !== undefined && !PROHIBITED_LAYOUTS.includes(prohibitedLayout)) problems.push(`  --prohibited-layout: "${prohibitedLayout}" must be ${PROHIBITED_LAYOUTS.join(', ')}`);
  // a bare --counterfactual is the first mode, `close`
  const counterfactual = raw.counterfactual === undefined ? undefined : raw.counterfactual === true ? 'close' : (String(raw.counterfactual).trim() as CounterfactualMode);
  if (counterfactual !== undefined && !COUNTERFACTUAL_MODES.includes(counterfactual)) problems.push(`  --counterfactual: "${counterfactual}" must be ${COUNTERFACTUAL_MODES.join(' or ')}`);
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.join('\n') });
  return { out, sequences, seed, fullSize: raw.fullSize === true, text, workers, prohibitedShare, windowsPerSession, tiledCompanion, prohibitedFocus, prohibitedLayout, perMonitor: raw.perMonitor === true, twoMonitors: raw.twoMonitors === true, counterfactual, resume: raw.resume === true };
}

export function registerSynthCommands(program: Command): void {
  const dataset = program.commands.find((c) => c.name() === 'dataset') ?? program.command('dataset').description('Create, check and split labelled screenshot-sequence datasets');
  dataset
    .command('synth')
    .description('Generate a synthetic dataset of labelled 3-frame sequences of simulated exam desktops (format v1)')
    .requiredOption('--out <dir>', 'folder to write manifest.csv and frames/ to')
    .requiredOption('--sequences <n>', 'number of 3-frame sequences')
    .option('--seed <s>', 'seed: the same seed gives the same dataset, pixel for pixel', '1')
    .option('--full-size', 'keep full-resolution PNG frames (default: 50x50 frames, the model input)')
    .option('--text <mode>', 'text as "blocks" (one block per word with the glyphs\' width and ink: 2-3x faster, the same 50x50 frames to ~0.3 grey levels on average) or "glyphs" (readable at full size, the datasets made before 2026-12-05)', 'blocks')
    .option('--workers <k>', 'render processes (default: number of cores; 0 = render in this process)')
    .option('--prohibited-share <p>', 'how eagerly simulated students leave the exam tools, 0..1 (0.45 gives ~35% prohibited frames, ~48% prohibited sequences)', '0.45')
    .option('--windows-per-session <n>', 'at most this many 3-frame windows per simulated session, 1..16 (fewer: more distinct desktops per frame rendered)', '16')
    .option('--tiled-companion <app>', `every session starts with this permitted app tiled beside the main work window: ${TILED_COMPANIONS.join(', ')} (default: the usual mix; for sets aimed at one hard case)`)
    .option('--prohibited-focus <app>', `every prohibited window is this app, as a desktop app or its web version: ${PROHIBITED_FOCUSES.join(', ')} (default: the usual mix; to balance a set aimed at a permitted hard case)`)
    .option('--prohibited-layout <layout>', `"small": every prohibited app opens in a pop-up or tiled beside the work, on any monitor, never maximised (default: the usual mix; for sets aimed at small chat windows)`)
    .option('--per-monitor', 'a desktop of several monitors gives one sequence per monitor, each cropped and shrunk on its own and labelled by what shows on it (for a model that classifies monitors separately)')
    .option('--counterfactual [mode]', 'every prohibited sequence gets a permitted twin in the same session: the same frames rendered again with the prohibited windows closed ("close", the default) or replaced by permitted apps in the same place and size ("swap": the same number of windows); teaches the window, not the clutter around it')
    .option('--two-monitors', 'every simulated desktop has two monitors side by side (default: about 10% do); with --per-monitor, two sequences per window')
    .option('--resume', 'keep the frames an interrupted run with the same options left in --out and render only the missing ones (the result is the same)')
    .action(async (raw: Record<string, unknown>) => {
      const options = parseSynthOptions(raw);
      const { generateSynthDataset } = await import('./generate.js');
      let lastLog = 0;
      const report = await generateSynthDataset({
        ...options,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - lastLog > 5000 || done === total) {
            lastLog = now;
            process.stderr.write(`synth: ${done}/${total} frames\n`);
          }
        },
      });
      process.stdout.write(
        `Wrote ${report.sequences} sequences (${report.positives} prohibited) from ${report.sessions} sessions to ${options.out}\n` +
          `${report.frames} frames in ${report.seconds.toFixed(1)} s: ${report.framesPerSecond.toFixed(1)} frames/s with ${options.workers} worker(s)\n` +
          (report.reusedFrames > 0 ? `Kept ${report.reusedFrames} frames already rendered (--resume)\n` : '') +
          (report.skippedFrames > 0 ? `Skipped ${report.skippedFrames} frames (render process crashed twice) and dropped ${report.droppedSequences} sequences\n` : ''),
      );
    });
}
