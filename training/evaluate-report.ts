import { MIN_CHAIN_WINDOWS } from './alert-replay.js';
import { BASELINE_NAMES } from './baselines.js';
import { BREAKDOWN_TEXT_ROWS, type BreakdownRow } from './error-breakdown.js';
import type { AlertsReport, EvaluationReport, ScoredMetrics } from './evaluate.js';
import { METRIC_NAMES } from './metrics.js';

/** The human-readable form of an evaluation report (the JSON form is the report itself). */

const HEADERS: Record<(typeof METRIC_NAMES)[number], string> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'F1',
  f2: 'F2',
};

const BASELINE_LABELS = {
  majority: 'majority class',
  always_prohibited: 'always prohibited',
  frame_difference: 'frame difference',
} as const;

function cell(m: ScoredMetrics, key: (typeof METRIC_NAMES)[number]): string {
  const [lo, hi] = m.ci95[key];
  return `${m[key].toFixed(3)} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ').trimEnd());
}

export function formatReport(r: EvaluationReport): string {
  const d = r.dataset;
  const lines: string[] = [];
  lines.push(`Model    ${r.model.dir}`);
  lines.push(`Dataset  ${d.dir}  (split: ${d.split})`);
  lines.push(`n = ${d.n} sequences, ${d.prohibited} prohibited (${(d.prevalence * 100).toFixed(1)}%); model threshold ${Number(r.threshold.toPrecision(4))} (from metadata.json)`);
  lines.push('');
  lines.push(`Metrics with 95% bootstrap intervals (${r.resamples} resamples of the ${r.dataset.sessions} sessions, percentile method):`);
  const rows = [['', ...METRIC_NAMES.map((k) => HEADERS[k])], ['model', ...METRIC_NAMES.map((k) => cell(r, k))]];
  for (const name of BASELINE_NAMES) {
    const b = r.baseline[name];
    rows.push([`${BASELINE_LABELS[name]}${b.optimistic ? ' *' : ''}`, ...METRIC_NAMES.map((k) => cell(b, k))]);
  }
  lines.push(...table(rows).map((l) => `  ${l}`));
  lines.push('');
  lines.push('Baselines:');
  for (const name of BASELINE_NAMES) lines.push(`  ${BASELINE_LABELS[name]}: ${r.baseline[name].description}`);
  if (BASELINE_NAMES.some((n) => r.baseline[n].optimistic)) {
    lines.push('  * tuned on the evaluated set itself (no train/validation rows to tune on): its figures are optimistic.');
  }
  lines.push('');
  const c = r.confusion;
  lines.push('Confusion matrix of the model:');
  lines.push(
    ...table([
      ['', 'predicted permitted', 'predicted prohibited'],
      ['actually permitted', `${c.tn} correct`, `${c.fp} false alarms`],
      ['actually prohibited', `${c.fn} missed`, `${c.tp} caught`],
    ]).map((l) => `  ${l}`),
  );
  lines.push('');
  lines.push(`Average precision ${r.average_precision.toFixed(3)}. Best F2 threshold on this very set: ${r.best_threshold_here.threshold.toPrecision(3)} (F2 ${r.best_threshold_here.f2.toFixed(3)}; a ceiling, not an estimate).`);
  const always = r.baseline.always_prohibited;
  if (d.prohibited > 0) {
    lines.push(`F2 alone flatters: alarming on everything already scores F2 ${always.f2.toFixed(3)} here. Look at precision and accuracy against the baselines too.`);
  }
  for (const note of r.notes) lines.push(`Note: ${note}`);
  const at = `at threshold ${Number(r.threshold.toPrecision(4))}`;
  if (r.by_source) lines.push('', ...formatBreakdown(r.by_source, `Errors by scene ${at}, worst first:`, 'scene (source column)', 'by_source'));
  if (r.by_share) lines.push('', ...formatBreakdown(r.by_share, `Errors by screen share of the prohibited window ${at}:`, 'prohibited window shows', 'by_share'));
  if (r.alerts) lines.push('', ...formatAlerts(r.alerts));
  return `${lines.join('\n')}\n`;
}

function formatAlerts(a: AlertsReport): string[] {
  const rows = [['alert threshold', 'false alerts', 'per permitted hour', 'students interrupted', 'episodes alerted']];
  for (const s of a.sweep) {
    rows.push([
      `${s.threshold.toFixed(3)}${s.threshold === a.threshold ? ' (model)' : ''}`,
      String(s.falseAlerts),
      s.falseAlertsPerHour.toFixed(1),
      `${s.chainsWithFalseAlerts}/${s.chains}`,
      `${s.episodesAlerted}/${s.episodes}`,
    ]);
  }
  return [
    `The assistant's alert rule replayed (${a.confirm} suspicious windows in a row after a permitted one) over ${a.chains} runs of consecutive windows (${a.shortChains} shorter than ${MIN_CHAIN_WINDOWS} windows left out), ${(a.permittedWindows / 3600).toFixed(2)} hours of permitted work:`,
    ...table(rows).map((l) => `  ${l}`),
  ];
}

function formatBreakdown(groups: BreakdownRow[], title: string, heading: string, field: string): string[] {
  const shown = groups.slice(0, BREAKDOWN_TEXT_ROWS);
  const rows = [[heading, 'sequences', 'prohibited', 'false alarms', 'misses', 'wrong']];
  for (const g of shown) {
    const wrong = g.false_alarms + g.misses;
    rows.push([g.group, String(g.n), String(g.prohibited), String(g.false_alarms), String(g.misses), `${((wrong / g.n) * 100).toFixed(0)}%`]);
  }
  const more = groups.length - shown.length;
  return [
    title,
    ...table(rows).map((l) => `  ${l}`),
    ...(more > 0 ? [`  ... ${more} more group(s) in --json (${field})`] : []),
  ];
}
