import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lwError } from '../core/errors.js';
import { defaultModelDir } from '../core/paths.js';
import { quantileSorted } from './metrics.js';
import { inferenceCheck, INFERENCE_TARGET_NAME, targetRow, type TargetCheck } from './targets.js';

/**
 * `labwatch model measure-speed`: the inference figure of a model folder as
 * the median of several runs of the incremental benchmark, and with --write
 * the inference target in its metadata.json and README.md. Training measures
 * speed once, at the end of the run, often while another job shares the
 * machine; one such reading is what a shipped model would otherwise carry.
 */

export interface MeasureSpeedOptions {
  model?: string;
  runs?: string;
  write?: boolean;
  json?: boolean;
}

/** Batch sizes of the inference target (the assistant's batches are 16-64 frames at 150 students). */
export const SPEED_BATCHES = [16, 64] as const;
export const DEFAULT_SPEED_RUNS = 5;
export const MAX_SPEED_RUNS = 20;

export interface SpeedSummary {
  /** Per batch size: each run's new frames per CPU second and their median. */
  perBatch: { batch: number; runs: number[]; median: number }[];
  /** The better batch size's median: what the inference target is checked against. */
  framesPerCpuSecond: number;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

export function validateMeasureSpeedOptions(raw: MeasureSpeedOptions): { modelDir: string; runs: number; write: boolean; json: boolean } {
  const problems: string[] = [];
  const modelDir = path.resolve(raw.model ?? defaultModelDir());
  if (!isDir(modelDir)) problems.push(`--model ${modelDir}: no such folder`);
  else if (!existsSync(path.join(modelDir, 'metadata.json'))) problems.push(`--model ${modelDir}: no metadata.json (not a model folder)`);
  const runs = Number(raw.runs ?? DEFAULT_SPEED_RUNS);
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_SPEED_RUNS) problems.push(`--runs ${raw.runs}: expected an integer from 1 to ${MAX_SPEED_RUNS}`);
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.map((p) => `  ${p}`).join('\n') });
  return { modelDir, runs, write: raw.write ?? false, json: raw.json ?? false };
}

/** `runs[k]` holds run k's rows; the summary takes medians per batch size, then the better batch. */
export function summariseSpeedRuns(runs: { batch: number; framesPerCpuSecond: number }[][]): SpeedSummary {
  const batches = [...new Set(runs.flat().map((r) => r.batch))].sort((a, b) => a - b);
  const perBatch = batches.map((batch) => {
    const values = runs.map((rows) => rows.find((r) => r.batch === batch)?.framesPerCpuSecond).filter((v): v is number => v !== undefined);
    return { batch, runs: values, median: Math.round(quantileSorted([...values].sort((a, b) => a - b), 0.5)) };
  });
  return { perBatch, framesPerCpuSecond: Math.max(...perBatch.map((b) => b.median)) };
}

/**
 * `runs` runs of the incremental benchmark at the target's batch sizes, as the
 * assistant runs the model. `labwatch train` takes one at the end of a run.
 */
export async function benchRuns(modelDir: string, runs: number, log: (line: string) => void = () => {}) {
  const { runClassifierBench } = await import('../bench/classifier-bench.js');
  const reports = [];
  for (let k = 0; k < runs; k++) {
    const report = await runClassifierBench({ modelDir, methods: ['incremental'], batchSizes: [...SPEED_BATCHES], warmupMs: 500, repMs: 400, reps: 5 });
    if (report.model.source !== 'shipped') throw lwError('LABWATCH_ERR_MODEL_NOT_FOUND', { dir: modelDir });
    log(`run ${k + 1}/${runs}: ${report.rows.map((r) => `batch ${r.batch} ${r.framesPerCpuSecond}`).join(', ')} new frames per CPU second (load ${report.machine.loadAverage1m})`);
    reports.push(report);
  }
  return reports;
}

export async function runMeasureSpeed(raw: MeasureSpeedOptions): Promise<void> {
  const o = validateMeasureSpeedOptions(raw);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const reports = await benchRuns(o.modelDir, o.runs, log);
  const summary = summariseSpeedRuns(reports.map((r) => r.rows));
  const measuredAt = new Date().toISOString();
  const how = `median of ${o.runs} run${o.runs === 1 ? '' : 's'}, \`labwatch model measure-speed\`, ${measuredAt.slice(0, 10)}`;
  const check = inferenceCheck(summary.framesPerCpuSecond, how);
  if (o.write) await writeSpeed(o.modelDir, check, { ...summary, backend: reports[0]!.backend, measuredAt, loadAverage1m: reports.map((r) => r.machine.loadAverage1m) });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, backend: reports[0]!.backend, target: check, written: o.write })}\n`);
    return;
  }
  const lines = [
    `${path.basename(o.modelDir)} on ${reports[0]!.backend}, incremental scheme, ${o.runs} runs:`,
    ...summary.perBatch.map((b) => `  batch ${String(b.batch).padStart(3)}: median ${b.median} new frames per CPU second (runs: ${b.runs.join(', ')})`),
    `target ${check.name}: ${check.measured}: ${check.met ? 'met' : 'missed'} (${check.target})`,
    o.write ? `Written to ${path.join(o.modelDir, 'metadata.json')} (targets, speed).` : 'Not written: add --write to store it in the model folder.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function writeSpeed(dir: string, check: TargetCheck, speed: Record<string, unknown>): Promise<void> {
  const file = path.join(dir, 'metadata.json');
  const metadata = JSON.parse(await readFile(file, 'utf8')) as { targets?: TargetCheck[]; speed?: unknown };
  const others = (metadata.targets ?? []).filter((t) => t.name !== INFERENCE_TARGET_NAME);
  const at = (metadata.targets ?? []).findIndex((t) => t.name === INFERENCE_TARGET_NAME);
  others.splice(at < 0 ? others.length : at, 0, check);
  metadata.targets = others;
  metadata.speed = speed;
  await writeFile(file, `${JSON.stringify(metadata, null, 2)}\n`);
  const readme = path.join(dir, 'README.md');
  if (!existsSync(readme)) return;
  const text = await readFile(readme, 'utf8');
  const row = new RegExp(`^\\| ${INFERENCE_TARGET_NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|.*$`, 'm');
  if (row.test(text)) await writeFile(readme, text.replace(row, targetRow(check)));
}
