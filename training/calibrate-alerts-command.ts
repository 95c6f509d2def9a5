import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONFIRM_WINDOWS, MAX_CONFIRM_WINDOWS } from '../assistant/alert-rule.js';
import { SPLITS, type Split } from '../core/dataset/manifest.js';
import { lwError } from '../core/errors.js';
import { defaultModelDir } from '../core/paths.js';
import type { AlertCalibration, ScreenModelMetadata } from '../models/model-io.js';
import { calibrateAlertThreshold, MAX_F2_TOLERANCE, MIN_CHAIN_WINDOWS, scoredChains, type AlertReplay } from './alert-replay.js';
import { allSequences, loadDataset, subset } from './data.js';
import { scoreSet } from './evaluate.js';

/**
 * `labwatch model calibrate-alerts`: choose a model's alert threshold by
 * replaying the assistant's alert rule over sessions of consecutive windows
 * (training picks it on single windows, which cannot see blips), and with
 * --write store it in the model's metadata.json.
 */

export interface CalibrateAlertsOptions {
  model?: string;
  dataset?: string;
  split?: string;
  confirmWindows?: string;
  f2Tolerance?: string;
  write?: boolean;
  json?: boolean;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

export function validateCalibrateOptions(raw: CalibrateAlertsOptions): { modelDir: string; datasetDir: string; split: Split; confirm: number; tolerance: number; write: boolean; json: boolean } {
  const problems: string[] = [];
  const modelDir = path.resolve(raw.model ?? defaultModelDir());
  if (!isDir(modelDir)) problems.push(`--model ${modelDir}: no such folder`);
  const datasetDir = raw.dataset ? path.resolve(raw.dataset) : '';
  if (!raw.dataset) problems.push('--dataset is required (sessions of consecutive windows, e.g. `dataset synth` with its default --windows-per-session)');
  else if (!isDir(datasetDir)) problems.push(`--dataset ${datasetDir}: no such folder`);
  const split = (raw.split ?? 'validation') as Split;
  if (!(SPLITS as readonly string[]).includes(split)) problems.push(`--split ${raw.split}: expected one of ${SPLITS.join(', ')}`);
  const confirm = Number(raw.confirmWindows ?? DEFAULT_CONFIRM_WINDOWS);
  if (!Number.isInteger(confirm) || confirm < 1 || confirm > MAX_CONFIRM_WINDOWS) problems.push(`--confirm-windows ${raw.confirmWindows}: expected an integer from 1 to ${MAX_CONFIRM_WINDOWS}`);
  const tolerance = Number(raw.f2Tolerance ?? 0);
  if (!(tolerance >= 0 && tolerance <= MAX_F2_TOLERANCE)) problems.push(`--f2-tolerance ${raw.f2Tolerance}: expected a number from 0 to ${MAX_F2_TOLERANCE}`);
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.map((p) => `  ${p}`).join('\n') });
  return { modelDir, datasetDir, split, confirm, tolerance, write: raw.write ?? false, json: raw.json ?? false };
}

function row(r: AlertReplay, mark: string): string {
  return `  ${r.threshold.toFixed(2)}${mark.padEnd(2)} ${String(r.falseAlerts).padStart(5)} ${r.falseAlertsPerHour.toFixed(1).padStart(7)} ${`${r.episodesAlerted}/${r.episodes}`.padStart(9)} ${r.alertF2.toFixed(3).padStart(7)}`;
}

export async function runCalibrateAlerts(raw: CalibrateAlertsOptions): Promise<void> {
  const o = validateCalibrateOptions(raw);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const data = await loadDataset(o.datasetDir, { onProgress: (d, t) => log(`decoded ${d}/${t} frames`) });
  const set = subset(allSequences(data), (i) => data.splitColumn[i] === o.split);
  const { IncrementalClassifier } = await import('../models/incremental-classifier.js');
  const clf = await IncrementalClassifier.load(o.modelDir);
  const scores = await scoreSet(clf, set, 256, log);
  const labels = Uint8Array.from(set.index, (i) => data.labels[i]);
  const chains = scoredChains(data.seqFrames, set.index, scores, labels);
  const { pick, best, sweep } = calibrateAlertThreshold(chains, o.confirm, undefined, o.tolerance);
  if (pick.episodes === 0 || pick.permittedWindows === 0) {
    throw lwError('LABWATCH_ERR_EVAL_EMPTY_SET', {
      dir: o.datasetDir,
      reason: `split "${o.split}" has no run of ${MIN_CHAIN_WINDOWS}+ consecutive windows with both permitted work and a prohibited visit (${pick.chains} runs, ${pick.shortChains} shorter ones)`,
    });
  }
  const calibration: AlertCalibration = {
    ...(o.tolerance > 0
      ? { method: 'alert-replay-f2-tie-fewer-alerts' as const, f2Tolerance: o.tolerance, bestF2Threshold: best.threshold, bestAlertF2: Number(best.alertF2.toFixed(4)) }
      : { method: 'alert-replay-f2' as const }),
    dataset: raw.dataset ?? o.datasetDir,
    datasetHash: data.hash,
    split: o.split,
    confirmWindows: o.confirm,
    previousThreshold: clf.alertThreshold,
    chains: pick.chains,
    permittedHours: Number((pick.permittedWindows / 3600).toFixed(3)),
    falseAlerts: pick.falseAlerts,
    falseAlertsPerHour: Number(pick.falseAlertsPerHour.toFixed(2)),
    episodes: pick.episodes,
    episodesAlerted: pick.episodesAlerted,
    alertF2: Number(pick.alertF2.toFixed(4)),
    calibratedAt: new Date().toISOString(),
  };
  if (o.write) {
    const command = `labwatch model calibrate-alerts --model ${raw.model ?? 'models/screen'} --dataset ${raw.dataset} --split ${o.split} --confirm-windows ${o.confirm}${o.tolerance > 0 ? ` --f2-tolerance ${o.tolerance}` : ''} --write`;
    await writeCalibration(o.modelDir, pick.threshold, calibration, command);
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ threshold: pick.threshold, written: o.write, calibration, sweep })}\n`);
    return;
  }
  const lines = [
    `Alert rule (${o.confirm} suspicious windows in a row) replayed over ${pick.chains} runs of consecutive windows of ${o.datasetDir} (${o.split}), ${calibration.permittedHours} hours of permitted work, ${pick.episodes} prohibited visits:`,
    '  thresh  false alerts  per hour  visits alerted  alert F2',
    ...sweep.filter((r) => Math.round(r.threshold * 100) % 5 === 0 || r === pick).map((r) => row(r, r === pick ? ' <' : '')),
    o.tolerance > 0
      ? `Chosen: ${pick.threshold.toFixed(2)}, the highest threshold within ${o.tolerance} of the best alert-level F2 (${best.alertF2.toFixed(3)} at ${best.threshold.toFixed(2)}); the model's alert threshold was ${clf.alertThreshold.toFixed(4)}.`
      : `Chosen: ${pick.threshold.toFixed(2)} (best alert-level F2; the model's alert threshold was ${clf.alertThreshold.toFixed(4)}).`,
    o.write ? `Written to ${path.join(o.modelDir, 'metadata.json')} (alert.threshold, alert.calibration).` : 'Not written: add --write to store it in the model folder.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `reproduce` with the calibration step appended. A recalibration replaces the
 * chain's last step when that is a calibration, and only then: a fine-tune's
 * chain carries its base model's calibration in the middle
 * (`train A && calibrate A && train --init A B`), which must stay.
 */
export function withCalibrateStep(reproduce: string, command: string): string {
  const steps = reproduce.split(' && ');
  if (steps.length > 1 && steps[steps.length - 1]!.startsWith('labwatch model calibrate-alerts ')) steps.pop();
  return [...steps, command].join(' && ');
}

async function writeCalibration(dir: string, threshold: number, calibration: AlertCalibration, command: string): Promise<void> {
  const file = path.join(dir, 'metadata.json');
  const metadata = JSON.parse(await readFile(file, 'utf8')) as ScreenModelMetadata;
  // the threshold training chose stays the reference across recalibrations
  if (metadata.alert?.calibration) calibration.previousThreshold = metadata.alert.calibration.previousThreshold;
  metadata.reproduce = withCalibrateStep(metadata.reproduce, command);
  if (!metadata.alert) {
    metadata.alert = { threshold, minPrecision: 0, validation: { precision: 0, recall: 0, f2: 0 }, floorReached: false, calibration };
  } else {
    metadata.alert = { ...metadata.alert, threshold, calibration };
  }
  await writeFile(file, `${JSON.stringify(metadata, null, 2)}\n`);
  const readme = path.join(dir, 'README.md');
  if (!existsSync(readme)) return;
  const note =
    `\n## Alert threshold, recalibrated\n\n\`labwatch model calibrate-alerts\` set the alert threshold to ${threshold.toFixed(2)} (training chose ${calibration.previousThreshold.toFixed(4)}): ` +
    `${calibration.f2Tolerance ? `the highest threshold within ${calibration.f2Tolerance} of ` : ''}the best alert-level F2 when the alert rule (${calibration.confirmWindows} windows) is replayed over ${calibration.chains} runs of consecutive windows of ${path.basename(calibration.dataset)} (${calibration.split}): ` +
    `${calibration.falseAlerts} false alerts in ${calibration.permittedHours} hours of permitted work, ${calibration.episodesAlerted} of ${calibration.episodes} visits alerted.\n`;
  const text = (await readFile(readme, 'utf8'))
    .replace(/\n## Alert threshold, recalibrated\n[\s\S]*?(?=\n## |$)/, '')
    .replace(/^- alert threshold: .*$/m, `- alert threshold: ${threshold.toFixed(2)} (what the assistant alerts at; recalibrated on replayed sessions, see the end of this file; override with \`labwatch serve --alert-threshold\`)`);
  await writeFile(readme, `${text.trimEnd()}\n${note}`);
}
