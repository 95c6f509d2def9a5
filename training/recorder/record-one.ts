#!/usr/bin/env node
/**
 * Entry point for one recording session in its own process (see recordInChildren
 * in record.ts): argv[2] is the JSON RecordOptions; the summary is printed as the
 * last line of stdout.
 */
import { recordDataset, type RecordOptions } from './record.js';

const options = JSON.parse(process.argv[2] ?? '{}') as RecordOptions;
const summary = await recordDataset(options);
process.stdout.write(`${JSON.stringify(summary)}\n`);
