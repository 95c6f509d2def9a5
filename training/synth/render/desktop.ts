import { buildRng } from '../prng.js';
import type { DesktopStyle, Rect, Scene, SceneWindow, Toast } from '../scene.js';
import { circle, esc, fit, fontStack, mix, rect, text } from './svg.js';
import { appIconColor } from './window-frame.js';

/** Wallpaper, desktop icons, the taskbar / dock / top bar, and notification banners. */
export function renderWallpaper(style: DesktopStyle, m: Rect, index: number): string {
  const wp = style.wallpaper;
  const id = `wp${index}`;
  if (wp.kind === 'solid') return rect(m.x, m.y, m.w, m.h, wp.color);
  if (wp.kind === 'weave') {
    return `<defs><pattern id="${id}" width="2" height="2" patternUnits="userSpaceOnUse">${rect(0, 0, 2, 2, '#000000')}${rect(0, 0, 1, 1, '#ffffff')}${rect(1, 1, 1, 1, '#ffffff')}</pattern></defs>${rect(m.x, m.y, m.w, m.h, `url(#${id})`)}`;
  }
  if (wp.kind === 'gradient') {
    const a = (wp.angle * Math.PI) / 180;
    const stops = wp.colors.map((c, i) => `<stop offset="${(i / (wp.colors.length - 1)).toFixed(2)}" stop-color="${c}"/>`).join('');
    return `<defs><linearGradient id="${id}" x1="${(0.5 - Math.cos(a) / 2).toFixed(2)}" y1="${(0.5 - Math.sin(a) / 2).toFixed(2)}" x2="${(0.5 + Math.cos(a) / 2).toFixed(2)}" y2="${(0.5 + Math.sin(a) / 2).toFixed(2)}">${stops}</linearGradient></defs>${rect(m.x, m.y, m.w, m.h, `url(#${id})`)}`;
  }
  const rng = buildRng(wp.seed);
  const parts: string[] = [rect(m.x, m.y, m.w, m.h, wp.colors[0])];
  if (wp.kind === 'photo') {
    // a soft "landscape": sky band and blobs with radial fades, like a downscaled photo
    // (radial gradients instead of a blur filter: a blur costs seconds per frame in librsvg)
    const horizon = m.y + m.h * rng.range(0.35, 0.7);
    const defs: string[] = [`<linearGradient id="${id}s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${wp.colors[1]}"/><stop offset="1" stop-color="${mix(wp.colors[1], '#ffffff', 0.4)}"/></linearGradient>`];
    const blobs: string[] = [];
    for (let i = 0; i < 12; i++) {
      const c = rng.pick(wp.colors);
      defs.push(`<radialGradient id="${id}g${i}"><stop offset="0" stop-color="${c}" stop-opacity="0.9"/><stop offset="1" stop-color="${c}" stop-opacity="0"/></radialGradient>`);
      blobs.push(`<ellipse cx="${(m.x + rng.range(0, m.w)).toFixed(0)}" cy="${(horizon + rng.range(-m.h * 0.2, m.h * 0.4)).toFixed(0)}" rx="${rng.range(m.w * 0.08, m.w * 0.4).toFixed(0)}" ry="${rng.range(m.h * 0.05, m.h * 0.2).toFixed(0)}" fill="url(#${id}g${i})"/>`);
    }
    parts.push(`<defs>${defs.join('')}</defs>`);
    parts.push(rect(m.x, m.y, m.w, horizon - m.y, `url(#${id}s)`));
    parts.push(blobs.join(''));
  } else {
    for (let i = 0; i < 9; i++) {
      const c = rng.pick(wp.colors);
      const x = m.x + rng.range(0, m.w);
      const y = m.y + rng.range(0, m.h);
      const r = rng.range(m.w * 0.05, m.w * 0.4);
      parts.push(rng.chance(0.5) ? circle(x, y, r, c, `fill-opacity="${rng.range(0.3, 0.9).toFixed(2)}"`) : `<polygon points="${x},${y} ${x + r},${y + r * 0.3} ${x + r * 0.2},${y + r}" fill="${c}" fill-opacity="0.7"/>`);
    }
  }
  return parts.join('');
}

export function renderDesktopIcons(style: DesktopStyle, m: Rect): string {
  if (style.desktopIcons === 0) return '';
  const rng = buildRng(`${style.seed}:icons`);
  const s = style.scale;
  const cell = 86 * s;
  const labels = ['Recycle Bin', 'Home', 'exam', 'Documents', 'Trash', 'notes.txt', 'Project1', 'Visual Studio', 'Zoom', 'Google Chrome', 'Firefox', 'Downloads', 'Terminal', 'README.md'];
  const out: string[] = [];
  const left = style.panel?.position === 'left' && !style.panel.autoHide ? style.panel.thickness : 0;
  const top = (style.panel?.position === 'top' && !style.panel.autoHide ? style.panel.thickness : 0) + (style.os === 'macos' ? 24 * s : 0);
  const rows = Math.max(1, Math.floor((m.h - top - 60 * s) / cell));
  for (let i = 0; i < style.desktopIcons; i++) {
    const col = Math.floor(i / rows);
    const row = i % rows;
    const x = style.os === 'macos' ? m.x + m.w - cell * (col + 1) : m.x + left + col * cell;
    const y = m.y + top + row * cell + 8 * s;
    const c = rng.pick(['#f4c542', '#4a90d9', '#e0e0e0', '#5fb760', '#d9534f', '#8e7cc3']);
    out.push(rect(x + cell / 2 - 22 * s, y + 6 * s, 44 * s, 38 * s, c, `rx="${4 * s}"`));
    out.push(text(x + cell / 2, y + 62 * s, fit(rng.pick(labels), cell, 11 * s), { size: 11 * s, fill: '#ffffff', font: fontStack(style.uiFont, 'sans-serif'), anchor: 'middle' }));
  }
  return out.join('');
}

/** Taskbar (Windows, KDE, openbox tint2-like), dock (macOS) or top bar (GNOME) on the first monitor. */
export function renderPanel(scene: Scene): string {
  const style = scene.desktop;
  const p = style.panel;
  const m = scene.monitors[0];
  const s = style.scale;
  const dark = style.theme === 'dark' || style.os === 'win10' || style.os === 'gnome';
  const font = fontStack(style.uiFont, 'sans-serif');
  const out: string[] = [];
  if (style.os === 'macos') {
    const h = 24 * s;
    out.push(rect(m.x, m.y, m.w, h, style.theme === 'dark' ? '#2a2a2cdd' : '#f2f2f2dd'));
    const fg = style.theme === 'dark' ? '#f0f0f0' : '#111111';
    const focused = scene.windows.find((w) => w.focused && !w.minimized);
    const items = [appName(focused), 'File', 'Edit', 'View', 'Window', 'Help'];
    let x = m.x + 44 * s;
    out.push(circle(m.x + 20 * s, m.y + h / 2, 6 * s, fg));
    for (const [i, it] of items.entries()) {
      out.push(text(x, m.y + h * 0.7, it, { size: 13 * s, fill: fg, font, weight: i === 0 ? 'bold' : 'normal' }));
      x += (it.length * 7.5 + 20) * s;
    }
    out.push(text(m.x + m.w - 14 * s, m.y + h * 0.7, clock(scene, true), { size: 13 * s, fill: fg, font, anchor: 'end' }));
  }
  if (!p) return out.join('');
  if (p.autoHide && !(scene.t % 37 < 3)) return out.join('');
  const t = p.thickness;
  const horizontal = p.position === 'bottom' || p.position === 'top';
  const bar: Rect = p.position === 'bottom' ? { x: m.x, y: m.y + m.h - t, w: m.w, h: t } : p.position === 'top' ? { x: m.x, y: m.y + (style.os === 'macos' ? 24 * s : 0), w: m.w, h: t } : p.position === 'left' ? { x: m.x, y: m.y, w: t, h: m.h } : { x: m.x + m.w - t, y: m.y, w: t, h: m.h };
  const rng = buildRng(`${style.seed}:panel`);
  if (style.os === 'macos') {
    const icons = 7 + (scene.windows.length % 5);
    const len = icons * t * 0.85;
    const dock = horizontal ? { x: bar.x + (bar.w - len) / 2, y: bar.y + 4 * s, w: len, h: t - 8 * s } : { x: bar.x + 4 * s, y: bar.y + (bar.h - len) / 2, w: t - 8 * s, h: len };
    out.push(rect(dock.x, dock.y, dock.w, dock.h, style.theme === 'dark' ? '#3a3a3ccc' : '#e8e8e8cc', `rx="${14 * s}" stroke="#88888855"`));
    for (let i = 0; i < icons; i++) {
      const c = i < scene.windows.length ? appIconColor(scene.windows[i]) : rng.pick(['#3478f6', '#f5a623', '#7ed321', '#bd10e0', '#9b9b9b', '#d0021b']);
      const size = t * 0.7;
      const x = horizontal ? dock.x + (i + 0.5) * (len / icons) - size / 2 : dock.x + (dock.w - size) / 2;
      const y = horizontal ? dock.y + (dock.h - size) / 2 : dock.y + (i + 0.5) * (len / icons) - size / 2;
      out.push(rect(x, y, size, size, c, `rx="${size * 0.22}"`));
    }
    return out.join('');
  }
  const bg = style.os === 'win11' ? (style.theme === 'dark' ? '#202020' : '#f3f3f3') : style.os === 'gnome' ? '#000000' : style.os === 'kde' ? (style.theme === 'dark' ? '#232629' : '#eff0f1') : style.os === 'openbox' ? rng.pick(['#222222', '#3c3c3c', '#d6d6d6', '#2e3440']) : '#1f1f1f';
  const fg = isDarkColor(bg) ? '#ffffff' : '#1a1a1a';
  out.push(rect(bar.x, bar.y, bar.w, bar.h, bg, style.os === 'win11' ? 'fill-opacity="0.96"' : ''));
  if (style.os === 'gnome') {
    out.push(text(bar.x + 14 * s, bar.y + t * 0.68, 'Activities', { size: 13 * s, fill: fg, font }));
    if (horizontal) out.push(text(bar.x + bar.w / 2, bar.y + t * 0.68, clock(scene, true), { size: 13 * s, fill: fg, font, anchor: 'middle', weight: 'bold' }));
    out.push(circle(bar.x + bar.w - 20 * s, bar.y + t / 2, 5 * s, fg));
    return out.join('');
  }
  // start button, search, app icons (one per open window), tray and clock
  const step = Math.min(t * 1.05, (horizontal ? bar.w : bar.h) / 24);
  let pos = style.os === 'win11' && horizontal ? (bar.w - (scene.windows.length + 4) * step) / 2 : 6 * s;
  const icon = (c: string, active: boolean) => {
    const size = step * 0.55;
    const x = horizontal ? bar.x + pos + (step - size) / 2 : bar.x + (t - size) / 2;
    const y = horizontal ? bar.y + (t - size) / 2 : bar.y + pos + (step - size) / 2;
    out.push(rect(x, y, size, size, c, `rx="${size * 0.18}"`));
    if (active) out.push(horizontal ? rect(x, bar.y + t - 3 * s, size, 2.5 * s, style.accent) : rect(bar.x + 1, y, 2.5 * s, size, style.accent));
    pos += step;
  };
  icon(style.os === 'win10' || style.os === 'win11' ? '#4aa3ff' : style.accent, false);
  if ((style.os === 'win10' || style.os === 'win11') && horizontal && rng.chance(0.6)) {
    const w = 190 * s;
    out.push(rect(bar.x + pos, bar.y + t * 0.18, w, t * 0.64, style.os === 'win10' ? '#ffffff' : isDarkColor(bg) ? '#2d2d2d' : '#ffffff', `rx="${style.os === 'win11' ? t * 0.32 : 0}"`));
    out.push(text(bar.x + pos + 30 * s, bar.y + t * 0.6, 'Type here to search', { size: 11 * s, fill: '#777777', font }));
    pos += w + 6 * s;
  }
  for (const pin of rng.shuffle(['#f0c14b', '#1e88e5', '#43a047', '#8e24aa']).slice(0, rng.int(1, 4))) icon(pin, false);
  for (const w of scene.windows) icon(appIconColor(w), !w.minimized);
  if (horizontal) {
    out.push(text(bar.x + bar.w - 12 * s, bar.y + t * (style.os === 'openbox' ? 0.66 : 0.45), clock(scene, false), { size: 11.5 * s, fill: fg, font, anchor: 'end' }));
    if (style.os !== 'openbox' && t > 34 * s) out.push(text(bar.x + bar.w - 12 * s, bar.y + t * 0.8, '21/01/2025', { size: 11 * s, fill: fg, font, anchor: 'end' }));
    for (let i = 0; i < 3; i++) out.push(rect(bar.x + bar.w - (110 + i * 24) * s, bar.y + t / 2 - 6 * s, 12 * s, 12 * s, fg, 'fill-opacity="0.75"'));
  }
  return out.join('');
}

export function renderToast(style: DesktopStyle, toast: Toast): string {
  const s = style.scale;
  const { x, y, w, h } = toast.rect;
  const dark = style.theme === 'dark' || style.os === 'win10';
  const font = fontStack(style.uiFont, 'sans-serif');
  const fg = dark ? '#ffffff' : '#1b1b1b';
  return [
    rect(x, y, w, h, dark ? '#2b2b2b' : '#f7f7f7', `rx="${style.os === 'win10' || style.os === 'openbox' ? 0 : 10 * s}" stroke="${dark ? '#444444' : '#cccccc'}"`),
    rect(x + 14 * s, y + 16 * s, 28 * s, 28 * s, style.accent, `rx="${6 * s}"`),
    text(x + 54 * s, y + 26 * s, esc(toast.app), { size: 11 * s, fill: fg, font, opacity: 0.7 }),
    text(x + 54 * s, y + 46 * s, fit(toast.title, w - 64 * s, 13 * s), { size: 13 * s, fill: fg, font, weight: 'bold' }),
    text(x + 54 * s, y + 66 * s, fit(toast.body, w - 64 * s, 12 * s), { size: 12 * s, fill: fg, font }),
  ].join('');
}

function clock(scene: Scene, long: boolean): string {
  const base = 9 * 3600 + (buildRng(scene.sessionId).int(0, 8 * 60) * 60) + scene.t;
  const hh = Math.floor(base / 3600) % 24;
  const mm = Math.floor(base / 60) % 60;
  const hm = `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
  return long ? `Tue 21 Jan  ${hm}` : hm;
}

function appName(w: SceneWindow | undefined): string {
  if (!w) return 'Finder';
  return { ide: 'Code', terminal: 'Terminal', 'file-explorer': 'Finder', 'text-editor': 'TextEdit', 'pdf-viewer': 'Preview', browser: w.flavor === 'safari' ? 'Safari' : 'Google Chrome', 'ai-chat': 'ChatGPT', messaging: 'WhatsApp', 'video-call': 'zoom.us', 'remote-desktop': 'AnyDesk' }[w.kind];
}

export function isDarkColor(hex: string): boolean {
  const n = parseInt(hex.slice(1, 7), 16);
  return ((n >> 16) & 255) * 0.299 + ((n >> 8) & 255) * 0.587 + (n & 255) * 0.114 < 128;
}
