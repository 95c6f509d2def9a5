#!/usr/bin/env node
import { runAgentBench } from './agent.js';

/** `npm run bench:agent [-- SECONDS]`: the agent's CPU, RSS and bandwidth on a real Xvfb desktop. */
const seconds = Number(process.argv[2] ?? 20);
const report = await runAgentBench({ seconds, log: (l) => process.stderr.write(`${l}\n`) });
process.stdout.write(`${JSON.stringify(report)}\n`);
