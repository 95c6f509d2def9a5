import { Command } from 'commander';
import { registerAgentCommands } from '../agent/cli.js';
import { registerAssistantCommands } from '../assistant/cli.js';
import { registerDemoCommands } from '../assistant/demo/cli.js';
import { registerDatasetCommands } from '../core/dataset/cli.js';
import { registerRecordCommand } from '../training/recorder/cli.js';
import { registerSynthCommands } from '../training/synth/cli.js';
import { registerTrainingCommands } from '../training/cli.js';
import { registerModelCommands } from '../models/cli.js';

/**
 * The `labwatch` command tree. Each component registers its own commands and
 * imports its heavy modules (tfjs, sharp, fastify) lazily inside the action, so
 * `labwatch --help` stays instant.
 */
export function buildProgram(): Command {
  const program = new Command('labwatch')
    .description('Assistant for detecting potential cheating in synchronous online programming exams')
    .version('0.1.0')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });

  const dataset = program.command('dataset').description('Create, check and split labelled screenshot-sequence datasets');
  registerDatasetCommands(dataset);
  registerRecordCommand(dataset);
  registerSynthCommands(program);
  registerAgentCommands(program);
  registerAssistantCommands(program);
  registerDemoCommands(program);
  registerTrainingCommands(program);
  registerModelCommands(program);
  return program;
}
