import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { confusionMatrixSvg, lineChartSvg, niceTicks, prCurveSvg, trainingCurvesSvg, writePlot } from './plots.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('plots', () => {
  it('chooses round axis ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 12, 6)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(niceTicks(0, 0.83, 4)).toEqual([0, 0.25, 0.5, 0.75]);
  });

  it('draws learning curves with a legend, skipping missing epochs instead of writing NaN', () => {
    const svg = trainingCurvesSvg([
      { epoch: 1, trainLoss: 0.7, valLoss: 0.72, trainF2: 0.5, valF2: 0.45 },
      { epoch: 2, trainLoss: 0.5, valLoss: Number.NaN, trainF2: 0.7 },
      { epoch: 3, trainLoss: 0.3, valLoss: 0.4, trainF2: 0.9, valF2: 0.8 },
    ]);
    expect(svg).toContain('>train</text>');
    expect(svg).toContain('>validation</text>');
    expect(svg).toContain('loss (binary cross-entropy)');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('escapes text so titles with markup characters stay valid SVG', async () => {
    const svg = lineChartSvg({ title: 'a < b & "c"', xLabel: 'x', yLabel: 'y', series: [{ name: "it's", points: [[0, 1], [1, 2]] }] });
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    await expect(sharp(Buffer.from(svg)).metadata()).resolves.toMatchObject({ format: 'svg' });
  });

  it('shows the confusion counts and the PR operating point', () => {
    const cm = confusionMatrixSvg({ tp: 123, fp: 66, tn: 168, fn: 43 });
    for (const v of ['123', '66', '168', '43', 'n = 400', 'false alarm', 'missed']) expect(cm).toContain(v);
    const pr = prCurveSvg({
      points: [{ recall: 0, precision: 1 }, { recall: 0.5, precision: 0.8 }, { recall: 1, precision: 0.43 }],
      operatingPoint: { recall: 0.5, precision: 0.8, threshold: 0.42 },
      prevalence: 0.43,
      averagePrecision: 0.81,
    });
    expect(pr).toContain('threshold 0.42');
    expect(pr).toContain('AP 0.810');
    expect(pr).toContain('chance (prevalence 0.43)');
  });

  it('writes SVG as text and PNG through sharp at twice the size', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lw-plots-'));
    dirs.push(dir);
    const svg = confusionMatrixSvg({ tp: 1, fp: 2, tn: 3, fn: 4 });
    await writePlot(path.join(dir, 'sub', 'cm.svg'), svg);
    expect(await readFile(path.join(dir, 'sub', 'cm.svg'), 'utf8')).toBe(svg);
    await writePlot(path.join(dir, 'cm.png'), svg);
    const meta = await sharp(path.join(dir, 'cm.png')).metadata();
    const width = Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(width * 2);
  });
});
