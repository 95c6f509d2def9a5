import type { Rng } from './prng.js';
import type { DesktopStyle, OsStyle, Rect, Wallpaper } from './scene.js';

/**
 * Per-session look of the student's machine: OS style, theme, accent, fonts,
 * UI scaling, wallpaper, panel and screen geometry. None of it depends on the
 * label, so the model cannot learn "this wallpaper means cheating".
 */
const RESOLUTIONS: readonly (readonly [number, number, number])[] = [
  [1920, 1080, 30], [1366, 768, 10], [1280, 720, 6], [1536, 864, 6], [1600, 900, 5], [2560, 1440, 8],
  [1440, 900, 5], [1680, 1050, 4], [1920, 1200, 6], [2560, 1600, 3], [1280, 800, 4],
  [1024, 768, 3], [1280, 1024, 3], [1600, 1200, 2], [2048, 1152, 1], [1280, 960, 2],
];

const ACCENTS = ['#0078d4', '#3584e4', '#e95420', '#2e7d32', '#8e44ad', '#c0392b', '#d4a017', '#1abc9c', '#ff2d55', '#5e81ac', '#007aff', '#3daee9', '#f39c12', '#6a5acd', '#888888'];
export const UI_FONTS = ['DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'DejaVu Sans Condensed', 'Nimbus Sans'];
export const MONO_FONTS = ['DejaVu Sans Mono', 'Liberation Mono', 'Noto Sans Mono', 'Nimbus Mono PS'];

const OS_WEIGHTS: readonly (readonly [OsStyle, number])[] = [
  ['openbox', 22], ['win10', 18], ['win11', 18], ['gnome', 15], ['kde', 12], ['macos', 15],
];

export function randomColor(rng: Rng, lightness?: [number, number]): string {
  const h = rng.int(0, 359);
  const s = rng.int(10, 80);
  const [lo, hi] = lightness ?? [15, 85];
  return hsl(h, s, rng.int(lo, hi));
}

export function hsl(h: number, s: number, l: number): string {
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(255 * c).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

function pickWallpaper(rng: Rng, os: OsStyle): Wallpaper {
  if (os === 'openbox' && rng.chance(0.65)) {
    // a bare X session: the root window keeps X's weave, or black, or a flat colour (xsetroot)
    if (rng.chance(0.35)) return { kind: 'weave' };
    return { kind: 'solid', color: rng.pick(['#000000', '#000000', '#2e3436', '#3a6ea5', '#303030', '#4d4d4d', '#1c1c1c', '#6b8e9f']) };
  }
  const colors = Array.from({ length: rng.int(2, 4) }, () => randomColor(rng));
  return rng.weighted<Wallpaper>([
    [{ kind: 'solid', color: randomColor(rng, [10, 60]) }, 2],
    [{ kind: 'gradient', colors, angle: rng.int(0, 359) }, 4],
    [{ kind: 'photo', colors, seed: String(rng.int(0, 1e9)) }, 4],
    [{ kind: 'shapes', colors, seed: String(rng.int(0, 1e9)) }, 2],
  ]);
}

/** UI scaling grows with the screen: 200 % is a HiDPI laptop, not a 1366x768 one. */
function pickScale(rng: Rng, width: number): number {
  if (width <= 1440) return rng.weighted([[1, 80], [1.1, 5], [1.25, 15]] as const);
  if (width <= 2048) return rng.weighted([[1, 55], [1.1, 5], [1.25, 25], [1.5, 15]] as const);
  return rng.weighted([[1, 15], [1.25, 20], [1.5, 30], [1.75, 10], [2, 25]] as const);
}

export function pickOs(rng: Rng): OsStyle {
  return rng.weighted(OS_WEIGHTS);
}

export function pickDesktopStyle(rng: Rng, os: OsStyle, screenWidth: number): DesktopStyle {
  const theme = rng.chance(os === 'openbox' ? 0.3 : 0.45) ? 'dark' : 'light';
  const defaultPanel = os === 'win10' || os === 'win11' || os === 'kde' ? 'bottom' : os === 'gnome' ? 'top' : os === 'macos' ? 'bottom' : 'bottom';
  const hasPanel = os !== 'openbox' || rng.chance(0.35);
  const scale = os === 'openbox' ? rng.weighted([[1, 85], [1.25, 15]] as const) : pickScale(rng, screenWidth);
  return {
    os,
    theme,
    accent: rng.chance(0.8) ? rng.pick(ACCENTS) : randomColor(rng, [35, 60]),
    scale,
    uiFont: rng.pick(UI_FONTS),
    monoFont: rng.pick(MONO_FONTS),
    wallpaper: pickWallpaper(rng, os),
    panel: hasPanel
      ? {
          position: rng.chance(0.75) ? defaultPanel : rng.pick(['bottom', 'top', 'left', 'right'] as const),
          autoHide: rng.chance(0.12),
          thickness: Math.round((os === 'gnome' ? 28 : os === 'macos' ? 58 : os === 'openbox' ? 26 : 42) * scale * rng.range(0.85, 1.2)),
        }
      : null,
    desktopIcons: os === 'openbox' || os === 'gnome' ? (rng.chance(0.2) ? rng.int(2, 8) : 0) : rng.int(0, 14),
    seed: String(rng.int(0, 1e9)),
  };
}

export interface ScreenGeometry {
  width: number;
  height: number;
  monitors: Rect[];
}

/** `twoMonitors`: always two monitors side by side (else about 10 % of desktops have them). */
export function pickScreen(rng: Rng, os?: OsStyle, twoMonitors = false): ScreenGeometry {
  // Xvfb lab machines run at the common 1280x720 .. 1920x1080 sizes
  const table = os === 'openbox' ? RESOLUTIONS.map(([rw, rh, weight]) => [rw, rh, rw <= 1920 && rh <= 1080 ? weight * 3 : weight] as const) : RESOLUTIONS;
  const [w, h] = rng.weighted(table.map(([rw, rh, weight]) => [[rw, rh] as const, weight] as const));
  if (twoMonitors || rng.chance(os === 'openbox' ? 0.04 : 0.1)) {
    const [w2, h2] = rng.chance(0.6) ? [w, h] : rng.pick([[1920, 1080], [1280, 1024], [1680, 1050]] as const);
    const height = Math.max(h, h2);
    return { width: w + w2, height, monitors: [{ x: 0, y: 0, w, h }, { x: w, y: 0, w: w2, h: h2 }] };
  }
  return { width: w, height: h, monitors: [{ x: 0, y: 0, w, h }] };
}

/** Part of a monitor that maximised windows fill (the panel is excluded unless it auto-hides). */
export function workArea(style: DesktopStyle, monitor: Rect, primary: boolean): Rect {
  const r = { ...monitor };
  if (style.os === 'macos' && primary) {
    const menu = Math.round(24 * style.scale);
    r.y += menu;
    r.h -= menu;
  }
  const p = style.panel;
  if (!p || !primary || p.autoHide) return r;
  const t = p.thickness;
  if (p.position === 'bottom') r.h -= t;
  else if (p.position === 'top') { r.y += t; r.h -= t; }
  else if (p.position === 'left') { r.x += t; r.w -= t; }
  else { r.w -= t; }
  return r;
}
