import { describe, expect, it } from 'vitest';
import { isLabwatchError } from '../../core/errors.js';
import { parseDemoOptions } from './cli.js';

const defaults = { students: '30', data: './data/demo', seed: '1', poolSessions: '6', poolClip: '25' };

describe('labwatch demo options', () => {
  it('takes the defaults: 30 students on port 8080, the shipped model', () => {
    const o = parseDemoOptions(defaults);
    expect(o).toMatchObject({ students: 30, port: 8080, headless: false, scorePool: false, wholeDesktop: false, poolSessions: 6, poolClipFrames: 25 });
    expect(o.modelDir).toBeUndefined();
  });

  it('accepts --whole-desktop with --score-pool', () => {
    expect(parseDemoOptions({ ...defaults, scorePool: true, wholeDesktop: true })).toMatchObject({ scorePool: true, wholeDesktop: true });
  });

  it('lists every problem at once, --whole-desktop without --score-pool among them', () => {
    let err: unknown;
    try {
      parseDemoOptions({ ...defaults, students: '0', alertThreshold: '1.5', headless: true, wholeDesktop: true });
    } catch (e) {
      err = e;
    }
    expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
    const message = String((err as Error).message);
    expect(message).toContain('--students "0" must be an integer from 1 to 2000');
    expect(message).toContain('--alert-threshold "1.5" must be a probability from 0 to 1');
    expect(message).toContain('--headless needs --duration <seconds>');
    expect(message).toContain('--whole-desktop goes with --score-pool');
  });
});
