import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTrainStepReport, runTrainStepBench } from './train-step.js';

describe('runTrainStepBench', () => {
  it('times training steps of the shipped model\'s configuration and reports the median', async () => {
    const report = await runTrainStepBench({ config: 'models/screen/metadata.json', steps: 1, reps: 3 });
    expect(report.backend).toBe('wasm');
    expect(report.parameters).toBe(120_881);
    expect(report.batchSize).toBe(32);
    expect(report.repetitions).toHaveLength(3);
    expect([...report.repetitions].sort((a, b) => a - b)[1]).toBeCloseTo(report.msPerStep, 0);
    expect(report.sequencesPerSecond).toBe(Math.round((1000 * 32) / report.msPerStep));
    expect(formatTrainStepReport(report)).toContain('ms per step');
  });

  it('reads a --config file and says what is wrong with a bad one', async () => {
    const report = await runTrainStepBench({ config: 'training/configs/fast-3x8.json', steps: 1, reps: 1 });
    expect(report.msPerStep).toBeGreaterThan(0);
    const dir = await mkdtemp(path.join(tmpdir(), 'lw-train-step-'));
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ optimizer: 'sgd', batchSize: 0 }));
    await expect(runTrainStepBench({ config: bad, steps: 1, reps: 1 })).rejects.toThrow(/optimizer "sgd".*batchSize 0/);
    await rm(dir, { recursive: true });
  });
});
