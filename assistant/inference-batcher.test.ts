import { describe, expect, it } from 'vitest';
import { FRAME_BYTES } from '../core/protocol.js';
import type { WindowClassifier } from './classifier.js';
import { InferenceBatcher, type WindowResult } from './inference-batcher.js';

/** Feature = the frame's first byte; score = mean of the window's features / 255. Counts calls. */
function countingClassifier() {
  const calls = { embedded: [] as number[], embedCalls: 0, scoreCalls: 0 };
  const clf: WindowClassifier<number> = {
    threshold: 0.5,
    embedFrames: (frames) => { calls.embedCalls++; calls.embedded.push(...frames.map((f) => f[0])); return frames.map((f) => f[0]); },
    scoreWindows: (ws) => { calls.scoreCalls++; return Float32Array.from(ws.map((w) => (w[0] + w[1] + w[2]) / 765)); },
  };
  return { clf, calls };
}

/** A frame whose views (monitors) are filled with `values`, one each. */
const views = (...values: number[]) => {
  const rgb = new Uint8Array(values.length * FRAME_BYTES);
  values.forEach((v, i) => rgb.fill(v, i * FRAME_BYTES, (i + 1) * FRAME_BYTES));
  return rgb;
};
const frame = (seq: number, value = seq) => ({ seq, capturedAt: seq * 1000, rgb: views(value) });

function setup(batchSize: number, deadlineMs: number) {
  const { clf, calls } = countingClassifier();
  const results: WindowResult[] = [];
  const batcher = new InferenceBatcher({ classifier: clf, batchSize, deadlineMs, now: Date.now, onResults: (r) => results.push(...r), onError: (e) => { throw e; } });
  return { batcher, calls, results };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InferenceBatcher', () => {
  it('runs a full batch at once, without waiting for the deadline', async () => {
    const { batcher, calls, results } = setup(4, 10_000);
    for (let s = 1; s <= 4; s++) batcher.push('a', frame(s));
    await settle(20);
    expect(calls.embedCalls).toBe(1);
    expect(results.map((r) => r.frames.map((f) => f.seq))).toEqual([[1, 2, 3], [2, 3, 4]]);
    await batcher.close();
  });

  it('runs a partial batch when the deadline passes', async () => {
    const { batcher, calls } = setup(64, 30);
    batcher.push('a', frame(1));
    await settle(10);
    expect(calls.embedCalls).toBe(0);
    await settle(60);
    expect(calls.embedCalls).toBe(1);
    await batcher.close();
  });

  it('embeds every frame once and keeps separate sliding windows per student across batches', async () => {
    const { batcher, calls, results } = setup(3, 5);
    for (let s = 1; s <= 5; s++) { batcher.push('a', frame(s, s)); batcher.push('b', frame(s, 100 + s)); }
    await settle(80);
    expect(calls.embedded.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 101, 102, 103, 104, 105]);
    const windows = (key: string) => results.filter((r) => r.key === key).map((r) => r.frames.map((f) => f.rgb[0]));
    expect(windows('a')).toEqual([[1, 2, 3], [2, 3, 4], [3, 4, 5]]);
    expect(windows('b')).toEqual([[101, 102, 103], [102, 103, 104], [103, 104, 105]]);
    expect(results.find((r) => r.key === 'b')!.score).toBeCloseTo((101 + 102 + 103) / 765);
    await batcher.close();
  });

  it('reports the largest capture gap of a window', async () => {
    const { batcher, results } = setup(3, 5);
    batcher.push('a', { seq: 1, capturedAt: 0, rgb: views(0) });
    batcher.push('a', { seq: 2, capturedAt: 1000, rgb: views(0) });
    batcher.push('a', { seq: 5, capturedAt: 4000, rgb: views(0) });
    await settle(30);
    expect(results[0].maxGapMs).toBe(3000);
    await batcher.close();
  });

  it('scores each monitor on its own and takes the highest as the verdict', async () => {
    const { batcher, calls, results } = setup(3, 5);
    // monitor 1: an IDE-like 0; monitor 2: a 'chat' of 255 from the second frame on
    [views(0, 0), views(0, 255), views(0, 255), views(0, 255)].forEach((rgb, i) => batcher.push('a', { seq: i + 1, capturedAt: i * 1000, rgb }));
    await settle(40);
    expect(calls.embedded).toHaveLength(8);
    expect(results.map((r) => r.viewScores.map((x) => Number(x.toFixed(3))))).toEqual([[0, 0.667], [0, 1]]);
    expect(results.map((r) => Number(r.score.toFixed(3)))).toEqual([0.667, 1]);
    await batcher.close();
  });

  it('starts the window again when the monitor count changes', async () => {
    const { batcher, results } = setup(2, 5);
    [views(10), views(10), views(10, 20), views(10, 20), views(10, 20)].forEach((rgb, i) => batcher.push('a', { seq: i + 1, capturedAt: i * 1000, rgb }));
    await settle(60);
    expect(results.map((r) => [r.frames.map((f) => f.seq), r.viewScores.length])).toEqual([[[3, 4, 5], 2]]);
    await batcher.close();
  });
});
