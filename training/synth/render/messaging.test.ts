import { describe, expect, it } from 'vitest';
import type { Scene, SceneWindow } from '../scene.js';
import { buildSessionSimulator } from '../session-simulator.js';
import { renderSceneRaw } from './render-scene.js';

/** One maximised messaging window of the given flavor on an otherwise real simulated desktop. */
function messagingScene(flavor: string, theme: SceneWindow['theme']): Scene {
  const scene = buildSessionSimulator({ seed: 'messaging-test' }).next().scene;
  const win: SceneWindow = {
    id: 99, kind: 'messaging', flavor, seed: `m-${flavor}`, rect: { x: 0, y: 0, w: scene.width, h: scene.height },
    maximized: true, minimized: false, focused: true, theme, title: flavor, state: { tab: 0, scroll: 0, progress: 3, mode: 0 },
  };
  return { ...scene, windows: [win], toast: null };
}

/** Share of a band's pixels in a saturated colour (avatars, not text or background); title bar and taskbar left out. */
function saturatedShare(img: { data: Buffer; width: number; height: number }, x0: number, x1: number): number {
  let hits = 0;
  let all = 0;
  for (let y = Math.round(img.height * 0.1); y < img.height * 0.85; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      const i = (y * img.width + x) * 4;
      const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) hits++;
      all++;
    }
  }
  return hits / all;
}

describe('messaging renderer', () => {
  // A window tiled over the left half of a maximised chat leaves only its right
  // half on screen: that half must still look like a chat app, not a blank page.
  it('fills the right side of a wide Discord window with the member list (avatars in several colours)', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const img = await renderSceneRaw(messagingScene('discord', theme));
      expect(saturatedShare(img, Math.round(img.width * 0.85), img.width), theme).toBeGreaterThan(0.02);
    }
  });

  it('draws Slack\'s full-width top bar above a wide window', async () => {
    const img = await renderSceneRaw(messagingScene('slack', 'light'));
    // the bar is dark aubergine (red and blue over green) across the whole width, right edge included
    let aubergineRows = 0;
    for (let y = 0; y < img.height * 0.15; y++) {
      const i = (y * img.width + img.width - 40) * 4;
      const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
      if (r + g + b < 3 * 90 && r > g + 25 && b > g + 25) aubergineRows++;
    }
    expect(aubergineRows).toBeGreaterThan(20);
  });
});
