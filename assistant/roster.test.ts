import { describe, expect, it } from 'vitest';
import { LabwatchError } from '../core/errors.js';
import { parseRoster } from './roster.js';

function problemsOf(text: string): string {
  try {
    parseRoster(text);
  } catch (err) {
    expect(err).toBeInstanceOf(LabwatchError);
    return `${(err as LabwatchError).code}\n${(err as LabwatchError).message}`;
  }
  throw new Error('expected an error');
}

describe('roster CSV', () => {
  it('reads the header variants in any order', () => {
    expect(parseRoster('Student ID,Surname,Name\nS1,Lovelace,Ada\n"S,2","O\'Neil, Jr",Bob\n')).toEqual([
      { studentId: 'S1', surname: 'Lovelace', name: 'Ada' },
      { studentId: 'S,2', surname: "O'Neil, Jr", name: 'Bob' },
    ]);
    expect(parseRoster('\ufeffid,name,surname\r\n7,A,B\r\n')).toEqual([{ studentId: '7', name: 'A', surname: 'B' }]);
  });

  it('names a missing column', () => {
    expect(problemsOf('name,student_id\nA,1\n')).toMatch(/LABWATCH_ERR_ROSTER_MISSING_COLUMN[\s\S]*surname/);
  });

  it('lists every bad row with its line number', () => {
    const msg = problemsOf('name,surname,student_id\nA,B,1\n,C,2\nD,E,1\nF,G\nH,I,\n');
    expect(msg).toContain('LABWATCH_ERR_ROSTER_INVALID');
    expect(msg).toContain('line 3: name is empty');
    expect(msg).toContain('line 4: student ID "1" duplicates line 2');
    expect(msg).toContain('line 5: has 2 fields');
    expect(msg).toContain('line 6: student ID is empty');
  });

  it('refuses a roster with no students', () => {
    expect(problemsOf('name,surname,student_id\n')).toContain('no students');
  });
});
