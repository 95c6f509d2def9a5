import { describe, expect, it } from 'vitest';
import type { Scene, SceneWindow } from '../scene.js';
import { buildSessionSimulator } from '../session-simulator.js';
import { renderSceneRaw } from './render-scene.js';

/** One messaging window of the given flavor (maximised unless a width is given) on an otherwise real simulated desktop. */
function messagingScene(flavor: string, theme: SceneWindow['theme'], width?: number): Scene {
  const scene = buildSessionSimulator({ seed: 'messaging-test' }).next().scene;
  const rect = width === undefined ? { x: 0, y: 0, w: scene.width, h: scene.height } : { x: scene.width - width, y: 0, w: width, h: scene.height };
  const win: SceneWindow = {
    id: 99, kind: 'messaging', flavor, seed: `m-${flavor}`, rect,
    maximized: width === undefined, minimized: false, focused: true, theme, title: flavor, state: { tab: 0, scroll: 0, progress: 3, mode: 0 },
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

  // dark aubergine: red and blue over green
  const aubergine = (img: { data: Buffer; width: number }, x: number, y: number): boolean => {
    const i = (y * img.width + x) * 4;
    const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
    return r + g + b < 3 * 90 && r > g + 25 && b > g + 25;
  };

  it('draws Slack\'s full-width top bar above a wide window', async () => {
    const img = await renderSceneRaw(messagingScene('slack', 'light'));
    let aubergineRows = 0;
    for (let y = 0; y < img.height * 0.15; y++) if (aubergine(img, img.width - 40, y)) aubergineRows++;
    expect(aubergineRows).toBeGreaterThan(20);
  });

  // The real app keeps both at every width; a narrow light Slack without them is
  // a white block with dots that no model can tell from a text editor.
  it('keeps Slack\'s top bar and left rail on a narrow window', async () => {
    const width = 420;
    const img = await renderSceneRaw(messagingScene('slack', 'light', width));
    const x0 = img.width - width;
    let barRows = 0;
    for (let y = 0; y < img.height * 0.15; y++) if (aubergine(img, img.width - 20, y)) barRows++;
    let railRows = 0;
    for (let y = Math.round(img.height * 0.2); y < img.height * 0.8; y += 4) if (aubergine(img, x0 + 8, y)) railRows++;
    expect(barRows).toBeGreaterThan(20);
    expect(railRows / Math.ceil((img.height * 0.6) / 4)).toBeGreaterThan(0.9);
  });
});
