#!/usr/bin/env node
import { parseArgs } from 'node:util';
import path from 'node:path';
import { defaultModelDir } from '../core/paths.js';
import { formatTrainStepReport, runTrainStepBench } from './train-step.js';

const HELP = `Usage: npm run bench:train -- [options]

Milliseconds per training step (forward, gradients, optimiser update; one batch).

Options:
  --config <file>  training config JSON or a model's metadata.json (default: the shipped model's)
  --steps <n>      steps per repetition (default 10)
  --reps <n>       repetitions; the median is reported (default 5)
  --threads <n>    1, or 2 to split every batch with a worker thread as \`labwatch train --threads 2\` (default 1)
  --json           one JSON object instead of the text
  -h, --help       show this help
`;

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    steps: { type: 'string', default: '10' },
    reps: { type: 'string', default: '5' },
    threads: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
} else {
  const steps = Number(values.steps);
  const reps = Number(values.reps);
  const threads = Number(values.threads);
  const problems = [
    ...(Number.isInteger(steps) && steps >= 1 ? [] : [`  --steps ${values.steps}: need an integer >= 1`]),
    ...(Number.isInteger(reps) && reps >= 1 ? [] : [`  --reps ${values.reps}: need an integer >= 1`]),
    ...(threads === 1 || threads === 2 ? [] : [`  --threads ${values.threads}: need 1 or 2`]),
  ];
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n\n${HELP}`);
    process.exit(2);
  }
  const config = values.config ?? path.join(defaultModelDir(), 'metadata.json');
  const report = await runTrainStepBench({ config, steps, reps, threads, log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatTrainStepReport(report)}\n`);
}
