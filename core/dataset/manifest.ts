import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lwError } from '../errors.js';
import { formatCsv, parseCsv } from './csv.js';

/** Dataset format v1: see docs/dataset-format.md (a copy of shared/dataset-format.md). */
export const MANIFEST_FILE = 'manifest.csv';
export const REQUIRED_COLUMNS = ['sequence_id', 'label', 'frame1', 'frame2', 'frame3'] as const;
export const OPTIONAL_COLUMNS = ['student_id', 'captured_at', 'source', 'split'] as const;
export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];
export type Label = 0 | 1;

export interface SequenceRow {
  sequenceId: string;
  label: Label;
  /** Paths relative to the dataset folder, oldest first. */
  frames: [string, string, string];
  /** Every other column (optional and unknown ones), kept verbatim. */
  extra: Record<string, string>;
  /** 1-based line of the row in manifest.csv (0 for rows not read from a file). */
  line: number;
}

export interface Dataset {
  dir: string;
  rows: SequenceRow[];
  /** Extra columns in their original order, so a rewrite keeps them. */
  extraColumns: string[];
}

export interface ReadOptions {
  /** Check that every frame file exists (default true). */
  checkFiles?: boolean;
}

/**
 * Read and validate DATASET/manifest.csv. Every problem is collected and reported
 * together, each naming its line, so a TA can fix a file in one pass.
 */
export async function readDataset(dir: string, options: ReadOptions = {}): Promise<Dataset> {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) throw lwError('LABWATCH_ERR_DATASET_NO_MANIFEST', { dir });
  const records = parseCsv(await readFile(file, 'utf8'));
  const header = records.shift();
  const columns = header?.fields.map((c) => c.trim()) ?? [];
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw lwError('LABWATCH_ERR_DATASET_MISSING_COLUMN', { file, columns: missing.join(', ') });

  const index = Object.fromEntries(columns.map((c, i) => [c, i]));
  const extraColumns = columns.filter((c) => !(REQUIRED_COLUMNS as readonly string[]).includes(c));
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const rows: SequenceRow[] = [];
  const checkFiles = options.checkFiles ?? true;

  for (const { line, fields } of records) {
    const bad = (problem: string) => problems.push(`line ${line}: ${problem}`);
    if (fields.length !== columns.length) {
      bad(`has ${fields.length} fields, the header has ${columns.length}`);
      continue;
    }
    const get = (c: string) => fields[index[c]];
    const sequenceId = get('sequence_id').trim();
    const labelText = get('label').trim();
    const frames = [get('frame1'), get('frame2'), get('frame3')].map((f) => f.trim()) as [string, string, string];
    let ok = true;
    if (sequenceId === '') { bad('sequence_id is empty'); ok = false; }
    else if (seen.has(sequenceId)) { bad(`sequence_id "${sequenceId}" duplicates line ${seen.get(sequenceId)}`); ok = false; }
    else seen.set(sequenceId, line);
    if (labelText !== '0' && labelText !== '1') { bad(`label is "${labelText}", expected 0 or 1`); ok = false; }
    frames.forEach((f, i) => {
      if (f === '') { bad(`frame${i + 1} is empty`); ok = false; }
      else if (path.isAbsolute(f) || f.split(/[\\/]/).includes('..')) { bad(`frame${i + 1} "${f}" must be a path inside the dataset folder`); ok = false; }
      else if (checkFiles && !existsSync(path.join(dir, f))) { bad(`frame${i + 1} file "${f}" does not exist`); ok = false; }
    });
    const split = index.split === undefined ? '' : get('split').trim();
    if (split !== '' && !(SPLITS as readonly string[]).includes(split)) { bad(`split is "${split}", expected train, validation or test`); ok = false; }
    if (!ok) continue;
    const extra: Record<string, string> = {};
    for (const c of extraColumns) extra[c] = get(c);
    rows.push({ sequenceId, label: labelText === '1' ? 1 : 0, frames, extra, line });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 50).map((p) => `  ${MANIFEST_FILE} ${p}`);
    if (problems.length > 50) shown.push(`  ... and ${problems.length - 50} more`);
    throw lwError('LABWATCH_ERR_DATASET_INVALID', { dir, count: problems.length, problems: shown.join('\n') });
  }
  return { dir, rows, extraColumns };
}

/** Write manifest.csv atomically (temp file + rename), keeping extra columns. */
export async function writeManifest(dir: string, rows: SequenceRow[], extraColumns?: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const extras = extraColumns ?? [...new Set(rows.flatMap((r) => Object.keys(r.extra)))];
  const header = [...REQUIRED_COLUMNS, ...extras];
  const body = rows.map((r) => [r.sequenceId, String(r.label), ...r.frames, ...extras.map((c) => r.extra[c] ?? '')]);
  const file = path.join(dir, MANIFEST_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, formatCsv(header, body));
  await rename(tmp, file);
}

/** Absolute paths of a row's frames. */
export function framePaths(dataset: Pick<Dataset, 'dir'>, row: SequenceRow): [string, string, string] {
  return row.frames.map((f) => path.join(dataset.dir, f)) as [string, string, string];
}
