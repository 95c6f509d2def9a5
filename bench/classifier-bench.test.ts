import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { parseBenchArgs } from './bench-args.js';
import { formatReport, measure, median, runClassifierBench } from './classifier-bench.js';

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(path.join(tmpdir(), 'lw-bench-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

describe('runClassifierBench', () => {
  it('measures every method and batch, and says when no trained model was found', async () => {
    const report = await runClassifierBench({ modelDir: empty, batchSizes: [1, 4], warmupMs: 20, repMs: 20, reps: 3 });
    expect(report.backend).toBe('wasm');
    expect(report.wasmThreads).toBe(false);
    expect(report.model.source).toBe('random-default');
    expect(report.rows.map((r) => `${r.method}/${r.batch}`)).toEqual([
      'full-conv3d/1', 'full-conv3d/4', 'full-conv2d/1', 'full-conv2d/4', 'incremental/1', 'incremental/4',
    ]);
    for (const row of report.rows) {
      expect(row.repetitions).toHaveLength(3);
      expect(row.framesPerSecond).toBeGreaterThan(0);
      expect(row.framesPerCpuSecond).toBeGreaterThan(0);
    }
    const table = formatReport(report);
    expect(table).toContain('NOT TRAINED');
    expect(table).toContain('threads off: one core');
    expect(table).toMatch(/incremental\s+\d+\s+\d+/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('measure', () => {
  it('warms up first, then reports one rate per repetition', () => {
    let calls = 0;
    const reps = measure(() => { calls++; const end = performance.now() + 2; while (performance.now() < end); }, 10, { warmupMs: 10, repMs: 10, reps: 4 });
    expect(reps).toHaveLength(4);
    expect(calls).toBeGreaterThanOrEqual(4 + 1);
    // 10 frames per >= 2 ms step: at most ~5,000 frames per second.
    for (const r of reps) expect(r.wallFps).toBeLessThanOrEqual(5_100);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('parseBenchArgs', () => {
  it('lists every bad option at once', () => {
    try {
      parseBenchArgs(['--batches', '1,0', '--methods', 'full-conv3d,magic', '--warmup-ms', '100', '--reps', 'x']);
      expect.unreachable();
    } catch (err) {
      expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
      const message = (err as Error).message;
      for (const bad of ['--batches 0', '--methods magic', '--warmup-ms 100', '--reps x']) expect(message).toContain(bad);
    }
  });

  it('defaults to batches 1,16,64,256, all methods and a 0.5 s warm-up', () => {
    const options = parseBenchArgs(['--json']);
    expect(options).toMatchObject({ json: true, batchSizes: [1, 16, 64, 256], methods: ['full-conv3d', 'full-conv2d', 'incremental'], warmupMs: 500, reps: 5 });
  });
});
