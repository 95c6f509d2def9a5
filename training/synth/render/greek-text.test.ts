import { describe, expect, it } from 'vitest';
import { preprocessScreen } from '../../../models/preprocess.js';
import { MONO_FONTS, UI_FONTS } from '../desktop-style.js';
import { buildSessionSimulator } from '../session-simulator.js';
import { GLYPH_METRICS } from './glyph-metrics.js';
import { greekText } from './greek-text.js';
import { measureFont } from './measure-glyphs.js';
import { renderSceneRaw, sceneToSvg } from './render-scene.js';
import { runs, text } from './svg.js';

const rects = (svg: string) =>
  [...svg.matchAll(/<rect x="([^"]*)" y="[^"]*" width="([^"]*)" height="[^"]*" fill="([^"]*)" fill-opacity="([^"]*)"\/>/g)].map((m) => ({ x: +m[1], w: +m[2], fill: m[3], opacity: +m[4] }));

describe('text as blocks (greekText)', () => {
  const mono = GLYPH_METRICS.fonts['DejaVu Sans Mono'];
  const adv = mono.advance[GLYPH_METRICS.chars.indexOf('a')];

  it('draws one block per word, as wide as its measured glyph advances, in each run\'s colour', () => {
    const svg = runs(100, 50, [['int ', '#ff0000'], ['count', '#00ff00'], [' = 0;', '#0000ff']], { size: 20, font: 'DejaVu Sans Mono, monospace' });
    const blocks = rects(greekText(svg));
    expect(greekText(svg)).not.toContain('<text');
    expect(blocks.map((b) => b.fill)).toEqual(['#ff0000', '#00ff00', '#0000ff', '#0000ff']);
    // monospace: every advance is ~0.6 em (measured 0.601-0.603)
    [3, 5, 1, 2].forEach((chars, i) => expect(blocks[i].w).toBeCloseTo(chars * adv * 20, 0));
    // "count" starts after "int " (4 advances)
    expect(blocks[1].x).toBeCloseTo(100 + 4 * adv * 20, 0);
    for (const b of blocks) expect(b.opacity).toBeGreaterThan(0);
  });

  it('keeps the anchor, the opacity and the bold face of the text', () => {
    const start = rects(greekText(text(300, 40, 'abcd', { size: 10, fill: '#123456', font: 'DejaVu Sans Mono' })))[0];
    const end = rects(greekText(text(300, 40, 'abcd', { size: 10, fill: '#123456', font: 'DejaVu Sans Mono', anchor: 'end' })))[0];
    const middle = rects(greekText(text(300, 40, 'abcd', { size: 10, fill: '#123456', font: 'DejaVu Sans Mono', anchor: 'middle' })))[0];
    expect(start.x).toBe(300);
    expect(end.x + end.w).toBeCloseTo(300, 1);
    expect(middle.x + middle.w / 2).toBeCloseTo(300, 1);
    const faint = rects(greekText(text(0, 40, 'abcd', { size: 10, fill: '#000000', font: 'DejaVu Sans Mono', opacity: 0.5 })))[0];
    expect(faint.opacity).toBeCloseTo(start.opacity * 0.5, 2);
    const bold = rects(greekText(text(0, 40, 'abcd', { size: 10, fill: '#000000', font: 'DejaVu Sans Mono', weight: 'bold' })))[0];
    expect(bold.opacity).toBeGreaterThan(start.opacity);
  });

  it('has metrics for every font the generator draws with, and they match the fonts installed here', async () => {
    for (const family of [...UI_FONTS, ...MONO_FONTS, 'Liberation Serif']) {
      expect(GLYPH_METRICS.fonts[family], family).toBeDefined();
      expect(GLYPH_METRICS.fonts[`${family}|bold`], `${family} bold`).toBeDefined();
    }
    // a changed font package would silently change the blocks: re-measure a few glyphs
    for (const family of ['DejaVu Sans', 'Liberation Mono']) {
      const sample = ['m', 'i', 'W', 'e'];
      const now = await measureFont(family, false, sample);
      const face = GLYPH_METRICS.fonts[family];
      sample.forEach((c, i) => {
        const k = GLYPH_METRICS.chars.indexOf(c);
        expect(now.advance[i], `${family} ${c} advance`).toBeCloseTo(face.advance[k], 2);
        expect(now.ink[i], `${family} ${c} ink`).toBeCloseTo(face.ink[k], 2);
      });
    }
  });

  it('gives the same 50x50 model input as glyphs, to well under one grey level on average', async () => {
    const diffs: number[] = [];
    for (let s = 0; s < 10; s++) {
      const sim = buildSessionSimulator({ seed: `greek${s}` });
      for (let t = 0; t < 4; t++) sim.next();
      const scene = sim.next().scene;
      expect(sceneToSvg(scene)).toContain('<text');
      const frames = await Promise.all((['glyphs', 'blocks'] as const).map(async (mode) => {
        const { data, width, height } = await renderSceneRaw(scene, { text: mode });
        return preprocessScreen({ data, width, height, channels: 4 });
      }));
      let sum = 0;
      for (let i = 0; i < frames[0].length; i++) sum += Math.abs(frames[0][i] - frames[1][i]);
      diffs.push(sum / frames[0].length);
    }
    // over 2,071 frames: mean 0.43, worst frame 2.81; dropping the text altogether costs ~2.2 on average
    expect(Math.max(...diffs)).toBeLessThan(3);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(0.9);
  });
});
