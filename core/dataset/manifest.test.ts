import { mkdtemp, mkdir, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLabwatchError } from '../errors.js';
import { readDataset, writeManifest } from './manifest.js';

async function fixture(manifest: string, files = ['frames/a.png', 'frames/b.png', 'frames/c.png']) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lw-ds-'));
  await mkdir(path.join(dir, 'frames'));
  for (const f of files) await writeFile(path.join(dir, f), 'x');
  await writeFile(path.join(dir, 'manifest.csv'), manifest);
  return dir;
}

describe('dataset manifest', () => {
  it('reads columns in any order and keeps unknown ones', async () => {
    const dir = await fixture(
      'label,frame3,frame2,frame1,sequence_id,note,split\n' +
        '1,frames/c.png,frames/b.png,frames/a.png,s1,"hello, ""world""",train\r\n' +
        '0,frames/a.png,frames/a.png,frames/a.png,s2,,test\n',
    );
    const ds = await readDataset(dir);
    expect(ds.rows.map((r) => [r.sequenceId, r.label])).toEqual([['s1', 1], ['s2', 0]]);
    expect(ds.rows[0].frames).toEqual(['frames/a.png', 'frames/b.png', 'frames/c.png']);
    expect(ds.rows[0].extra.note).toBe('hello, "world"');
    await writeManifest(dir, ds.rows, ds.extraColumns);
    const again = await readDataset(dir);
    expect(again.rows.map((r) => r.extra)).toEqual(ds.rows.map((r) => r.extra));
    expect(await readFile(path.join(dir, 'manifest.csv'), 'utf8')).toMatch(/^sequence_id,label,frame1,frame2,frame3,note,split\n/);
  });

  it('names every bad row by line number', async () => {
    const dir = await fixture(
      'sequence_id,label,frame1,frame2,frame3\n' +
        's1,1,frames/a.png,frames/b.png,frames/c.png\n' +
        's1,0,frames/a.png,frames/b.png,frames/c.png\n' +
        's3,yes,frames/a.png,frames/b.png,frames/c.png\n' +
        's4,0,frames/a.png,frames/missing.png,frames/c.png\n' +
        's5,0,../etc/passwd,frames/b.png,frames/c.png\n',
    );
    const err = await readDataset(dir).catch((e: unknown) => e);
    expect(isLabwatchError(err, 'LABWATCH_ERR_DATASET_INVALID')).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain('line 3: sequence_id "s1" duplicates line 2');
    expect(msg).toContain('line 4: label is "yes", expected 0 or 1');
    expect(msg).toContain('line 5: frame2 file "frames/missing.png" does not exist');
    expect(msg).toContain('line 6: frame1 "../etc/passwd" must be a path inside the dataset folder');
  });

  it('reports missing required columns', async () => {
    const dir = await fixture('sequence_id,label,frame1\ns1,1,frames/a.png\n');
    await expect(readDataset(dir)).rejects.toThrow(/frame2, frame3/);
  });
});
