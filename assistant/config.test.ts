import { describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { readServeConfig } from './config.js';

describe('serve configuration', () => {
  it('takes options over environment variables over defaults', () => {
    const c = readServeConfig({ port: '9000' }, { LABWATCH_PORT: '7000', LABWATCH_HOST: '10.8.0.1', LABWATCH_BATCH_SIZE: '32', LABWATCH_SECURE_COOKIES: 'true' });
    expect(c).toMatchObject({ port: 9000, host: '10.8.0.1', batchSize: 32, batchDeadlineMs: 50, silentAfterMs: 10_000, secureCookies: true });
    expect(readServeConfig({}, {})).toMatchObject({ host: '127.0.0.1', port: 8080, modelDir: undefined, alertThreshold: undefined });
    expect(readServeConfig({ alertThreshold: '0.8' }, { LABWATCH_ALERT_THRESHOLD: '0.5' }).alertThreshold).toBe(0.8);
    expect(readServeConfig({}, { LABWATCH_ALERT_THRESHOLD: '0.5' }).alertThreshold).toBe(0.5);
    expect(readServeConfig({}, {}).confirmWindows).toBe(2);
    expect(readServeConfig({ confirmWindows: '1' }, { LABWATCH_CONFIRM_WINDOWS: '3' }).confirmWindows).toBe(1);
  });

  it('lists every problem with the option or variable that caused it', () => {
    try {
      readServeConfig({ port: 'x', silentAfterMs: '5', alertThreshold: '1.5' }, { LABWATCH_BATCH_DEADLINE_MS: '-1', LABWATCH_MODEL_DIR: '/nowhere', LABWATCH_CONFIRM_WINDOWS: '9' });
      expect.unreachable();
    } catch (err) {
      expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
      const msg = (err as Error).message;
      expect(msg).toContain('--port: "x"');
      expect(msg).toContain('--silent-after-ms: "5"');
      expect(msg).toContain('--alert-threshold: "1.5" is not a probability');
      expect(msg).toContain('LABWATCH_BATCH_DEADLINE_MS: "-1"');
      expect(msg).toContain('LABWATCH_MODEL_DIR: no model.json in /nowhere');
      expect(msg).toContain('LABWATCH_CONFIRM_WINDOWS: "9" is not an integer from 1 to 5');
    }
  });
});
