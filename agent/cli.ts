import type { Command } from 'commander';
import { DEFAULT_EVIDENCE_FRAMES } from './evidence-ring.js';
import { DEFAULT_BUFFER_FRAMES } from './outbox.js';
import type { RawAgentCliOptions } from './options.js';

/** `labwatch agent`: the student side. Heavy modules load inside the action. */
export function registerAgentCommands(program: Command): void {
  program
    .command('agent')
    .description("Student agent: stream a 50x50 screenshot of each monitor once per second to the instructor's assistant")
    .option('--server <url>', 'assistant URL given by the instructor, e.g. http://10.8.0.1:8080 (env LABWATCH_SERVER)')
    .option('--token <token>', 'your personal exam token (env LABWATCH_TOKEN)')
    .option('--interval-ms <ms>', 'capture interval in milliseconds', '1000')
    .option('--buffer-frames <n>', `unacknowledged frames kept for resending while offline (${DEFAULT_BUFFER_FRAMES} = 10 min)`, String(DEFAULT_BUFFER_FRAMES))
    .option('--evidence-frames <n>', 'full-size screenshots kept in memory (raw, 6.2 MB each at 1080p) for evidence requests (0 = none)', String(DEFAULT_EVIDENCE_FRAMES))
    .action(async (raw: RawAgentCliOptions) => {
      const { runAgentCli } = await import('./run.js');
      await runAgentCli(raw);
    });
}
