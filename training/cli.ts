import type { Command } from 'commander';
import type { EvaluateCommandOptions } from './evaluate-command.js';
import { registerTrainCommand } from './train-cli.js';

/**
 * `labwatch evaluate` (and `labwatch train`). Actions import their modules
 * lazily so `labwatch --help` does not load tfjs or sharp.
 */
export function registerTrainingCommands(program: Command): void {
  registerEvaluateCommand(program);
  registerTrainCommand(program);
}

function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description(
      'Score a model on a labelled dataset at its own threshold: accuracy, precision, recall, F1, F2 with 95% bootstrap intervals, the confusion matrix, and trivial baselines beside it',
    )
    .option('--model <dir>', 'model folder (model.json, weights.bin, metadata.json); default: the shipped models/screen')
    .option('--dataset <dir>', 'dataset folder holding manifest.csv (required)')
    .option('--split <name>', 'evaluate only rows whose split column is train, validation or test')
    .option('--json', 'print exactly one JSON object on stdout (logs go to stderr)')
    .option('--resamples <n>', 'bootstrap resamples for the confidence intervals', '10000')
    .option('--seed <n>', 'seed of the bootstrap resampling', '1')
    .option('--plots <dir>', 'also write the precision-recall curve and confusion matrix (SVG and PNG) to this folder')
    .option('--by-source', "also count false alarms and misses per scene (the manifest's source column), worst first")
    .option('--by-share', "also count misses by how much of the screen the prohibited window shows (the generator's prohibited_screen_share column)")
    .option(
      '--alerts',
      "also replay the assistant's alert rule over runs of consecutive windows (sessions of `dataset synth` with its default --windows-per-session, or recordings): false alerts per hour of permitted work and episodes alerted, at the model's alert threshold and others",
    )
    .option('--confirm-windows <n>', 'with --alerts: suspicious windows in a row that raise an alert, as `labwatch serve --confirm-windows`')
    .action(async (options: EvaluateCommandOptions) => {
      const { runEvaluateCommand } = await import('./evaluate-command.js');
      await runEvaluateCommand(options);
    });
}
