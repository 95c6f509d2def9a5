#!/usr/bin/env node
import { runAgentBench } from './agent.js';

/**
 * `npm run bench:agent [-- SECONDS [AGENT OPTIONS...]]`: the agent's CPU, RSS and
 * bandwidth on a real Xvfb desktop, e.g. `npm run bench:agent -- 20 --evidence-frames 0`.
 */
const [seconds = '20', ...agentArgs] = process.argv.slice(2);
const report = await runAgentBench({ seconds: Number(seconds), agentArgs, log: (l) => process.stderr.write(`${l}\n`) });
process.stdout.write(`${JSON.stringify(report)}\n`);
