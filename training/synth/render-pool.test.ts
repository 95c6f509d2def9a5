import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../core/dataset/manifest.js';
import { packageRoot } from '../../core/paths.js';
import { generateSynthDataset, planSynthDataset, type SynthOptions } from './generate.js';

/**
 * Render processes: a batch whose process dies is retried once in a fresh
 * process, then skipped (its sequences dropped); the run never loops. A fake
 * child speaking the same protocol keeps most of this fast and independent of
 * the build; the last test runs the built render-child.js for real.
 */
const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'lw-render-pool-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Writes each frame's file name as its content; exit(139) at `crashAt`, an error reply when crashAt < 0. */
const FAKE_CHILD = `
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
process.on('message', (req) => {
  if (req.crashAt !== undefined && req.crashAt < 0) return process.send({ id: req.id, ok: false, error: 'Error: svgload_buffer: SVG rendering failed' });
  for (const [i, job] of req.jobs.entries()) {
    if (req.crashAt === i) process.exit(139);
    mkdirSync(path.dirname(job.file), { recursive: true });
    writeFileSync(job.file, path.basename(job.file));
  }
  process.send({ id: req.id, ok: true });
});
process.on('disconnect', () => process.exit(0));
`;

async function fakeChild(): Promise<string> {
  const file = path.join(await tmp(), 'fake-child.mjs');
  await writeFile(file, FAKE_CHILD);
  return file;
}

const base = { sequences: 12, seed: 'pool-test', windowsPerSession: 2, workers: 2 } satisfies Partial<SynthOptions>;

describe('synth render processes', () => {
  it('retries a crashed batch once in a fresh process, then skips it and drops its sequences', async () => {
    const out = await tmp();
    const plan = planSynthDataset({ ...base, out });
    expect(plan.batches.length).toBeGreaterThanOrEqual(4);
    const lines: string[] = [];
    const report = await generateSynthDataset({
      ...base,
      out,
      renderEntry: await fakeChild(),
      log: (l) => lines.push(l),
      // batch 1 crashes on both attempts (the second after writing a frame), batch 2 on its first only
      crashAt: (batch, attempt) => (batch === 1 ? attempt : batch === 2 && attempt === 0 ? 1 : undefined),
    });
    const lostSession = path.basename(path.dirname(plan.batches[1][0].file));
    const kept = plan.rows.filter((r) => r.extra.session_id !== lostSession);
    expect(report.skippedFrames).toBe(plan.batches[1].length);
    expect(report.droppedSequences).toBe(plan.rows.length - kept.length);
    expect(report.droppedSequences).toBeGreaterThan(0);
    expect(report.sequences).toBe(kept.length);
    expect(report.frames).toBe(plan.batches.flat().length - plan.batches[1].length);
    expect(report.sessions).toBe(plan.batches.length - 1);
    const ds = await readDataset(out);
    expect(ds.rows.map((r) => r.sequenceId)).toEqual(kept.map((r) => r.sequenceId));
    for (const job of plan.batches[1]) expect(existsSync(job.file)).toBe(false);
    for (const job of plan.batches[2]) expect(await readFile(job.file, 'utf8')).toBe(path.basename(job.file));
    expect(lines.filter((l) => /exited with code 139 .*retrying it in a fresh process/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('again; skipping its frames'))).toHaveLength(1);
    expect(lines.at(-1)).toBe(`synth: skipped ${plan.batches[1].length} frames of 1 session(s) whose render process crashed twice; dropped the ${report.droppedSequences} sequences that need them`);
  });

  it('gives up instead of looping when every process crashes', async () => {
    const out = await tmp();
    const lines: string[] = [];
    const err = await generateSynthDataset({ ...base, out, renderEntry: await fakeChild(), log: (l) => lines.push(l), crashAt: () => 0 }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/none succeeded: giving up/);
    expect(existsSync(path.join(out, 'manifest.csv'))).toBe(false);
  });

  it('aborts when a batch reports a render error twice (a JavaScript error is not skipped)', async () => {
    const out = await tmp();
    const lines: string[] = [];
    const err = await generateSynthDataset({ ...base, out, renderEntry: await fakeChild(), log: (l) => lines.push(l), crashAt: (b) => (b === 0 ? -1 : undefined) }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/reported an error \(Error: svgload_buffer: SVG rendering failed\).*second attempt/);
    expect(lines[0]).toMatch(/retrying it in a fresh process/);
  });

  const built = path.join(packageRoot(), 'dist', 'training', 'synth', 'render-child.js');
  it.skipIf(!existsSync(built))('the built render process gives the same PNGs as rendering in this process, and survives a crash', async () => {
    const small = { sequences: 4, seed: 'pool-real', windowsPerSession: 2 };
    const inProcess = await tmp();
    const children = await tmp();
    await generateSynthDataset({ ...small, out: inProcess, workers: 0 });
    const plan = planSynthDataset({ ...small, out: children });
    expect(plan.batches.length).toBeGreaterThanOrEqual(2);
    const lines: string[] = [];
    const report = await generateSynthDataset({
      ...small,
      out: children,
      workers: 2,
      renderEntry: built,
      log: (l) => lines.push(l),
      // batch 0: killed before its second frame once, then fine; the last batch: killed on both attempts
      crashAt: (batch, attempt) => (batch === 0 && attempt === 0 ? 1 : batch === plan.batches.length - 1 ? 0 : undefined),
    });
    expect(lines.some((l) => l.includes('was killed by SIGKILL'))).toBe(true);
    expect(report.skippedFrames).toBe(plan.batches.at(-1)!.length);
    const all = await readDataset(inProcess);
    const some = await readDataset(children);
    const lostSession = path.basename(path.dirname(plan.batches.at(-1)![0].file));
    const strip = ({ line: _line, ...r }: (typeof all.rows)[number]) => r;
    expect(some.rows.map(strip)).toEqual(all.rows.filter((r) => r.extra.session_id !== lostSession).map(strip));
    expect(some.rows.length).toBeGreaterThan(0);
    for (const row of some.rows) {
      for (const f of row.frames) expect((await readFile(path.join(children, f))).equals(await readFile(path.join(inProcess, f)))).toBe(true);
    }
  });
});
