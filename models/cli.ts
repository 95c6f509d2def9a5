import type { Command } from 'commander';

/** `labwatch model info`: what a model folder holds, and whether it loads here. */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('Inspect screen-classifier model folders');
  model
    .command('info')
    .description('Show a model folder\'s architecture, threshold, metrics, training data hash and reproduce command; with --load, also load it and time one batch')
    .option('--model <dir>', 'model folder (model.json, weights.bin, metadata.json); default: the shipped models/screen')
    .option('--load', 'load the weights with the incremental classifier (checks the files; reports the tfjs backend)', false)
    .option('--json', 'print one JSON object', false)
    .action(async (options: { model?: string; load: boolean; json: boolean }) => {
      const { modelInfo, formatModelInfo } = await import('./model-info.js');
      const info = await modelInfo(options.model, { load: options.load });
      process.stdout.write(options.json ? `${JSON.stringify(info)}\n` : `${formatModelInfo(info)}\n`);
    });
}
