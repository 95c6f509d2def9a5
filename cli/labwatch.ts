#!/usr/bin/env node
import { isLabwatchError } from '../core/errors.js';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (isLabwatchError(err)) {
    process.stderr.write(`${err.code}: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
