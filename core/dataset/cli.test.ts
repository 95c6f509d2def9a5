import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isLabwatchError } from '../errors.js';
import { registerDatasetCommands } from './cli.js';
import { readDataset } from './manifest.js';

async function png(file: string, width: number, height: number, rgb: [number, number, number]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(file);
}

/** A tiny recorded-looking dataset: two sessions of 5 frames, sliding windows. */
async function tinyDataset(name: string, sessions = ['s1', 's2'], size: [number, number] = [64, 48]): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'lw-dscli-')), name);
  const lines = ['sequence_id,label,frame1,frame2,frame3,session_id,source,note'];
  for (const [si, s] of sessions.entries()) {
    for (let f = 0; f < 5; f++) await png(path.join(dir, 'frames', s, `${f}.png`), size[0], size[1], [f * 40, si * 100, 0]);
    for (let i = 0; i < 3; i++) {
      const label = si === 1 && i > 0 ? 1 : 0;
      lines.push(`${s}-${i},${label},frames/${s}/${i}.png,frames/${s}/${i + 1}.png,frames/${s}/${i + 2}.png,${s},${si === 0 ? 'record:terminal' : ''},"keep, me"`);
    }
  }
  await writeFile(path.join(dir, 'manifest.csv'), `${lines.join('\n')}\n`);
  return dir;
}

async function cli(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  const program = new Command('labwatch').exitOverride();
  registerDatasetCommands(program.command('dataset'));
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'labwatch', 'dataset', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, exitCode };
}

afterEach(() => { process.exitCode = 0; });

describe('labwatch dataset validate', () => {
  it('passes a good dataset and decodes its frames with --images', async () => {
    const dir = await tinyDataset('good');
    const r = await cli('validate', dir, '--images');
    expect(r.exitCode).toBe(0);
    expect(r.out).toMatch(/OK, 6 sequences, 10 frames decoded/);
  });

  it('names every row that uses an unreadable frame, with exit code 2', async () => {
    const dir = await tinyDataset('broken');
    await writeFile(path.join(dir, 'frames', 's1', '2.png'), 'not a png');
    const r = await cli('validate', dir, '--images');
    expect(r.exitCode).toBe(2);
    // frame s1/2 is in rows s1-0, s1-1, s1-2 (lines 2, 3, 4)
    expect(r.err.match(/LABWATCH_ERR_DATASET_BAD_IMAGE/g)).toHaveLength(3);
    expect(r.err).toMatch(/line 2 \(sequence s1-0\).*frames\/s1\/2\.png/);
    expect(r.err).toMatch(/line 4 \(sequence s1-2\)/);
  });

  it('reports manifest problems by line', async () => {
    const dir = await tinyDataset('badrow');
    const text = await readFile(path.join(dir, 'manifest.csv'), 'utf8');
    await writeFile(path.join(dir, 'manifest.csv'), text.replace('s2-1,1,', 's2-1,maybe,'));
    await expect(cli('validate', dir)).rejects.toSatisfy((err) => isLabwatchError(err, 'LABWATCH_ERR_DATASET_INVALID') && /line 6: label is "maybe"/.test((err as Error).message));
  });
});

describe('labwatch dataset stats', () => {
  it('counts labels, sources, sessions and frame sizes', async () => {
    const dir = await tinyDataset('stats');
    const r = await cli('stats', dir, '--json');
    const s = JSON.parse(r.out);
    expect([s.sequences, s.prohibited, s.permitted, s.sessions, s.distinctFrames]).toEqual([6, 2, 4, 2, 10]);
    expect(s.bySource['record:terminal'].sequences).toBe(3);
    expect(s.bySource['(none)'].prohibited).toBe(2);
    expect(s.bySession.s2).toEqual({ sequences: 3, prohibited: 2, permitted: 1 });
    expect(s.frameSizes).toEqual({ '64x48': 10 });
    const table = await cli('stats', dir);
    expect(table.out).toMatch(/sequences: 6 \(prohibited 2 = 33\.3%/);
  });
});

describe('labwatch dataset merge', () => {
  it('merges two datasets with the same ids into one valid dataset, keeping extra columns', async () => {
    const a = await tinyDataset('lab-a');
    const b = await tinyDataset('lab-b', ['s1'], [32, 32]);
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'lw-merge-')), 'merged');
    const r = await cli('merge', '--out', out, a, b);
    expect(r.out).toMatch(/9 sequences/);
    const ds = await readDataset(out);
    expect(new Set(ds.rows.map((x) => x.sequenceId)).size).toBe(9);
    expect(ds.rows.find((x) => x.sequenceId === 'lab-a:s2-0')!.extra).toMatchObject({ session_id: 'lab-a:s2', source: 'lab-a', note: 'keep, me' });
    expect(ds.rows.find((x) => x.sequenceId === 'lab-b:s1-0')!.extra).toMatchObject({ session_id: 'lab-b:s1', source: 'record:terminal' });
    const v = await cli('validate', out, '--images');
    expect(v.exitCode).toBe(0);
    // The same session id in two inputs stays two sessions.
    const stats = JSON.parse((await cli('stats', out, '--json')).out);
    expect(stats.sessions).toBe(3);
  });

  it('refuses to write into a non-empty folder', async () => {
    const a = await tinyDataset('in');
    await expect(cli('merge', '--out', a, a)).rejects.toSatisfy((err) => isLabwatchError(err, 'LABWATCH_ERR_DATASET_MERGE_CONFLICT'));
  });
});

describe('labwatch dataset split', () => {
  it('writes the split column by session and reports each split', async () => {
    const dir = await tinyDataset('split', ['s1', 's2', 's3', 's4', 's5', 's6']);
    const r = await cli('split', dir, '--train', '0.5', '--validation', '0.25', '--test', '0.25', '--seed', '4');
    expect(r.out).toMatch(/train .*sequences/);
    const ds = await readDataset(dir);
    expect(ds.extraColumns).toContain('split');
    expect(ds.extraColumns).toContain('note');
    for (const s of ['s1', 's2', 's3', 's4', 's5', 's6']) {
      expect(new Set(ds.rows.filter((x) => x.extra.session_id === s).map((x) => x.extra.split)).size).toBe(1);
    }
    expect(new Set(ds.rows.map((x) => x.extra.split))).toEqual(new Set(['train', 'validation', 'test']));
  });

  it('lists every bad option at once', async () => {
    const dir = await tinyDataset('badopts');
    await expect(cli('split', dir, '--train', 'lots', '--test', 'x')).rejects.toSatisfy(
      (err) => isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID') && /--train/.test((err as Error).message) && /--test/.test((err as Error).message),
    );
  });
});
