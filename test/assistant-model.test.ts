import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiAlert } from '../assistant/api-views.js';
import { buildAssistant, type Assistant } from '../assistant/assistant.js';
import { initBackend } from '../models/backend.js';
import { IncrementalClassifier } from '../models/incremental-classifier.js';
import { saveScreenModel } from '../models/model-io.js';
import { buildScreenClassifier, type ScreenClassifierArgs } from '../models/screen-classifier.js';
import { BLACK, TestAgent, WHITE, until } from './helpers/assistant-fixture.js';

/**
 * End to end with a real model folder: a small random CNN+RNN saved with
 * model-io, loaded by the assistant through IncrementalClassifier. Its threshold
 * is set between the scores of all-black and all-white windows, so the test
 * knows which frames the model calls suspicious.
 */
let root: string;
let assistant: Assistant;
let wsUrl: string;
let low: Uint8Array;
let high: Uint8Array;
let alertModelDir: string;

beforeAll(async () => {
  await initBackend({ log: () => undefined });
  root = await mkdtemp(path.join(tmpdir(), 'lw-assistant-model-'));
  const modelDir = path.join(root, 'model');
  const args: Partial<ScreenClassifierArgs> = { convLayers: 1, firstFilters: 4, rnnUnits: 16, denseLayers: 0 };
  const model = buildScreenClassifier(args, { seed: 11 });
  const meta = { architecture: args as ScreenClassifierArgs, metrics: {}, training: {}, reproduce: 'test' };
  await saveScreenModel(modelDir, model, { ...meta, threshold: 0.5 });
  const probe = await IncrementalClassifier.load(modelDir);
  const [black, white] = probe.scoreSequences([[BLACK, BLACK, BLACK], [WHITE, WHITE, WHITE]]);
  expect(Math.abs(black - white)).toBeGreaterThan(1e-4);
  [low, high] = black < white ? [BLACK, WHITE] : [WHITE, BLACK];
  await saveScreenModel(modelDir, model, { ...meta, threshold: (black + white) / 2 });
  // Same weights, but the F2 threshold calls everything prohibited: only the alert threshold separates the two screens.
  alertModelDir = path.join(root, 'model-alert');
  const alert = { threshold: (black + white) / 2, minPrecision: 0.9, validation: { precision: 0.9, recall: 0.8, f2: 0.82 }, floorReached: true };
  await saveScreenModel(alertModelDir, model, { ...meta, threshold: 0, alert });
  model.dispose();

  assistant = await buildAssistant({ dataDir: path.join(root, 'data'), modelDir, port: 0, batchDeadlineMs: 20, logger: () => undefined });
  wsUrl = (await assistant.listen()).url.replace(/^http/, 'ws');
});
afterAll(async () => {
  await assistant?.close();
  await rm(root, { recursive: true, force: true });
});

describe('assistant with a real model folder', () => {
  it('classifies streamed frames and raises one alert for one suspicious run', async () => {
    const { tokens } = assistant.createExam('Model exam', [{ name: 'N', surname: 'S', studentId: 'X' }]);
    const alerts: ApiAlert[] = [];
    const verdicts: boolean[] = [];
    assistant.events.on('alert', (a: ApiAlert) => alerts.push(a));
    assistant.events.on('verdict', (v: { suspicious: boolean }) => verdicts.push(v.suspicious));
    const agent = await TestAgent.connect(wsUrl, tokens[0].token);
    const stream = [low, low, low, low, high, high, high, high];
    stream.forEach((rgb, i) => agent.frame(i + 1, rgb));
    await agent.ackedUpTo(stream.length);
    await until(() => verdicts.length === stream.length - 2);
    expect(verdicts.slice(0, 2)).toEqual([false, false]);
    expect(verdicts[verdicts.length - 1]).toBe(true);
    // one alert per run of suspicious windows (mixed windows may flip either way with a random model)
    const runs = verdicts.filter((v, i) => v && !(i > 0 && verdicts[i - 1])).length;
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(alerts.filter((a) => a.kind === 'suspicious')).toHaveLength(runs);
    expect((await agent.next('evidence-request')).seqs).toHaveLength(3);
    agent.close();
  });
});

describe('alert threshold', () => {
  async function verdictsOf(options: { modelDir: string; alertThreshold?: number }): Promise<boolean[]> {
    const a = await buildAssistant({ dataDir: path.join(root, `data-${Math.random().toString(36).slice(2)}`), port: 0, batchDeadlineMs: 20, logger: () => undefined, ...options });
    try {
      const url = (await a.listen()).url.replace(/^http/, 'ws');
      const { tokens } = a.createExam('Threshold exam', [{ name: 'N', surname: 'S', studentId: 'X' }]);
      const verdicts: boolean[] = [];
      a.events.on('verdict', (v: { suspicious: boolean }) => verdicts.push(v.suspicious));
      const agent = await TestAgent.connect(url, tokens[0].token);
      const stream = [low, low, low, high, high, high];
      stream.forEach((rgb, i) => agent.frame(i + 1, rgb));
      await agent.ackedUpTo(stream.length);
      await until(() => verdicts.length === stream.length - 2);
      agent.close();
      return verdicts;
    } finally {
      await a.close();
    }
  }

  it("alerts at the model's alert threshold (metadata.json alert.threshold), not at its F2 threshold", async () => {
    const v = await verdictsOf({ modelDir: alertModelDir });
    expect(v[0]).toBe(false); // all-low window: under the alert threshold although over the F2 threshold (0)
    expect(v[v.length - 1]).toBe(true);
  });

  it('lets the operator override it (labwatch serve --alert-threshold)', async () => {
    expect(await verdictsOf({ modelDir: alertModelDir, alertThreshold: 1 })).toEqual([false, false, false, false]);
  });
});
