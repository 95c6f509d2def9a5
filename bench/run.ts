#!/usr/bin/env node
import { isLabwatchError } from '../core/errors.js';
import { BENCH_HELP, parseBenchArgs } from './bench-args.js';
import { formatReport, runClassifierBench } from './classifier-bench.js';

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(BENCH_HELP);
    return;
  }
  const report = await runClassifierBench({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
}

try {
  await main();
} catch (err) {
  if (isLabwatchError(err)) {
    process.stderr.write(`${err.code}: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${err.message}\n\n${BENCH_HELP}`);
    process.exit(2);
  }
  throw err;
}
