import { parseCsv } from '../core/dataset/csv.js';
import { lwError } from '../core/errors.js';
import { MAX_STRING_BYTES } from '../core/protocol.js';
import type { RosterEntry } from './store/types.js';

/** Header spellings accepted for each roster column (compared lower-cased, spaces/dashes as underscores). */
const COLUMN_ALIASES: Record<keyof RosterEntry, string[]> = {
  name: ['name', 'first_name', 'given_name'],
  surname: ['surname', 'last_name', 'family_name'],
  studentId: ['student_id', 'studentid', 'id'],
};

const normalise = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * Parse a roster CSV (name, surname, student_id). Every bad row is reported at
 * once with its line number, so an instructor fixes the file in one pass.
 */
export function parseRoster(text: string, file = 'roster.csv'): RosterEntry[] {
  const records = parseCsv(text);
  const header = records.shift();
  const columns = (header?.fields ?? []).map(normalise);
  const index: Partial<Record<keyof RosterEntry, number>> = {};
  const missing: string[] = [];
  for (const [key, aliases] of Object.entries(COLUMN_ALIASES) as [keyof RosterEntry, string[]][]) {
    const i = columns.findIndex((c) => aliases.includes(c));
    if (i < 0) missing.push(aliases[0]);
    else index[key] = i;
  }
  if (missing.length > 0) throw lwError('LABWATCH_ERR_ROSTER_MISSING_COLUMN', { file, columns: missing.join(', ') });

  const problems: string[] = [];
  const seen = new Map<string, number>();
  const roster: RosterEntry[] = [];
  for (const { line, fields } of records) {
    const bad = (p: string) => problems.push(`  ${file} line ${line}: ${p}`);
    if (fields.length !== columns.length) { bad(`has ${fields.length} fields, the header has ${columns.length}`); continue; }
    const entry: RosterEntry = {
      name: fields[index.name!].trim(),
      surname: fields[index.surname!].trim(),
      studentId: fields[index.studentId!].trim(),
    };
    let ok = true;
    for (const [key, field] of [['name', 'name'], ['surname', 'surname'], ['studentId', 'studentId']] as const) {
      const label = key === 'studentId' ? 'student ID' : key;
      if (entry[key] === '') { bad(`${label} is empty`); ok = false; }
      else if (Buffer.byteLength(entry[key]) > MAX_STRING_BYTES[field]) { bad(`${label} is longer than ${MAX_STRING_BYTES[field]} bytes`); ok = false; }
    }
    if (entry.studentId !== '') {
      const first = seen.get(entry.studentId);
      if (first !== undefined) { bad(`student ID "${entry.studentId}" duplicates line ${first}`); ok = false; }
      else seen.set(entry.studentId, line);
    }
    if (ok) roster.push(entry);
  }
  if (records.length === 0) problems.push(`  ${file}: no students (only a header)`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 50);
    if (problems.length > 50) shown.push(`  ... and ${problems.length - 50} more`);
    throw lwError('LABWATCH_ERR_ROSTER_INVALID', { count: problems.length, problems: shown.join('\n') });
  }
  return roster;
}
