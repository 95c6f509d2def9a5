import { parseArgs } from 'node:util';
import { lwError } from '../core/errors.js';
import { METHODS, type BenchOptions, type Method } from './classifier-bench.js';

export const BENCH_HELP = `Usage: npm run bench -- [options]   (or node dist/bench/run.js [options])

Measures how many new screen frames per second the classifier handles on this
machine, by batch size, for full-window and incremental inference.

Options:
  --json              print one JSON object instead of the table
  --model <dir>       model folder (default: models/screen; random DEFAULT_ARGS weights if absent)
  --batches <list>    batch sizes, comma-separated (default 1,16,64,256)
  --methods <list>    ${METHODS.join(',')} (default: all)
  --warmup-ms <n>     warm-up per measurement, >= 500 (default 500)
  --rep-ms <n>        length of each repetition (default 400)
  --reps <n>          repetitions; the median is reported (default 5)
  -h, --help          show this help
`;

export function parseBenchArgs(argv: string[]): BenchOptions & { json: boolean; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      model: { type: 'string' },
      batches: { type: 'string', default: '1,16,64,256' },
      methods: { type: 'string', default: METHODS.join(',') },
      'warmup-ms': { type: 'string', default: '500' },
      'rep-ms': { type: 'string', default: '400' },
      reps: { type: 'string', default: '5' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const problems: string[] = [];
  const int = (name: string, text: string, min: number, max: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`  --${name} ${text}: need an integer ${min}-${max}`);
    return n;
  };
  const batchSizes = values.batches.split(',').map((b) => int('batches', b.trim(), 1, 4096));
  const methods = values.methods.split(',').map((m) => m.trim()) as Method[];
  for (const m of methods) if (!(METHODS as readonly string[]).includes(m)) problems.push(`  --methods ${m}: need one of ${METHODS.join(', ')}`);
  const warmupMs = int('warmup-ms', values['warmup-ms'], 500, 600_000);
  const repMs = int('rep-ms', values['rep-ms'], 1, 600_000);
  const reps = int('reps', values.reps, 1, 1000);
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.join('\n') });
  return { json: values.json, help: values.help, modelDir: values.model, batchSizes, methods, warmupMs, repMs, reps };
}
