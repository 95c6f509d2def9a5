import type { Command } from 'commander';
import { lwError } from '../../core/errors.js';

interface RecordCliOptions {
  out?: string;
  scenario: string;
  set: string;
  seconds?: string;
  resolution?: string;
  display?: string;
  small?: boolean;
  offset: string;
  list?: boolean;
}

/** `labwatch dataset record`: real applications on an Xvfb desktop, captured once per second. */
export function registerRecordCommand(dataset: Command): void {
  dataset
    .command('record')
    .description('Record labelled real-screen sessions: real apps on an Xvfb desktop driven by scripts, captured once per second')
    .option('--out <dir>', 'dataset folder to create or append to')
    .option('--scenario <names>', 'scenario name, comma-separated names, or "all"', 'all')
    .option('--set <set>', 'content set: holdout or train (different code, commands and page variants)', 'holdout')
    .option('--seconds <n>', 'stretch or shrink each scenario to about N seconds')
    .option('--resolution <WxH>', 'desktop size (default: cycle 1920x1080, 1366x768, 1280x1024, 2560x1440)')
    .option('--display <:N>', 'use this running X display (with a window manager) instead of starting Xvfb')
    .option('--small', 'store 50x50 frames instead of full-size PNGs')
    .option('--offset <n>', 'shift the resolution/colour cycle (use different offsets for parallel recorders)', '0')
    .option('--list', 'list the scenarios and exit')
    .action(async (opts: RecordCliOptions) => {
      const { scenarioCatalogue } = await import('./scenarios.js');
      if (opts.list) {
        for (const s of scenarioCatalogue()) {
          const secs = s.steps.reduce((n, x) => n + x.seconds, 0);
          process.stdout.write(`${s.name.padEnd(22)} ${String(secs).padStart(3)} s  ${s.description}\n`);
        }
        return;
      }
      const problems: string[] = [];
      const names = opts.scenario.split(',').map((s) => s.trim()).filter(Boolean);
      const known = scenarioCatalogue().map((s) => s.name);
      for (const n of names) if (n !== 'all' && !known.includes(n)) problems.push(`  --scenario: unknown "${n}" (known: ${known.join(', ')}, all)`);
      if (!opts.out) problems.push('  --out: required (the dataset folder)');
      if (opts.set !== 'holdout' && opts.set !== 'train') problems.push(`  --set: "${opts.set}" is not holdout or train`);
      const seconds = opts.seconds === undefined ? undefined : Number(opts.seconds);
      if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 4 && seconds <= 3600)) problems.push(`  --seconds: "${opts.seconds}" must be a number from 4 to 3600`);
      let resolution: [number, number] | undefined;
      if (opts.resolution !== undefined) {
        const m = /^(\d{3,5})x(\d{3,5})$/.exec(opts.resolution);
        if (!m || Number(m[1]) > 8192 || Number(m[2]) > 8192) problems.push(`  --resolution: "${opts.resolution}" is not WxH (e.g. 1920x1080, at most 8192 per side)`);
        else resolution = [Number(m[1]), Number(m[2])];
      }
      if (opts.display !== undefined && !/^:\d+(\.\d+)?$/.test(opts.display)) problems.push(`  --display: "${opts.display}" is not an X display like :5`);
      const offset = Number(opts.offset);
      if (!Number.isInteger(offset) || offset < 0) problems.push(`  --offset: "${opts.offset}" must be a whole number >= 0`);
      if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.join('\n') });

      const { recordDataset } = await import('./record.js');
      const summary = await recordDataset({
        out: opts.out!, scenarios: names, set: opts.set as 'holdout' | 'train', seconds, resolution,
        display: opts.display, small: opts.small, offset,
      });
      process.stdout.write(`recorded ${summary.sessions} session(s), ${summary.sequences} sequences (${summary.prohibited} prohibited) into ${opts.out}\n`);
      if (summary.failed.length > 0) {
        process.stderr.write(`failed scenarios: ${summary.failed.join(', ')}\n`);
        process.exitCode = 2;
      }
    });
}
