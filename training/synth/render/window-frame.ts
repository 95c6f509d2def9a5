import type { DesktopStyle, SceneWindow } from '../scene.js';
import { circle, fit, group, line, rect, text, type AppContext } from './svg.js';

/**
 * Window decorations per OS style (title bar, borders, buttons, shadow). Apps
 * that draw their own title bar (browsers, VS Code on Windows, GNOME header
 * bars) ask for `frameless`.
 */
export interface FrameResult {
  /** Content rectangle in window-local coordinates. */
  content: { x: number; y: number; w: number; h: number };
  /** Drawn below the content. */
  under: string;
  /** Drawn above the content (buttons, borders). */
  over: string;
}

export function appIconColor(w: Pick<SceneWindow, 'kind' | 'flavor'>): string {
  const byFlavor: Record<string, string> = {
    vscode: '#2c8ce6', jetbrains: '#fc4f7d', visualstudio: '#8661c5', geany: '#c3a53a', chrome: '#fbbc05', chromium: '#4587f4', edge: '#1fa1e0', firefox: '#ff7139', safari: '#1a9af7',
    chatgpt: '#10a37f', claude: '#d97757', gemini: '#4b7bec', copilot: '#2aa1d8', whatsapp: '#25d366', telegram: '#2aabee', discord: '#5865f2', slack: '#4a154b', teams: '#5b5fc7',
    zoom: '#2d8cff', meet: '#00897b', rdp: '#0a6ed1', anydesk: '#ef443b', 'phone-mirror': '#444444',
  };
  return byFlavor[w.flavor] ?? { ide: '#2c8ce6', terminal: '#333333', 'file-explorer': '#f2c94c', 'text-editor': '#67a4e8', 'pdf-viewer': '#d93025', browser: '#4587f4', 'ai-chat': '#10a37f', messaging: '#25d366', 'video-call': '#2d8cff', 'remote-desktop': '#ef443b' }[w.kind];
}

export function frameWindow(ctx: AppContext, title: string, frameless: boolean): FrameResult {
  const { win, style, s } = ctx;
  const { w, h } = win.rect;
  const os = style.os;
  const dark = ctx.dark;
  const under: string[] = [];
  const over: string[] = [];
  const radius = win.maximized ? 0 : os === 'macos' ? 10 * s : os === 'win11' ? 8 * s : os === 'gnome' ? 12 * s : 0;
  under.push(rect(0, 0, w, h, ctx.pal.bg, radius ? `rx="${radius}"` : ''));
  if (frameless) {
    if (!win.maximized && (os === 'win10' || os === 'openbox' || os === 'kde')) over.push(rect(0.5, 0.5, w - 1, h - 1, 'none', `stroke="${win.focused ? style.accent : '#777777'}" stroke-width="1"`));
    return { content: { x: 0, y: 0, w, h }, under: under.join(''), over: over.join('') };
  }
  const font = ctx.ui;
  let bar = 30 * s;
  let barBg = dark ? '#2b2b2b' : '#ffffff';
  let fg = dark ? '#ffffff' : '#1a1a1a';
  if (os === 'openbox') {
    bar = 20 * Math.min(s, 1.5);
    const theme = ctx.rng.fork('ob').pick(['clearlooks', 'onyx', 'bear2', 'natura']);
    const [a, b, tf] = theme === 'clearlooks' ? (win.focused ? ['#a8c6ea', '#6f9ad8', '#ffffff'] : ['#eeeeee', '#d6d6d6', '#777777']) : theme === 'onyx' ? (win.focused ? ['#4c4c4c', '#2a2a2a', '#ffffff'] : ['#3a3a3a', '#303030', '#999999']) : theme === 'bear2' ? (win.focused ? ['#7d9dc4', '#557aa8', '#ffffff'] : ['#dcdcdc', '#c8c8c8', '#666666']) : (win.focused ? ['#8ab35a', '#6d9a3e', '#ffffff'] : ['#e2e2d6', '#cfcfbf', '#666666']);
    const gid = `ob${win.id}`;
    under.push(`<defs><linearGradient id="${gid}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>`);
    under.push(rect(0, 0, w, bar, `url(#${gid})`));
    under.push(text(6 * s, bar * 0.72, fit(title, w - 90 * s, 11 * s), { size: 11 * s, fill: tf, font, weight: 'bold' }));
    for (let i = 0; i < 3; i++) {
      const cx = w - (12 + i * 18) * s;
      under.push(rect(cx - 5 * s, bar / 2 - 5 * s, 10 * s, 10 * s, 'none', `stroke="${tf}" stroke-width="${1.4 * s}"`));
    }
    over.push(rect(0.5, 0.5, w - 1, h - 1, 'none', `stroke="${b}" stroke-width="1"`));
    return { content: { x: 1, y: bar, w: w - 2, h: h - bar - 1 }, under: under.join(''), over: over.join('') };
  }
  if (os === 'macos') {
    bar = 28 * s;
    barBg = dark ? '#323232' : '#ececec';
    under.push(rect(0, 0, w, bar, barBg, radius ? `rx="${radius}"` : ''), rect(0, bar / 2, w, bar / 2, barBg));
    ['#ff5f57', '#febc2e', '#28c840'].forEach((c, i) => under.push(circle((14 + i * 20) * s, bar / 2, 6 * s, win.focused ? c : dark ? '#5a5a5a' : '#cfcfcf')));
    under.push(text(w / 2, bar * 0.68, fit(title, w - 160 * s, 13 * s), { size: 13 * s, fill: fg, font, anchor: 'middle', opacity: win.focused ? 1 : 0.6 }));
    under.push(line(0, bar - 0.5, w, bar - 0.5, dark ? '#1a1a1a' : '#d0d0d0'));
  } else if (os === 'gnome') {
    bar = 44 * s;
    barBg = dark ? '#303030' : '#ebebeb';
    under.push(rect(0, 0, w, bar, barBg, radius ? `rx="${radius}"` : ''), rect(0, bar / 2, w, bar / 2, barBg));
    under.push(text(w / 2, bar * 0.62, fit(title, w - 200 * s, 13 * s), { size: 13 * s, fill: fg, font, anchor: 'middle', weight: 'bold' }));
    under.push(circle(w - 22 * s, bar / 2, 11 * s, dark ? '#454545' : '#dadada'));
    under.push(line(w - 26 * s, bar / 2 - 4 * s, w - 18 * s, bar / 2 + 4 * s, fg, 1.5 * s), line(w - 18 * s, bar / 2 - 4 * s, w - 26 * s, bar / 2 + 4 * s, fg, 1.5 * s));
  } else {
    if (os === 'win10' && ctx.rng.fork('tb').chance(0.3)) { barBg = style.accent; fg = '#ffffff'; }
    if (os === 'kde') barBg = dark ? '#31363b' : '#dee0e2';
    if (os === 'win11') barBg = dark ? '#202020' : '#f3f3f3';
    if (!win.focused) fg = dark ? '#9a9a9a' : '#8a8a8a';
    under.push(rect(0, 0, w, bar, barBg, radius ? `rx="${radius}"` : ''), rect(0, bar / 2, w, bar / 2, barBg));
    const center = os === 'kde';
    under.push(rect(9 * s, bar / 2 - 7 * s, 14 * s, 14 * s, appIconColor(win), `rx="${2 * s}"`));
    under.push(text(center ? w / 2 : 32 * s, bar * 0.67, fit(title, w - 200 * s, 12 * s), { size: 12 * s, fill: fg, font, anchor: center ? 'middle' : 'start' }));
    const bw = 46 * s;
    const cy = bar / 2;
    under.push(line(w - bw * 2.5 - 5 * s, cy, w - bw * 2.5 + 5 * s, cy, fg, s));
    under.push(rect(w - bw * 1.5 - 5 * s, cy - 5 * s, 10 * s, 10 * s, 'none', `stroke="${fg}" stroke-width="${s}"`));
    under.push(line(w - bw * 0.5 - 5 * s, cy - 5 * s, w - bw * 0.5 + 5 * s, cy + 5 * s, fg, s), line(w - bw * 0.5 + 5 * s, cy - 5 * s, w - bw * 0.5 - 5 * s, cy + 5 * s, fg, s));
    if (!win.maximized) over.push(rect(0.5, 0.5, w - 1, h - 1, 'none', `stroke="${os === 'win10' && win.focused ? style.accent : '#8a8a8a66'}"${radius ? ` rx="${radius}"` : ''}`));
  }
  return { content: { x: 0, y: bar, w, h: h - bar }, under: under.join(''), over: over.join('') };
}

/** A soft drop shadow behind floating windows. */
export function windowShadow(win: SceneWindow, style: DesktopStyle): string {
  if (win.maximized || style.os === 'openbox') return '';
  const { x, y, w, h } = win.rect;
  const d = 6 * style.scale;
  return rect(x - d / 2, y + d / 2, w + d, h + d, '#000000', `fill-opacity="0.22" rx="${d * 2}"`);
}

export function placeContent(win: SceneWindow, frame: FrameResult, body: string): string {
  const { x, y, w, h } = win.rect;
  const c = frame.content;
  return group(x, y, w, h, frame.under + group(c.x, c.y, c.w, c.h, body) + frame.over);
}
