import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { initBackend } from '../models/backend.js';
import { saveScreenModel } from '../models/model-io.js';
import { buildScreenClassifier, type ScreenClassifierArgs } from '../models/screen-classifier.js';
import { TestAgent, login } from './helpers/assistant-fixture.js';

/** `labwatch exam create`, `instructor add` and `serve` from the build, as a user runs them. */
const cli = path.join(packageRoot(), 'dist', 'cli', 'labwatch.js');
let root: string;

async function labwatch(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { cwd: root }, (err, stdout, stderr) => {
      resolve({ code: err ? (err as { code?: number }).code ?? -1 : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  root = await mkdtemp(path.join(tmpdir(), 'lw-assistant-cli-'));
  await writeFile(path.join(root, 'roster.csv'), 'Student ID,Surname,Name\nUO1,Lovelace,Ada\nUO2,Turing,Alan\n');
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('labwatch exam / instructor / serve', () => {
  it('creates an exam and writes the tokens once, mode 0600', async () => {
    const r = await labwatch(['exam', 'create', '--name', 'Prog II', '--roster', 'roster.csv', '--data', 'data', '--tokens-out', 'tokens.csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created exam ex-[0-9a-f]+ "Prog II" with 2 students/);
    const lines = (await readFile(path.join(root, 'tokens.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('student_id,name,surname,token');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['UO1,Ada,Lovelace', 'UO2,Alan,Turing']);
    expect(statSync(path.join(root, 'tokens.csv')).mode & 0o777).toBe(0o600);
    const again = await labwatch(['exam', 'create', '--name', 'Prog II', '--roster', 'roster.csv', '--data', 'data', '--tokens-out', 'tokens.csv']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/LABWATCH_ERR_CONFIG_INVALID[\s\S]*--tokens-out: tokens.csv already exists/);
  });

  it('names every bad roster row and creates nothing', async () => {
    await writeFile(path.join(root, 'bad.csv'), 'name,surname,id\n,X,1\nA,B,1\nC,D,1\n');
    const r = await labwatch(['exam', 'create', '--name', 'Bad', '--roster', 'bad.csv', '--data', 'data', '--tokens-out', 'bad-tokens.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('LABWATCH_ERR_ROSTER_INVALID');
    expect(r.stderr).toContain('bad.csv line 2: name is empty');
    expect(r.stderr).toContain('bad.csv line 3: student ID "1" duplicates line 2');
    expect(r.stderr).toContain('bad.csv line 4: student ID "1" duplicates line 2');
    expect(existsSync(path.join(root, 'bad-tokens.csv'))).toBe(false);
  });

  it('adds instructors from a file or a pipe, refusing duplicates and short passwords', async () => {
    await writeFile(path.join(root, 'pw'), 'correct horse\n');
    expect((await labwatch(['instructor', 'add', '--username', 'prof', '--password-file', 'pw', '--data', 'data'])).code).toBe(0);
    expect((await labwatch(['instructor', 'add', '--username', 'ta', '--data', 'data'], 'battery staple\n')).code).toBe(0);
    const dup = await labwatch(['instructor', 'add', '--username', 'prof', '--password-file', 'pw', '--data', 'data']);
    expect(dup.stderr).toContain('LABWATCH_ERR_AUTH_INSTRUCTOR_EXISTS');
    const short = await labwatch(['instructor', 'add', '--username', 'x', '--data', 'data'], 'short\n');
    expect(short.stderr).toMatch(/LABWATCH_ERR_CONFIG_INVALID[\s\S]*at least 8/);
  });

  it('lists every bad serve option at once', async () => {
    const r = await labwatch(['serve', '--data', 'data', '--port', '99999', '--batch-size', '0', '--model', 'nowhere'], undefined);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port: "99999" is not an integer from 0 to 65535');
    expect(r.stderr).toContain('--batch-size: "0"');
    expect(r.stderr).toContain('--model: no model.json in nowhere');
  });

  it('serves agents and instructors until SIGTERM', async () => {
    await initBackend({ log: () => undefined });
    const args: Partial<ScreenClassifierArgs> = { convLayers: 1, firstFilters: 4, rnnUnits: 16, denseLayers: 0 };
    const model = buildScreenClassifier(args, { seed: 1 });
    await saveScreenModel(path.join(root, 'model'), model, { architecture: args as ScreenClassifierArgs, threshold: 0.5, metrics: {}, training: {}, reproduce: 'test' });
    model.dispose();
    const child = spawn(process.execPath, [cli, 'serve', '--data', 'data', '--port', '0', '--model', 'model'], { cwd: root, env: { ...process.env, LABWATCH_SILENT_AFTER_MS: '5000' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += String(d);
        const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(stdout);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    try {
      expect((await fetch(`${url}/api/exams`)).status).toBe(401);
      const cookie = await login(url, 'prof', 'correct horse');
      const exams = await (await fetch(`${url}/api/exams`, { headers: { cookie } })).json() as { name: string }[];
      expect(exams.map((e) => e.name)).toEqual(['Prog II']);
      const token = (await readFile(path.join(root, 'tokens.csv'), 'utf8')).trim().split('\n')[1].split(',')[3];
      const agent = await TestAgent.connect(url.replace(/^http/, 'ws'), token);
      for (let seq = 1; seq <= 3; seq++) agent.frame(seq, new Uint8Array(7500).fill(seq * 40));
      await agent.ackedUpTo(3);
      // the model runs in the build's worker thread: a verdict for the first window shows up in the API
      const exam = (exams as unknown as { id: string }[])[0];
      let score: number | null = null;
      for (let i = 0; i < 100 && score === null; i++) {
        const list = await (await fetch(`${url}/api/exams/${exam.id}/students`, { headers: { cookie } })).json() as { studentId: string; score: number | null }[];
        score = list.find((s) => s.studentId === 'UO1')!.score;
        if (score === null) await new Promise((r) => setTimeout(r, 50));
      }
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
      agent.close();
      expect((await fetch(`${url}/`)).headers.get('content-type')).toMatch(/text\/html/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
