import { existsSync } from 'node:fs';
import path from 'node:path';
import { lwError } from '../core/errors.js';
import { DEFAULT_CONFIRM_WINDOWS, MAX_CONFIRM_WINDOWS } from './alert-rule.js';
import { DEFAULTS } from './assistant-defaults.js';

/**
 * The one place the assistant reads environment variables. Command-line options
 * win over environment variables, which win over defaults. Everything is checked
 * once, at start-up, and every problem is reported together.
 */
export const ENV = {
  dataDir: 'LABWATCH_DATA_DIR',
  host: 'LABWATCH_HOST',
  port: 'LABWATCH_PORT',
  modelDir: 'LABWATCH_MODEL_DIR',
  batchSize: 'LABWATCH_BATCH_SIZE',
  batchDeadlineMs: 'LABWATCH_BATCH_DEADLINE_MS',
  silentAfterMs: 'LABWATCH_SILENT_AFTER_MS',
  alertThreshold: 'LABWATCH_ALERT_THRESHOLD',
  confirmWindows: 'LABWATCH_CONFIRM_WINDOWS',
  secureCookies: 'LABWATCH_SECURE_COOKIES',
} as const;

export const DEFAULT_DATA_DIR = 'data';

/** The `labwatch serve` option of each setting, to name it in error messages. */
const CLI_FLAGS: Record<keyof typeof ENV, string> = {
  dataDir: '--data',
  host: '--host',
  port: '--port',
  modelDir: '--model',
  batchSize: '--batch-size',
  batchDeadlineMs: '--batch-deadline-ms',
  silentAfterMs: '--silent-after-ms',
  alertThreshold: '--alert-threshold',
  confirmWindows: '--confirm-windows',
  secureCookies: '--secure-cookies',
};

export interface ServeConfig {
  dataDir: string;
  host: string;
  port: number;
  modelDir?: string;
  batchSize: number;
  batchDeadlineMs: number;
  silentAfterMs: number;
  /** Undefined: the model's own alert threshold. */
  alertThreshold?: number;
  confirmWindows: number;
  secureCookies: boolean;
}

/** Raw values as commander gives them (strings, or booleans for flags). */
export type RawOptions = Partial<Record<keyof ServeConfig, string | boolean | undefined>>;

type Env = Record<string, string | undefined>;

class Checker {
  readonly problems: string[] = [];
  constructor(private readonly cli: RawOptions, private readonly env: Env) {}

  raw(key: keyof typeof ENV): { value: string | boolean | undefined; from: string } {
    const v = this.cli[key];
    if (v !== undefined) return { value: v, from: CLI_FLAGS[key] };
    return { value: this.env[ENV[key]], from: ENV[key] };
  }

  int(key: keyof typeof ENV, fallback: number, min: number, max: number): number {
    const { value, from } = this.raw(key);
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`  ${from}: "${String(value)}" is not an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  probability(key: keyof typeof ENV): number | undefined {
    const { value, from } = this.raw(key);
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (typeof value !== 'string' || !Number.isFinite(n) || n < 0 || n > 1) {
      this.problems.push(`  ${from}: "${String(value)}" is not a probability from 0 to 1`);
      return undefined;
    }
    return n;
  }

  text(key: keyof typeof ENV, fallback: string | undefined): string | undefined {
    const { value, from } = this.raw(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      this.problems.push(`  ${from}: must not be empty`);
      return fallback;
    }
    return value;
  }

  flag(key: keyof typeof ENV): boolean {
    const { value, from } = this.raw(key);
    if (value === undefined || value === false || value === '' || value === '0' || value === 'false') return false;
    if (value === true || value === '1' || value === 'true') return true;
    this.problems.push(`  ${from}: "${String(value)}" is not true/false`);
    return false;
  }

  fail(): void {
    if (this.problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: this.problems.join('\n') });
  }
}

/** The data folder for commands that only need the database (exam create, instructor add). */
export function readDataDir(cli: RawOptions, env: Env = process.env): string {
  const c = new Checker(cli, env);
  const dir = c.text('dataDir', DEFAULT_DATA_DIR)!;
  c.fail();
  return path.resolve(dir);
}

export function readServeConfig(cli: RawOptions, env: Env = process.env): ServeConfig {
  const c = new Checker(cli, env);
  const dataDir = path.resolve(c.text('dataDir', DEFAULT_DATA_DIR)!);
  const host = c.text('host', DEFAULTS.host)!;
  const port = c.int('port', DEFAULTS.port, 0, 65_535);
  const modelDir = c.text('modelDir', undefined);
  if (modelDir !== undefined && !existsSync(path.join(modelDir, 'model.json'))) {
    c.problems.push(`  ${c.raw('modelDir').from}: no model.json in ${modelDir} (give a model folder, or leave it out for the shipped models/screen)`);
  }
  const config: ServeConfig = {
    dataDir,
    host,
    port,
    modelDir: modelDir === undefined ? undefined : path.resolve(modelDir),
    batchSize: c.int('batchSize', DEFAULTS.batchSize, 1, 4096),
    batchDeadlineMs: c.int('batchDeadlineMs', DEFAULTS.batchDeadlineMs, 1, 5000),
    silentAfterMs: c.int('silentAfterMs', DEFAULTS.silentAfterMs, 1000, 3_600_000),
    alertThreshold: c.probability('alertThreshold'),
    confirmWindows: c.int('confirmWindows', DEFAULT_CONFIRM_WINDOWS, 1, MAX_CONFIRM_WINDOWS),
    secureCookies: c.flag('secureCookies'),
  };
  c.fail();
  return config;
}
