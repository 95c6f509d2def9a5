import { pickFlavor } from './app-catalog.js';
import { buildRng } from './prng.js';
import type { Rect, Scene, SceneWindow } from './scene.js';
import { PERMITTED_KINDS, PROHIBITED_KINDS } from './scene.js';

/**
 * The labelling rules (training/synth/README.md):
 * - a window is prohibited when its kind is browser, ai-chat, messaging,
 *   video-call or remote-desktop, whatever it shows (documentation and an exam
 *   PDF opened in a browser tab included, as in the paper);
 * - except a browser showing a web IDE without browser chrome (kiosk or app
 *   window, no tabs or address bar): that is the exam's own tool, permitted;
 * - a frame is prohibited when at least one prohibited window is visible on
 *   screen over at least MIN_VISIBLE_SHARE of the screen, however small the
 *   window (a tiny chat popup over a maximised IDE counts);
 * - minimised windows, taskbar icons and OS notification banners are not windows
 *   on screen: they never make a frame prohibited.
 */
export const MIN_VISIBLE_SHARE = 0.004;

export function isProhibitedWindow(win: Pick<SceneWindow, 'kind' | 'page' | 'kiosk' | 'appMode'>): boolean {
  if (win.kind === 'browser' && (win.kiosk === true || win.appMode === true) && win.page === 'web-ide') return false;
  return (PROHIBITED_KINDS as readonly string[]).includes(win.kind);
}

/** Share of the screen where this window is the topmost thing (grid estimate). */
export function visibleShare(scene: Scene, index: number): number {
  const win = scene.windows[index];
  if (win.minimized) return 0;
  const above = scene.windows.slice(index + 1).filter((w) => !w.minimized).map((w) => w.rect);
  const r = clip(win.rect, { x: 0, y: 0, w: scene.width, h: scene.height });
  if (r.w <= 0 || r.h <= 0) return 0;
  const steps = 24;
  let visible = 0;
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) {
      const px = r.x + ((i + 0.5) * r.w) / steps;
      const py = r.y + ((j + 0.5) * r.h) / steps;
      if (!above.some((a) => px >= a.x && px < a.x + a.w && py >= a.y && py < a.y + a.h)) visible++;
    }
  }
  return ((visible / (steps * steps)) * r.w * r.h) / (scene.width * scene.height);
}

export function visibleProhibitedWindows(scene: Scene): SceneWindow[] {
  return scene.windows.filter((w, i) => isProhibitedWindow(w) && visibleShare(scene, i) >= MIN_VISIBLE_SHARE);
}

/**
 * Share of the screen shown by the largest visible prohibited window (0 when the
 * frame is permitted). At 50x50 a share of 0.004 is ten pixels: this column lets
 * an evaluation say how small a prohibited window the model still catches.
 */
export function prohibitedScreenShare(scene: Scene): number {
  let best = 0;
  scene.windows.forEach((w, i) => {
    if (!isProhibitedWindow(w)) return;
    const share = visibleShare(scene, i);
    if (share >= MIN_VISIBLE_SHARE && share > best) best = share;
  });
  return best;
}

export function sceneLabel(scene: Scene): 0 | 1 {
  return prohibitedScreenShare(scene) > 0 ? 1 : 0;
}

/**
 * The same desktop with every prohibited window closed (`dataset synth
 * --counterfactual`): what the student's screen shows without the visit. The
 * topmost window left takes the focus, as a window manager gives it.
 */
export function withoutProhibited(scene: Scene): Scene {
  const windows = scene.windows.filter((w) => !isProhibitedWindow(w)).map((w) => ({ ...w }));
  if (!windows.some((w) => w.focused && !w.minimized)) {
    const top = windows.findLast((w) => !w.minimized);
    if (top) top.focused = true;
  }
  return { ...scene, windows };
}

/** How `dataset synth --counterfactual` makes a prohibited frame's permitted twin. */
export const COUNTERFACTUAL_MODES = ['close', 'swap'] as const;
export type CounterfactualMode = (typeof COUNTERFACTUAL_MODES)[number];

/**
 * The same desktop with every prohibited window replaced by a permitted app in
 * the same place, size and stacking (`dataset synth --counterfactual swap`).
 * Closing the window (`withoutProhibited`) leaves one window fewer, so a pair
 * still says "more windows, more suspicious", and the shipped model does flag
 * permitted desktops more the more windows they show. A swap keeps the count
 * and the layout: the pair differs only in what one window shows. The app is
 * drawn from the window's seed, so it stays the same from frame to frame.
 */
export function withProhibitedSwapped(scene: Scene): Scene {
  const windows = scene.windows.map((w): SceneWindow => {
    if (!isProhibitedWindow(w)) return { ...w };
    const seed = `${w.seed}:swap`;
    const rng = buildRng(seed);
    const kind = rng.pick(PERMITTED_KINDS);
    const { page: _page, kiosk: _kiosk, appMode: _appMode, ...rest } = w;
    return { ...rest, kind, flavor: pickFlavor(rng, kind, scene.desktop.os), seed, title: kind };
  });
  return { ...scene, windows };
}

/** Short description of what is visible, for the manifest's source column. */
export function sceneKinds(scene: Scene): string {
  const kinds = scene.windows
    .map((w, i) => ({ w, share: visibleShare(scene, i) }))
    .filter(({ share }) => share >= MIN_VISIBLE_SHARE)
    .sort((a, b) => b.share - a.share)
    .map(({ w }) => (w.kind === 'browser' ? `browser-${w.kiosk ? 'kiosk-' : w.appMode ? 'app-' : ''}${w.page}` : w.kind));
  return kinds.length === 0 ? 'desktop' : [...new Set(kinds)].join('+');
}

function clip(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, w: Math.min(a.x + a.w, b.x + b.w) - x, h: Math.min(a.y + a.h, b.y + b.h) - y };
}

/**
 * One monitor of a desktop as a scene of its own: the monitor's size, windows
 * and banner moved into its coordinates, so the labelling rules above say what
 * a capture of that monitor alone shows (a window on the other monitor is off
 * screen here). For the labels only: frames are rendered from the whole scene
 * and cropped, since the desktop's own chrome belongs to its first monitor.
 */
export function monitorScene(scene: Scene, index: number): Scene {
  const m = scene.monitors[index];
  if (!m) throw new RangeError(`monitor ${index} of a ${scene.monitors.length}-monitor scene`);
  const move = (r: Rect): Rect => ({ x: r.x - m.x, y: r.y - m.y, w: r.w, h: r.h });
  return {
    ...scene,
    width: m.w,
    height: m.h,
    monitors: [{ x: 0, y: 0, w: m.w, h: m.h }],
    windows: scene.windows.map((w) => ({ ...w, rect: move(w.rect) })),
    toast: scene.toast ? { ...scene.toast, rect: move(scene.toast.rect) } : null,
  };
}
