import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { preprocessScreen } from '../../../models/preprocess.js';
import { buildSessionSimulator } from '../session-simulator.js';
import { renderScene, renderSceneFrame, sceneToSvg } from './render-scene.js';

describe('scene renderer', () => {
  const scene = buildSessionSimulator({ seed: 'render-test' }).next().scene;

  it('draws the scene at its full resolution, and the 50x50 frame is preprocessScreen of that image', async () => {
    const png = await renderScene(scene);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([scene.width, scene.height]);
    const frame = await renderSceneFrame(scene);
    expect(frame.length).toBe(50 * 50 * 3);
    expect(Buffer.from(frame).equals(Buffer.from(await preprocessScreen(png)))).toBe(true);
  });

  it('escapes text so every scene is well-formed SVG, and draws real text', () => {
    for (let seed = 0; seed < 15; seed++) {
      const sim = buildSessionSimulator({ seed: `svg${seed}` });
      for (let t = 0; t < 30; t++) {
        const svg = sceneToSvg(sim.next().scene);
        expect(svg).not.toMatch(/<text[^>]*>[^<]*[&](?!amp;|lt;|gt;|quot;)/);
        expect(svg).toContain('<text');
      }
    }
  });
});
