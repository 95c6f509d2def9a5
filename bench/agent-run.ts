#!/usr/bin/env node
import { runAgentBench } from './agent.js';

/**
 * `npm run bench:agent [-- SECONDS [--monitors N] [--agent-cli PATH] [AGENT OPTIONS...]]`:
 * the agent's CPU, RSS and bandwidth on a real Xvfb desktop, e.g.
 * `npm run bench:agent -- 20 --evidence-frames 0` or `npm run bench:agent -- 20 --monitors 2`
 * (two 1920x1080 RandR monitors side by side, one view each). `--agent-cli` runs another
 * build's dist/cli/labwatch.js (a before/after series).
 */
const [seconds = '20', ...rest] = process.argv.slice(2);
const agentArgs: string[] = [];
let monitors = 1;
let agentCli: string | undefined;
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--monitors') monitors = Number(rest[++i]);
  else if (rest[i] === '--agent-cli') agentCli = rest[++i];
  else agentArgs.push(rest[i]);
}
const report = await runAgentBench({ seconds: Number(seconds), monitors, agentCli, agentArgs, log: (l) => process.stderr.write(`${l}\n`) });
process.stdout.write(`${JSON.stringify(report)}\n`);
