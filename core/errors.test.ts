import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, lwError, isLabwatchError } from './errors.js';

describe('error registry', () => {
  it('fills placeholders and keeps the code', () => {
    const err = lwError('LABWATCH_ERR_DATASET_BAD_ROW', { file: 'm.csv', line: 7, problem: 'label is "x"' });
    expect(err.message).toBe('m.csv line 7: label is "x". Fix or remove that row.');
    expect(isLabwatchError(err, 'LABWATCH_ERR_DATASET_BAD_ROW')).toBe(true);
  });

  it('uses the LABWATCH_ERR_<AREA>_<WHAT> naming', () => {
    for (const code of Object.keys(ERROR_MESSAGES)) expect(code).toMatch(/^LABWATCH_ERR_[A-Z]+_[A-Z0-9_]+$/);
  });

  it('documents every code in docs/errors.md', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const missing = Object.keys(ERROR_MESSAGES).filter((code) => !doc.includes(code));
    expect(missing).toEqual([]);
  });
});
