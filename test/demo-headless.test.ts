import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { initBackend } from '../models/backend.js';
import { saveScreenModel } from '../models/model-io.js';
import { buildScreenClassifier, DEFAULT_ARGS } from '../models/screen-classifier.js';

/**
 * `labwatch demo --headless --json` from the built CLI, as a user runs it: real
 * assistant, real agents over WebSockets, synthetic screens. A small frame pool
 * (1 session, 6-frame clips) keeps the one-time rendering short. The figures
 * checked here are about the plumbing (frames, windows, latency), not the
 * model's quality, so the test runs on a freshly built (untrained) model of
 * the shipped architecture and does not depend on models/screen.
 */
const cli = path.join(packageRoot(), 'dist', 'cli', 'labwatch.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'lw-demo-test-'));
const modelDir = path.join(dataDir, 'model');
beforeAll(async () => {
  await initBackend({ log: () => undefined });
  const model = buildScreenClassifier({});
  await saveScreenModel(modelDir, model, { architecture: DEFAULT_ARGS, threshold: 0.5, metrics: {}, training: {}, reproduce: 'test/demo-headless.test.ts' });
  model.dispose();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runDemo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'demo', ...args], { timeout: 110_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('labwatch demo --headless', () => {
  it('prints exactly one JSON object with sane figures', async () => {
    const { code, stdout, stderr } = await runDemo([
      '--headless', '--students', '5', '--duration', '15', '--json', '--data', dataDir, '--pool-sessions', '1', '--pool-clip', '6', '--seed', 't1', '--model', modelDir,
    ]);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]);
    expect(r.students).toBe(5);
    // ~15 captures per student, every one delivered and acknowledged
    expect(r.frames.sent).toBeGreaterThanOrEqual(5 * 12);
    expect(r.frames.received).toBe(r.frames.sent);
    expect(r.frames.acknowledged).toBe(r.frames.sent);
    expect(r.frames.lost).toBe(0);
    // a window per frame once a student has three
    expect(r.windows_classified).toBeGreaterThanOrEqual(r.frames.received - 2 * 5);
    expect(r.windows_classified).toBeLessThanOrEqual(r.frames.received);
    expect(r.episodes.alerted + r.episodes.missed).toBe(r.episodes.simulated);
    expect(r.alerts_during_permitted_work).toBeLessThanOrEqual(r.alerts_raised);
    expect(r.latency_ms.capture_to_verdict_median).toBeGreaterThan(0);
    expect(r.latency_ms.capture_to_verdict_p99).toBeGreaterThanOrEqual(r.latency_ms.capture_to_verdict_median);
    expect(typeof r.model).toBe('string');
    expect(stderr).toMatch(/username: instructor/);
  });
});
