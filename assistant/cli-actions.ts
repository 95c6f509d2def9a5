import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { formatCsv } from '../core/dataset/csv.js';
import { lwError } from '../core/errors.js';
import { hashPassword } from './auth/secrets.js';
import { readDataDir, readServeConfig } from './config.js';
import { parseRoster } from './roster.js';
import { buildStore } from './store/store.js';

const MIN_PASSWORD = 8;

export async function runExamCreate(raw: { name: string; roster: string; data?: string; tokensOut: string; retentionDays: string; captureIntervalMs: string }): Promise<void> {
  const problems: string[] = [];
  const retentionDays = Number(raw.retentionDays);
  const captureIntervalMs = Number(raw.captureIntervalMs);
  if (raw.name.trim() === '') problems.push('  --name: must not be empty');
  if (Buffer.byteLength(raw.name) > 256) problems.push('  --name: longer than 256 bytes');
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) problems.push(`  --retention-days: "${raw.retentionDays}" is not an integer from 1 to 3650`);
  if (!Number.isInteger(captureIntervalMs) || captureIntervalMs < 200 || captureIntervalMs > 60_000) problems.push(`  --capture-interval-ms: "${raw.captureIntervalMs}" is not an integer from 200 to 60000`);
  if (!existsSync(raw.roster)) problems.push(`  --roster: ${raw.roster} does not exist`);
  if (existsSync(raw.tokensOut)) problems.push(`  --tokens-out: ${raw.tokensOut} already exists (tokens are never overwritten; choose another file)`);
  let dataDir = '';
  try {
    dataDir = readDataDir({ dataDir: raw.data });
  } catch (err) {
    problems.push(String((err as Error).message));
  }
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.join('\n') });

  const roster = parseRoster(await readFile(raw.roster, 'utf8'), raw.roster);
  // the token file is opened exclusively before the exam exists: no exam without its tokens on disk
  const out = await open(raw.tokensOut, 'wx', 0o600);
  const store = buildStore({ dataDir });
  try {
    const { exam, tokens } = store.people.createExam({ name: raw.name.trim(), roster, createdAt: Date.now(), retentionDays, captureIntervalMs });
    store.alerts.audit('cli', 'exam.create', exam.id, { name: exam.name, students: roster.length }, Date.now());
    await out.writeFile(formatCsv(['student_id', 'name', 'surname', 'token'], tokens.map((t) => [t.studentId, t.name, t.surname, t.token])));
    process.stdout.write(
      `Created exam ${exam.id} "${exam.name}" with ${tokens.length} students (kept ${retentionDays} days).\n` +
      `Tokens written to ${raw.tokensOut} (mode 0600): give each student only their own token. They are not stored anywhere else.\n`,
    );
  } finally {
    await out.close();
    store.close();
  }
}

export async function runInstructorAdd(raw: { username: string; passwordFile?: string; data?: string }): Promise<void> {
  const dataDir = readDataDir({ dataDir: raw.data });
  const username = raw.username.trim();
  const problems: string[] = [];
  if (!/^[\w.@-]{1,64}$/.test(username)) problems.push('  --username: 1-64 letters, digits, . _ @ -');
  if (raw.passwordFile !== undefined && !existsSync(raw.passwordFile)) problems.push(`  --password-file: ${raw.passwordFile} does not exist`);
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.join('\n') });
  const password = raw.passwordFile !== undefined
    ? firstLine(await readFile(raw.passwordFile, 'utf8'))
    : await promptPassword();
  if (password.length < MIN_PASSWORD) {
    throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: `  password: at least ${MIN_PASSWORD} characters` });
  }
  const store = buildStore({ dataDir });
  try {
    store.people.createInstructor(username, await hashPassword(password), Date.now());
    store.alerts.audit('cli', 'instructor.add', null, { username }, Date.now());
  } finally {
    store.close();
  }
  process.stdout.write(`Instructor "${username}" created in ${dataDir}.\n`);
}

export async function runServe(raw: Record<string, string | boolean | undefined>): Promise<void> {
  const config = readServeConfig({
    dataDir: raw.data, host: raw.host, port: raw.port, modelDir: raw.model, batchSize: raw.batchSize,
    batchDeadlineMs: raw.batchDeadlineMs, silentAfterMs: raw.silentAfterMs, alertThreshold: raw.alertThreshold, confirmWindows: raw.confirmWindows, secureCookies: raw.secureCookies,
  });
  const { buildAssistant } = await import('./assistant.js');
  const assistant = await buildAssistant({ ...config, logger: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) });
  const { url } = await assistant.listen();
  process.stdout.write(`labwatch assistant listening on ${url} (panel ${url}/, agents ${url.replace(/^http/, 'ws')}/agent, data ${config.dataDir})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write('shutting down...\n');
  await assistant.close();
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0];
}

/** Ask twice on a terminal without echo; read one line from a pipe. */
async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) { rl.close(); return line; }
    return '';
  }
  const ask = (question: string) => new Promise<string>((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void });
    write._writeToOutput = (s: string) => { if (s.startsWith(question)) process.stdout.write(question); };
    rl.question(question, (answer) => { rl.close(); process.stdout.write('\n'); resolve(answer); });
  });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  if (first !== second) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: '  password: the two entries differ' });
  return first;
}
