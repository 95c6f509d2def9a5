import { describe, expect, it } from 'vitest';
import { monitorScene, prohibitedScreenShare, sceneKinds, sceneLabel, withoutProhibited, withProhibitedSwapped } from './labels.js';
import type { AppKind, Scene, SceneWindow } from './scene.js';

function win(id: number, kind: AppKind, rect: SceneWindow['rect'], extra: Partial<SceneWindow> = {}): SceneWindow {
  return { id, kind, flavor: 'x', seed: `w${id}`, rect, maximized: false, minimized: false, focused: false, theme: 'light', title: kind, state: { progress: 0, scroll: 0, mode: 0, tab: 0 }, ...extra };
}

function scene(windows: SceneWindow[], toast: Scene['toast'] = null): Scene {
  return {
    sessionId: 's', t: 0, width: 1920, height: 1080, monitors: [{ x: 0, y: 0, w: 1920, h: 1080 }],
    desktop: { os: 'win11', theme: 'light', accent: '#0078d4', scale: 1, uiFont: 'DejaVu Sans', monoFont: 'DejaVu Sans Mono', wallpaper: { kind: 'solid', color: '#000000' }, panel: null, desktopIcons: 0, seed: '1' },
    windows, toast,
  };
}

const FULL = { x: 0, y: 0, w: 1920, h: 1040 };

describe('frame labels', () => {
  it('a maximised IDE alone is permitted', () => {
    expect(sceneLabel(scene([win(1, 'ide', FULL)]))).toBe(0);
  });
  it('a small chat popup over a maximised IDE is prohibited', () => {
    const s = scene([win(1, 'ide', FULL), win(2, 'messaging', { x: 1560, y: 620, w: 320, h: 400 }, { popup: true })]);
    expect(sceneLabel(s)).toBe(1);
    expect(sceneKinds(s)).toBe('ide+messaging');
  });
  it('a browser hidden behind a maximised IDE, or minimised, is permitted', () => {
    expect(sceneLabel(scene([win(1, 'browser', { x: 100, y: 100, w: 900, h: 700 }, { page: 'qa' }), win(2, 'ide', FULL)]))).toBe(0);
    expect(sceneLabel(scene([win(2, 'ide', { x: 0, y: 0, w: 900, h: 700 }), win(1, 'browser', FULL, { page: 'qa', minimized: true })]))).toBe(0);
  });
  it('documentation and the exam PDF inside a browser are prohibited, a PDF viewer is not', () => {
    expect(sceneLabel(scene([win(1, 'browser', FULL, { page: 'docs' })]))).toBe(1);
    expect(sceneLabel(scene([win(1, 'browser', FULL, { page: 'pdf' })]))).toBe(1);
    expect(sceneLabel(scene([win(1, 'pdf-viewer', FULL)]))).toBe(0);
  });
  it('a web IDE in a kiosk browser is permitted, with browser chrome it is not', () => {
    expect(sceneLabel(scene([win(1, 'browser', FULL, { page: 'web-ide', kiosk: true })]))).toBe(0);
    expect(sceneLabel(scene([win(1, 'browser', FULL, { page: 'web-ide', appMode: true })]))).toBe(0);
    expect(sceneLabel(scene([win(1, 'browser', FULL, { page: 'messaging', appMode: true })]))).toBe(1);
    expect(sceneLabel(scene([win(1, 'browser', FULL, { page: 'web-ide' })]))).toBe(1);
  });
  it('an OS notification banner is not a window and stays permitted', () => {
    expect(sceneLabel(scene([win(1, 'ide', FULL)], { app: 'WhatsApp', title: 'Ana', body: 'hi', rect: { x: 1500, y: 900, w: 360, h: 90 } }))).toBe(0);
  });
  it('split screen with a narrow AI chat is prohibited', () => {
    expect(sceneLabel(scene([win(1, 'ide', { x: 0, y: 0, w: 1300, h: 1040 }), win(2, 'ai-chat', { x: 1300, y: 0, w: 620, h: 1040 })]))).toBe(1);
  });

  it('labels each monitor of a two-monitor desktop by what shows on it', () => {
    // an IDE on the left monitor; on the right one a PDF viewer with a chat tiled beside it
    const s: Scene = {
      ...scene([win(1, 'ide', FULL), win(2, 'pdf-viewer', { x: 1920, y: 0, w: 1200, h: 1080 }), win(3, 'messaging', { x: 3120, y: 0, w: 720, h: 1080 })]),
      width: 3840,
      monitors: [{ x: 0, y: 0, w: 1920, h: 1080 }, { x: 1920, y: 0, w: 1920, h: 1080 }],
    };
    expect(sceneLabel(s)).toBe(1);
    const [left, right] = [monitorScene(s, 0), monitorScene(s, 1)];
    expect([left.width, left.height, right.width]).toEqual([1920, 1080, 1920]);
    expect(sceneLabel(left)).toBe(0);
    expect(sceneKinds(left)).toBe('ide');
    expect(sceneLabel(right)).toBe(1);
    expect(sceneKinds(right)).toBe('pdf-viewer+messaging');
    // the chat is 19% of the whole desktop but 38% of its own monitor
    expect(prohibitedScreenShare(s)).toBeCloseTo(0.1875, 2);
    expect(prohibitedScreenShare(right)).toBeCloseTo(0.375, 2);
    expect(() => monitorScene(s, 2)).toThrow(RangeError);
  });
});

describe('withoutProhibited', () => {
  it('closes the prohibited windows, keeps the work (a browser-based IDE too) and gives the focus to the topmost window left', () => {
    const s = scene([
      win(1, 'ide', FULL),
      win(2, 'browser', { x: 900, y: 0, w: 1020, h: 1040 }, { page: 'web-ide', appMode: true }),
      win(3, 'file-explorer', { x: 100, y: 100, w: 700, h: 500 }),
      win(4, 'messaging', { x: 1560, y: 620, w: 320, h: 400 }, { popup: true, focused: true }),
    ]);
    const clean = withoutProhibited(s);
    expect(clean.windows.map((w) => w.id)).toEqual([1, 2, 3]);
    expect(clean.windows.filter((w) => w.focused).map((w) => w.id)).toEqual([3]);
    expect(sceneLabel(clean)).toBe(0);
    // the original scene is untouched
    expect(s.windows).toHaveLength(4);
    expect(s.windows[2].focused).toBe(false);
  });
});

describe('withProhibitedSwapped', () => {
  it('puts a permitted app where each prohibited window was, keeping the window count, the layout and the focus', () => {
    const s = scene([
      win(1, 'ide', FULL),
      win(2, 'browser', { x: 900, y: 0, w: 1020, h: 1040 }, { page: 'qa' }),
      win(3, 'messaging', { x: 1560, y: 620, w: 320, h: 400 }, { popup: true, focused: true }),
    ]);
    const swapped = withProhibitedSwapped(s);
    expect(sceneLabel(swapped)).toBe(0);
    expect(swapped.windows.map((w) => [w.id, w.rect, w.focused, w.popup])).toEqual(s.windows.map((w) => [w.id, w.rect, w.focused, w.popup]));
    expect(swapped.windows[0]).toEqual(s.windows[0]);
    for (const w of swapped.windows.slice(1)) {
      expect(['ide', 'terminal', 'file-explorer', 'text-editor', 'pdf-viewer']).toContain(w.kind);
      expect(w.page).toBeUndefined();
    }
    // the same window gets the same replacement in every frame of a session
    expect(withProhibitedSwapped({ ...s, t: s.t + 1 }).windows).toEqual(swapped.windows);
    expect(s.windows[1].kind).toBe('browser');
  });
});
