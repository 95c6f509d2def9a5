/**
 * The screen classifier's project targets, checked against what a training run
 * measured, so metadata.json and the model README say plainly which are met.
 * Thresholds are the issue's: recall matters more than precision, but a model
 * that flags everything must not pass, hence the precision floors.
 */
import type { MetricName } from './metrics.js';

type Scores = Partial<Record<MetricName, number>>;

export interface TargetInput {
  /** Metrics of the synthetic test split (the main dataset's test sessions). */
  syntheticTest?: Scores;
  /** Metrics of the real-screen holdout, when one was evaluated. */
  realHoldout?: Scores;
  /** Median new frames per CPU second, incremental scheme, best of batch 16 and 64. */
  inferenceFramesPerCpuSecond?: number;
  trainingMinutes: number;
  /**
   * Training minutes of the model a fine-tuning run started from (`labwatch
   * train --init`), including the runs that model itself started from; they count too.
   */
  initMinutes?: number;
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  /** null when the run did not measure it (e.g. no holdout given). */
  met: boolean | null;
}

export const TARGETS = {
  synthetic: { f2: 0.96, recall: 0.97, precision: 0.9 },
  realHoldout: { f2: 0.9, precision: 0.85 },
  inferenceFramesPerCpuSecond: 5000,
  trainingMinutes: 120,
} as const;

const f3 = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(3));

export function assessTargets(input: TargetInput): TargetCheck[] {
  const s = input.syntheticTest;
  const r = input.realHoldout;
  const t = TARGETS;
  const fps = input.inferenceFramesPerCpuSecond;
  return [
    {
      name: 'synthetic test split',
      target: `F2 >= ${t.synthetic.f2}, recall >= ${t.synthetic.recall}, precision >= ${t.synthetic.precision}`,
      measured: `F2 ${f3(s?.f2)}, recall ${f3(s?.recall)}, precision ${f3(s?.precision)}`,
      met: s ? (s.f2 ?? 0) >= t.synthetic.f2 && (s.recall ?? 0) >= t.synthetic.recall && (s.precision ?? 0) >= t.synthetic.precision : null,
    },
    {
      name: 'real-screen holdout',
      target: `F2 >= ${t.realHoldout.f2}, precision >= ${t.realHoldout.precision}`,
      measured: r ? `F2 ${f3(r.f2)}, precision ${f3(r.precision)}, recall ${f3(r.recall)}` : 'not evaluated (pass --holdout)',
      met: r ? (r.f2 ?? 0) >= t.realHoldout.f2 && (r.precision ?? 0) >= t.realHoldout.precision : null,
    },
    inferenceCheck(fps),
    {
      name: 'training time',
      target: `one background run < ${t.trainingMinutes} min on 2 cores`,
      measured:
        input.initMinutes === undefined
          ? `${input.trainingMinutes.toFixed(1)} min`
          : `${(input.initMinutes + input.trainingMinutes).toFixed(1)} min in all (${input.initMinutes.toFixed(1)} min for the starting model + ${input.trainingMinutes.toFixed(1)} min fine-tuning)`,
      met: input.trainingMinutes + (input.initMinutes ?? 0) < t.trainingMinutes,
    },
  ];
}

export const INFERENCE_TARGET_NAME = 'inference, one core';

/** The inference target; `how` says how the figure was measured (e.g. "median of 5 runs"). */
export function inferenceCheck(fps: number | undefined, how?: string): TargetCheck {
  const t = TARGETS.inferenceFramesPerCpuSecond;
  return {
    name: INFERENCE_TARGET_NAME,
    target: `>= ${t} new frames per CPU second (incremental, batch 16-64)`,
    measured: fps === undefined ? 'not measured' : `${Math.round(fps)} new frames per CPU second${how ? ` (${how})` : ''}`,
    met: fps === undefined ? null : fps >= t,
  };
}

/** One row of the model README's targets table. */
export function targetRow(c: TargetCheck): string {
  const mark = c.met === null ? 'not measured' : c.met ? '**met**' : '**missed**';
  return `| ${c.name} | ${c.target} | ${c.measured} | ${mark} |`;
}

/** Markdown section for the model README. */
export function targetsMarkdown(checks: TargetCheck[]): string[] {
  return ['## Targets', '', '| target | required | measured | |', '|---|---|---|---|', ...checks.map(targetRow), ''];
}
