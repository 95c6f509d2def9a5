import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataset, framePaths } from '../../core/dataset/manifest.js';
import { isLabwatchError } from '../../core/errors.js';
import { registerSynthCommands } from './cli.js';
import { generateSynthDataset } from './generate.js';

const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'lw-synth-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function synth(args: string[]): Promise<void> {
  const program = new Command('labwatch').exitOverride();
  program.command('dataset');
  registerSynthCommands(program);
  await program.parseAsync(['node', 'labwatch', 'dataset', 'synth', ...args]);
}

describe('labwatch dataset synth', () => {
  it('writes a valid dataset of N sequences with session ids and 50x50 frames, reproducibly', async () => {
    const a = await tmp();
    const b = await tmp();
    await synth(['--out', a, '--sequences', '6', '--seed', '11', '--workers', '0']);
    await synth(['--out', b, '--sequences', '6', '--seed', '11', '--workers', '0']);
    const ds = await readDataset(a);
    expect(ds.rows).toHaveLength(6);
    for (const row of ds.rows) {
      expect(row.extra.session_id).toMatch(/^syn11-/);
      expect(row.extra.student_id).toBe(row.extra.session_id);
      expect(row.extra.source.startsWith(`synth:${row.extra.session_id}:`)).toBe(true);
    }
    const meta = await sharp(framePaths(ds, ds.rows[0])[0]).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([50, 50, 3]);
    // same seed: same manifest, same pixels
    expect(await readFile(path.join(a, 'manifest.csv'), 'utf8')).toBe(await readFile(path.join(b, 'manifest.csv'), 'utf8'));
    for (const row of ds.rows) {
      for (const f of row.frames) expect((await readFile(path.join(a, f))).equals(await readFile(path.join(b, f)))).toBe(true);
    }
  });

  it('resumes an interrupted run: keeps the frames on disk, renders the missing ones, same dataset', async () => {
    const full = await tmp();
    const cut = await tmp();
    const opts = { sequences: 8, seed: 'resume-1', windowsPerSession: 3, workers: 0, log: () => undefined };
    await generateSynthDataset({ ...opts, out: full });
    await generateSynthDataset({ ...opts, out: cut });
    // an interrupted run: no manifest yet, the last session's frames not written
    const rows = (await readDataset(cut)).rows;
    const lastSession = rows.at(-1)!.extra.session_id;
    await rm(path.join(cut, 'manifest.csv'));
    await rm(path.join(cut, 'frames', lastSession), { recursive: true });
    const kept = rows.flatMap((r) => r.frames).filter((f) => !f.includes(lastSession));
    const before = new Map(await Promise.all(kept.map(async (f) => [f, (await stat(path.join(cut, f))).mtimeMs] as const)));

    const report = await generateSynthDataset({ ...opts, out: cut, resume: true });
    const missing = new Set(rows.filter((r) => r.extra.session_id === lastSession).flatMap((r) => r.frames)).size;
    expect(report.frames).toBe(missing);
    expect(report.reusedFrames).toBe(new Set(kept).size);
    // frames that were there are not rewritten; the result equals the uninterrupted run byte for byte
    for (const [f, mtime] of before) expect((await stat(path.join(cut, f))).mtimeMs).toBe(mtime);
    expect(await readFile(path.join(cut, 'manifest.csv'), 'utf8')).toBe(await readFile(path.join(full, 'manifest.csv'), 'utf8'));
    for (const f of new Set(rows.flatMap((r) => r.frames))) expect((await readFile(path.join(cut, f))).equals(await readFile(path.join(full, f)))).toBe(true);
    // atomic writes leave no temp files behind
    expect((await readdir(path.join(cut, 'frames', lastSession))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps full-resolution frames with --full-size, with readable text only with --text glyphs', async () => {
    const blocks = await tmp();
    const glyphs = await tmp();
    await synth(['--out', blocks, '--sequences', '1', '--seed', '5', '--workers', '0', '--full-size']);
    await synth(['--out', glyphs, '--sequences', '1', '--seed', '5', '--workers', '0', '--full-size', '--text', 'glyphs']);
    const ds = await readDataset(blocks);
    const frame = ds.rows[0].frames[2];
    const meta = await sharp(path.join(blocks, frame)).metadata();
    expect(meta.width).toBeGreaterThanOrEqual(1024);
    expect(meta.height).toBeGreaterThanOrEqual(720);
    // the same scene; glyphs have more edges than blocks, so their PNG is larger
    const [b, g] = await Promise.all([stat(path.join(blocks, frame)), stat(path.join(glyphs, frame))]);
    expect(g.size).toBeGreaterThan(b.size);
  });

  it('writes each monitor of a two-monitor desktop as its own 50x50 frame with --per-monitor', async () => {
    const d = await tmp();
    // seed 58's second session is on two monitors (about 10% of sessions are): an IDE on one, an AI chat page on the other
    await synth(['--out', d, '--sequences', '4', '--seed', '58', '--workers', '0', '--windows-per-session', '1', '--per-monitor']);
    const ds = await readDataset(d);
    expect(ds.rows).toHaveLength(4);
    const split = ds.rows.filter((r) => /-m[01]$/.test(r.sequenceId));
    expect(split.map((r) => [r.sequenceId.slice(-3), r.label])).toEqual([['-m0', 0], ['-m1', 1]]);
    const [left, right] = await Promise.all(split.map((r) => sharp(framePaths(ds, r)[0]).raw().toBuffer({ resolveWithObject: true })));
    expect([left.info.width, left.info.height, left.info.channels]).toEqual([50, 50, 3]);
    expect(right.info.width).toBe(50);
    // two different monitors, not the same picture twice
    expect(left.data.equals(right.data)).toBe(false);
  });

  it('rejects a bad --sequences value with LABWATCH_ERR_CONFIG_INVALID listing every problem', async () => {
    const d = await tmp();
    const err = await synth(['--out', d, '--sequences', 'many', '--workers', '-1', '--text', 'pixels', '--tiled-companion', 'browser', '--prohibited-focus', 'browser', '--prohibited-layout', 'tiny', '--counterfactual', 'blur']).catch((e: unknown) => e);
    expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
    expect(String((err as Error).message)).toContain('--sequences');
    expect(String((err as Error).message)).toContain('--workers');
    expect(String((err as Error).message)).toContain('--text: "pixels" must be blocks or glyphs');
    expect(String((err as Error).message)).toContain('--tiled-companion: "browser" must be terminal, pdf-viewer, file-explorer, text-editor');
    expect(String((err as Error).message)).toContain('--prohibited-focus: "browser" must be ai-chat, messaging, video-call');
    expect(String((err as Error).message)).toContain('--prohibited-layout: "tiny" must be small');
    expect(String((err as Error).message)).toContain('--counterfactual: "blur" must be close or swap');
  });

  it('renders permitted twins with --counterfactual swap: the same windows, the prohibited one showing a work app', async () => {
    const d = await tmp();
    await synth(['--out', d, '--sequences', '12', '--seed', '58', '--workers', '0', '--windows-per-session', '1', '--counterfactual', 'swap']);
    const ds = await readDataset(d);
    const byId = new Map(ds.rows.map((r) => [r.sequenceId, r]));
    const twins = ds.rows.filter((r) => r.sequenceId.endsWith('-cf'));
    expect(twins.length).toBeGreaterThan(0);
    for (const twin of twins) {
      const original = byId.get(twin.sequenceId.slice(0, -3))!;
      expect([original.label, twin.label]).toEqual([1, 0]);
      const swapped = framePaths(ds, twin).map((f, i) => [f, framePaths(ds, original)[i]!] as const).filter(([f]) => f.endsWith('-cfs.png'));
      expect(swapped.length).toBeGreaterThan(0);
      for (const [mine, theirs] of swapped) {
        const [a, b] = await Promise.all([sharp(mine).raw().toBuffer(), sharp(theirs).raw().toBuffer()]);
        expect(a.length).toBe(50 * 50 * 3);
        expect(a.equals(b)).toBe(false);
      }
    }
  });
});
