/**
 * The README.md written into every trained model folder: what the model is,
 * how good it is (with intervals and baselines) and the command that rebuilds it.
 */
import type { Metrics, MetricName } from './metrics.js';
import { targetsMarkdown, type TargetCheck } from './targets.js';
type Scored = Pick<Metrics, 'n' | MetricName> & { ci95: Record<string, [number, number]> };

interface ReadmeInput {
  threshold: number;
  alert?: { threshold: number; minPrecision: number; precision: number; recall: number; floorReached: boolean };
  parameters: number;
  architecture: Record<string, unknown>;
  hyper: Record<string, unknown>;
  training: { epochs: number; bestEpoch: number; stopReason: string; minutes: number; split: Record<string, unknown>; datasets: { dir: string; sequences: number }[] };
  sets: { name: string; dataset: string; metrics: Scored; baselines: Record<string, Scored> }[];
  reproduce: string;
  /** The model a fine-tuning run (`--init`) started from. */
  initFrom?: { dir: string; minutes?: number };
  preprocessing: string;
  /** The project targets against this run's figures (training/targets.ts). */
  targets?: TargetCheck[];
}

const pct = (v: number) => v.toFixed(3);
const ci = (m: Scored, k: string) => (m.ci95[k] ? ` [${pct(m.ci95[k][0])}, ${pct(m.ci95[k][1])}]` : '');

export function modelReadme(r: ReadmeInput): string {
  const lines = [
    '# Screen classifier (labwatch)',
    '',
    'CNN+RNN over the last three 50x50 RGB screenshots of a student (one per second):',
    'P(the window shows a prohibited activity). Trained by `labwatch train`; loaded by the',
    "assistant through `IncrementalClassifier` (models/incremental-classifier.ts).",
    '',
    `- preprocessing: ${r.preprocessing}`,
    `- decision threshold: ${r.threshold.toFixed(4)} (maximises F2 on the validation split; all metrics below use it)`,
    ...(r.alert
      ? [`- alert threshold: ${r.alert.threshold.toFixed(4)} (what the assistant alerts at: ${r.alert.floorReached ? `the highest-recall threshold with validation precision >= ${r.alert.minPrecision}` : `precision ${r.alert.minPrecision} out of reach on validation, so the F2 threshold`}; validation precision ${r.alert.precision.toFixed(3)}, recall ${r.alert.recall.toFixed(3)}; override with \`labwatch serve --alert-threshold\`)`]
      : []),
    `- trainable parameters: ${r.parameters}`,
    `- architecture: \`${JSON.stringify(r.architecture)}\``,
    `- training: \`${JSON.stringify(r.hyper)}\``,
    `- ${r.training.epochs} epochs (kept epoch ${r.training.bestEpoch}, best validation F2; stop: ${r.training.stopReason}), ${r.training.minutes.toFixed(1)} min on the shared 2-core machine, wasm backend`,
    ...(r.initFrom ? [`- fine-tuned: started from the weights of \`${r.initFrom.dir}\`${r.initFrom.minutes === undefined ? '' : ` (itself trained ${r.initFrom.minutes} min)`}; the reproduce commands below rebuild both`] : []),
    `- data: ${r.training.datasets.map((d) => `${d.dir} (${d.sequences} sequences)`).join(', ')}; split by session: \`${JSON.stringify(r.training.split)}\``,
    '',
    '## Metrics (95% bootstrap intervals)',
    '',
    '| set | n | accuracy | precision | recall | F1 | F2 |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const s of r.sets) {
    const m = s.metrics;
    lines.push(`| **${s.name}** (${s.dataset}) | ${m.n} | ${pct(m.accuracy)}${ci(m, 'accuracy')} | ${pct(m.precision)}${ci(m, 'precision')} | ${pct(m.recall)}${ci(m, 'recall')} | ${pct(m.f1)} | ${pct(m.f2)}${ci(m, 'f2')} |`);
    for (const [name, b] of Object.entries(s.baselines)) {
      lines.push(`| ${s.name}: baseline ${name.replace(/_/g, ' ')} | ${b.n} | ${pct(b.accuracy)} | ${pct(b.precision)} | ${pct(b.recall)} | ${pct(b.f1)} | ${pct(b.f2)} |`);
    }
  }
  lines.push(
    '',
    'Reference (Ortin et al., CNN+RNN on real exam screens): accuracy 0.952, F2 0.959.',
    '',
    ...(r.targets ? targetsMarkdown(r.targets) : []),
    '## Reproduce',
    '',
    '```sh',
    'npm run build',
    ...r.reproduce.split(' && ').map((c) => `node dist/cli/${c.replace(/^labwatch /, 'labwatch.js ')}`),
    '```',
    '',
    'Files: `model.json` + `weights.bin` (tfjs layers format, Conv3D training form), `metadata.json`',
    '(everything above, per-epoch history, search trials, data hashes), `run-log.jsonl`, `plots/`.',
    '',
  );
  return lines.join('\n');
}
