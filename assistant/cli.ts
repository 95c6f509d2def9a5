import type { Command } from 'commander';
import { DEFAULT_CONFIRM_WINDOWS, MAX_CONFIRM_WINDOWS } from './alert-rule.js';
import { DEFAULTS } from './assistant-defaults.js';
import { DEFAULT_DATA_DIR, ENV } from './config.js';

const dataOption = `folder of the database and evidence (env ${ENV.dataDir}, default ./${DEFAULT_DATA_DIR})`;

/** `labwatch exam create`, `labwatch instructor add`, `labwatch serve`. Heavy modules load inside the actions. */
export function registerAssistantCommands(program: Command): void {
  const exam = program.command('exam').description('Create exams and enrol their students');
  exam
    .command('create')
    .description('Create an exam from a roster CSV (name, surname, student_id) and write one enrolment token per student to a CSV')
    .requiredOption('--name <name>', 'exam name shown to students and instructors')
    .requiredOption('--roster <file>', 'CSV with columns name, surname, student_id ("student ID" and "id" are accepted)')
    .option('--data <dir>', dataOption)
    .option('--tokens-out <file>', 'where to write the tokens for distribution (mode 0600; never overwritten)', 'tokens.csv')
    .option('--retention-days <n>', 'days after which the exam and its evidence are deleted', String(DEFAULTS.retentionDays))
    .option('--capture-interval-ms <ms>', 'capture interval the agents are told to use', String(DEFAULTS.captureIntervalMs))
    .action(async (raw: { name: string; roster: string; data?: string; tokensOut: string; retentionDays: string; captureIntervalMs: string }) => {
      const { runExamCreate } = await import('./cli-actions.js');
      await runExamCreate(raw);
    });

  const instructor = program.command('instructor').description('Manage instructor accounts of the web panel');
  instructor
    .command('add')
    .description('Create an instructor account (the password is read from a file, or prompted for)')
    .requiredOption('--username <name>', 'login name')
    .option('--password-file <file>', 'file whose first line is the password (else prompted; or read from stdin when it is not a terminal)')
    .option('--data <dir>', dataOption)
    .action(async (raw: { username: string; passwordFile?: string; data?: string }) => {
      const { runInstructorAdd } = await import('./cli-actions.js');
      await runInstructorAdd(raw);
    });

  program
    .command('serve')
    .description('Run the assistant: agent endpoint, classification, alerts, instructor panel and API')
    .option('--data <dir>', dataOption)
    .option('--host <host>', `address to listen on (env ${ENV.host}, default ${DEFAULTS.host}; use the VPN address to serve students)`)
    .option('--port <port>', `port (env ${ENV.port}, default ${DEFAULTS.port})`)
    .option('--model <dir>', `model folder (env ${ENV.modelDir}, default the shipped models/screen)`)
    .option('--batch-size <n>', `frames per classifier batch (env ${ENV.batchSize}, default ${DEFAULTS.batchSize})`)
    .option('--batch-deadline-ms <ms>', `longest wait to fill a batch (env ${ENV.batchDeadlineMs}, default ${DEFAULTS.batchDeadlineMs})`)
    .option('--silent-after-ms <ms>', `agent silence that raises an alert (env ${ENV.silentAfterMs}, default ${DEFAULTS.silentAfterMs})`)
    .option('--alert-threshold <p>', `score (0-1) at or above which a window is suspicious and may alert (env ${ENV.alertThreshold}, default the model's alert threshold from its metadata.json)`)
    .option('--confirm-windows <n>', `consecutive suspicious windows (one per second) that raise an alert, 1-${MAX_CONFIRM_WINDOWS} (env ${ENV.confirmWindows}, default ${DEFAULT_CONFIRM_WINDOWS})`)
    .option('--secure-cookies', `mark the session cookie Secure, when served behind HTTPS (env ${ENV.secureCookies})`)
    .action(async (raw: Record<string, string | boolean | undefined>) => {
      const { runServe } = await import('./cli-actions.js');
      await runServe(raw);
    });
}
