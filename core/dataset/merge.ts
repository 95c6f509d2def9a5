import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { lwError } from '../errors.js';
import { readDataset, writeManifest, type SequenceRow } from './manifest.js';

export interface MergeSummary {
  out: string;
  inputs: { dir: string; prefix: string; sequences: number }[];
  sequences: number;
  linkedFrames: number;
  copiedFrames: number;
}

/**
 * Merge datasets into a new folder. Each input gets a prefix (its folder name,
 * made unique); frames go to frames/<prefix>/<original path> (hard link when on
 * the same file system, else a copy); `sequence_id` and `session_id` are
 * prefixed so they stay unique; `source` keeps its value or becomes the prefix.
 * Every input is fully read and validated before anything is written.
 */
export async function mergeDatasets(out: string, inputs: string[]): Promise<MergeSummary> {
  if (inputs.length === 0) throw lwError('LABWATCH_ERR_DATASET_MERGE_CONFLICT', { out, reason: 'no input datasets were given' });
  if (existsSync(out) && (await readdir(out)).length > 0) throw lwError('LABWATCH_ERR_DATASET_MERGE_CONFLICT', { out, reason: 'the folder exists and is not empty' });
  const outAbs = path.resolve(out);
  for (const dir of inputs) {
    if (path.resolve(dir) === outAbs) throw lwError('LABWATCH_ERR_DATASET_MERGE_CONFLICT', { out, reason: `${dir} is also an input` });
  }
  const datasets = await Promise.all(inputs.map((dir) => readDataset(dir)));
  const used = new Set<string>();
  const prefixes = inputs.map((dir) => {
    const base = (path.basename(path.resolve(dir)) || 'dataset').replace(/[^A-Za-z0-9._-]/g, '_');
    let p = base;
    for (let i = 2; used.has(p); i++) p = `${base}-${i}`;
    used.add(p);
    return p;
  });

  await mkdir(out, { recursive: true });
  const rows: SequenceRow[] = [];
  const columns: string[] = [];
  const summary: MergeSummary = { out, inputs: [], sequences: 0, linkedFrames: 0, copiedFrames: 0 };
  for (let d = 0; d < datasets.length; d++) {
    const ds = datasets[d];
    const prefix = prefixes[d];
    for (const c of ds.extraColumns) if (!columns.includes(c)) columns.push(c);
    const placed = new Map<string, string>();
    for (const f of new Set(ds.rows.flatMap((r) => r.frames))) {
      const rel = path.posix.join('frames', prefix, f.replace(/\\/g, '/'));
      const target = path.join(out, rel);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await link(path.join(ds.dir, f), target);
        summary.linkedFrames++;
      } catch {
        await copyFile(path.join(ds.dir, f), target);
        summary.copiedFrames++;
      }
      placed.set(f, rel);
    }
    for (const r of ds.rows) {
      const extra = { ...r.extra };
      extra.source = extra.source?.trim() ? extra.source : prefix;
      if (extra.session_id?.trim()) extra.session_id = `${prefix}:${extra.session_id}`;
      rows.push({
        sequenceId: `${prefix}:${r.sequenceId}`,
        label: r.label,
        frames: r.frames.map((f) => placed.get(f)!) as [string, string, string],
        extra,
        line: 0,
      });
    }
    summary.inputs.push({ dir: ds.dir, prefix, sequences: ds.rows.length });
  }
  if (!columns.includes('source')) columns.push('source');
  await writeManifest(out, rows, columns);
  summary.sequences = rows.length;
  return summary;
}
