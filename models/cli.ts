import type { Command } from 'commander';

/** `labwatch model info` (what a model folder holds, and whether it loads here), `model calibrate-alerts` and `model measure-speed`. */
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
  model
    .command('calibrate-alerts')
    .description(
      "Choose a model's alert threshold by replaying the assistant's alert rule over sessions of consecutive windows (best alert-level F2: visits alerted against false alerts); with --write, store it in metadata.json",
    )
    .option('--model <dir>', 'model folder; default: the shipped models/screen')
    .option('--dataset <dir>', 'dataset with sessions of consecutive windows, e.g. made by `dataset synth` with its default --windows-per-session (required)')
    .option('--split <name>', 'rows to replay (never the split you report on)', 'validation')
    .option('--confirm-windows <n>', 'suspicious windows in a row that raise an alert, as `labwatch serve --confirm-windows`', '2')
    .option('--f2-tolerance <x>', 'take the highest threshold whose alert-level F2 is within x of the best (fewer false alerts for a tie; 0: the best F2, the default)', '0')
    .option('--write', "store the chosen threshold in the model's metadata.json (and a note in its README.md)", false)
    .option('--json', 'print one JSON object', false)
    .action(async (options: import('../training/calibrate-alerts-command.js').CalibrateAlertsOptions) => {
      const { runCalibrateAlerts } = await import('../training/calibrate-alerts-command.js');
      await runCalibrateAlerts(options);
    });
  model
    .command('measure-speed')
    .description(
      "Measure a model's inference speed as the assistant runs it (incremental scheme, batch 16 and 64) over several runs and report the medians against the >= 5,000 new frames per CPU second target; with --write, store them in metadata.json and README.md",
    )
    .option('--model <dir>', 'model folder; default: the shipped models/screen')
    .option('--runs <n>', 'benchmark runs (1-20); the figure is their median', '5')
    .option('--write', "store the figure in the model's metadata.json (targets, speed) and its README.md targets table", false)
    .option('--json', 'print one JSON object', false)
    .action(async (options: import('../training/measure-speed-command.js').MeasureSpeedOptions) => {
      const { runMeasureSpeed } = await import('../training/measure-speed-command.js');
      await runMeasureSpeed(options);
    });
}
