import type { Rng } from '../prng.js';
import { buildRng } from '../prng.js';
import type { DesktopStyle, SceneWindow, Theme } from '../scene.js';

/** Small SVG building blocks shared by every app renderer. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r1 = (n: number) => Math.round(n * 10) / 10;

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  if (w <= 0 || h <= 0) return '';
  return `<rect x="${r1(x)}" y="${r1(y)}" width="${r1(w)}" height="${r1(h)}" fill="${fill}"${extra ? ' ' + extra : ''}/>`;
}

export function circle(cx: number, cy: number, r: number, fill: string, extra = ''): string {
  return `<circle cx="${r1(cx)}" cy="${r1(cy)}" r="${r1(r)}" fill="${fill}"${extra ? ' ' + extra : ''}/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1): string {
  return `<line x1="${r1(x1)}" y1="${r1(y1)}" x2="${r1(x2)}" y2="${r1(y2)}" stroke="${stroke}" stroke-width="${r1(width)}"/>`;
}

export interface TextOptions {
  size: number;
  fill: string;
  font: string;
  weight?: 'normal' | 'bold' | number;
  anchor?: 'start' | 'middle' | 'end';
  opacity?: number;
  italic?: boolean;
}

export function text(x: number, y: number, content: string, o: TextOptions): string {
  if (content === '') return '';
  const attrs = [
    `x="${r1(x)}"`, `y="${r1(y)}"`, `font-family="${o.font}"`, `font-size="${r1(o.size)}"`, `fill="${o.fill}"`,
    o.weight && o.weight !== 'normal' ? `font-weight="${o.weight}"` : '',
    o.anchor && o.anchor !== 'start' ? `text-anchor="${o.anchor}"` : '',
    o.opacity !== undefined ? `fill-opacity="${o.opacity}"` : '',
    o.italic ? 'font-style="italic"' : '',
  ].filter(Boolean).join(' ');
  return `<text ${attrs} xml:space="preserve">${esc(content)}</text>`;
}

/** One line of differently coloured runs (syntax highlighting, links in text). */
export function runs(x: number, y: number, parts: readonly (readonly [string, string])[], o: Omit<TextOptions, 'fill'>): string {
  const spans = parts.filter(([t]) => t !== '').map(([t, fill]) => `<tspan fill="${fill}">${esc(t)}</tspan>`).join('');
  if (spans === '') return '';
  return `<text x="${r1(x)}" y="${r1(y)}" font-family="${o.font}" font-size="${r1(o.size)}"${o.weight && o.weight !== 'normal' ? ` font-weight="${o.weight}"` : ''} xml:space="preserve">${spans}</text>`;
}

/** A nested viewport: everything inside is clipped to the rectangle and drawn in local coordinates. */
export function group(x: number, y: number, w: number, h: number, body: string): string {
  if (w <= 0 || h <= 0) return '';
  return `<svg x="${r1(x)}" y="${r1(y)}" width="${r1(w)}" height="${r1(h)}" overflow="hidden">${body}</svg>`;
}

export interface Palette {
  bg: string;
  fg: string;
  muted: string;
  panel: string;
  panel2: string;
  border: string;
  sel: string;
  input: string;
}

export function palette(theme: Theme, rng?: Rng): Palette {
  // small per-app jitter so two apps in the same theme are never the exact same grey
  const j = (hex: string, amount: number) => (rng ? jitter(hex, rng, amount) : hex);
  return theme === 'dark'
    ? { bg: j('#1e1f22', 10), fg: j('#d4d4d4', 12), muted: j('#8b8b8b', 12), panel: j('#2b2d30', 10), panel2: j('#252526', 8), border: j('#3c3f41', 8), sel: j('#264f78', 14), input: j('#3a3d41', 8) }
    : { bg: j('#ffffff', 4), fg: j('#1f1f1f', 12), muted: j('#6e6e6e', 12), panel: j('#f3f3f3', 6), panel2: j('#e8e8e8', 6), border: j('#d0d0d0', 8), sel: j('#cce4f7', 10), input: j('#ffffff', 3) };
}

export function jitter(hex: string, rng: Rng, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => Math.max(0, Math.min(255, c + rng.int(-amount, amount))));
  return `#${ch.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

export function mix(a: string, b: string, t: number): string {
  const pa = parseInt(a.slice(1), 16);
  const pb = parseInt(b.slice(1), 16);
  const ch = [16, 8, 0].map((s) => Math.round(((pa >> s) & 255) * (1 - t) + ((pb >> s) & 255) * t));
  return `#${ch.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Everything an app renderer needs to draw one window's content. */
export interface AppContext {
  win: SceneWindow;
  style: DesktopStyle;
  /** Stable randomness for this window (same every frame). */
  rng: Rng;
  pal: Palette;
  dark: boolean;
  /** Scale factor (UI scaling) for sizes. */
  s: number;
  ui: string;
  mono: string;
  accent: string;
  t: number;
}

export function appContext(win: SceneWindow, style: DesktopStyle, t: number): AppContext {
  const rng = buildRng(win.seed);
  return {
    win,
    style,
    rng,
    pal: palette(win.theme, rng.fork('pal')),
    dark: win.theme === 'dark',
    s: style.scale * rng.pick([1, 1, 1, 0.9, 1.1]),
    ui: fontStack(style.uiFont, 'sans-serif'),
    mono: fontStack(rng.chance(0.7) ? style.monoFont : rng.pick(['DejaVu Sans Mono', 'Liberation Mono', 'Noto Sans Mono']), 'monospace'),
    accent: style.accent,
    t,
  };
}

export function fontStack(primary: string, generic: string): string {
  return `${primary}, ${generic === 'monospace' ? 'DejaVu Sans Mono' : 'DejaVu Sans'}, ${generic}`;
}

/** Average advance of one character as a share of the font size (for layout only). */
export const MONO_ADVANCE = 0.6;
export const SANS_ADVANCE = 0.55;

/** Cut a string to fit a width (approximate). */
export function fit(content: string, width: number, size: number, advance = SANS_ADVANCE): string {
  const max = Math.floor(width / (size * advance));
  if (max <= 0) return '';
  return content.length <= max ? content : content.slice(0, Math.max(0, max - 1)) + '…';
}

/** Grey bars that stand in for a line of text too small to read anyway (keeps SVGs cheap). */
export function textBar(x: number, y: number, w: number, size: number, fill: string): string {
  return rect(x, y - size * 0.72, w, size * 0.62, fill, `rx="${r1(size * 0.15)}" fill-opacity="0.55"`);
}

/** What an app renderer returns: content in window-local coordinates and the window title. */
export interface AppRender {
  body: string;
  title: string;
  /** The app draws its own title bar (browsers, VS Code on Windows). */
  frameless?: boolean;
}
