import { renderAiChatContent } from './ai-chat.js';
import { renderIde } from './ide.js';
import { renderMessagingContent } from './messaging.js';
import { circle, rect, text, type AppContext, type AppRender } from './svg.js';

/**
 * Remote help: a remote-desktop client (RDP, AnyDesk/TeamViewer-like) showing
 * another desktop inside a window, or a phone mirrored in a phone-shaped window
 * (scrcpy-like). The inner screen is drawn at its own resolution and scaled.
 */
export function renderRemoteDesktop(ctx: AppContext, w: number, h: number): AppRender {
  const { s, rng, win } = ctx;
  if (win.flavor === 'phone-mirror') {
    const out: string[] = [rect(0, 0, w, h, '#000000')];
    const ph = Math.min(h - 8 * s, (w - 8 * s) * 2.1);
    const pw = ph / 2.1;
    const px = (w - pw) / 2;
    const py = (h - ph) / 2;
    const innerW = 412;
    const innerH = innerW * 2.1;
    const inner = { ...ctx, s: 1.1, win: { ...win, kind: 'messaging' as const, popup: true } };
    const content = rng.fork('phone').chance(0.6) ? renderMessagingContent(inner, innerW, innerH - 28) : renderAiChatContent({ ...inner, win: { ...inner.win, kind: 'ai-chat' as const } }, innerW, innerH - 28);
    out.push(`<svg x="${px.toFixed(1)}" y="${py.toFixed(1)}" width="${pw.toFixed(1)}" height="${ph.toFixed(1)}" viewBox="0 0 ${innerW} ${innerH.toFixed(0)}" overflow="hidden">${rect(0, 0, innerW, 28, '#000000')}${text(16, 19, '10:4' + (ctx.t % 10), { size: 13, fill: '#ffffff', font: ctx.ui })}${circle(innerW - 20, 14, 5, '#ffffff')}<svg y="28" width="${innerW}" height="${(innerH - 28).toFixed(0)}">${content}</svg></svg>`);
    return { body: out.join(''), title: rng.pick(['SM-A536B', 'Pixel 7', 'Redmi Note 12', 'scrcpy']) };
  }
  const out: string[] = [rect(0, 0, w, h, '#1b1b1b')];
  let top = 0;
  if (win.flavor === 'anydesk') {
    out.push(rect(0, 0, w, 38 * s, '#ef443b'), rect(0, 38 * s, w, 34 * s, '#f4f4f4'));
    out.push(text(14 * s, 25 * s, `${rng.int(100, 999)} ${rng.int(100, 999)} ${rng.int(100, 999)}`, { size: 13 * s, fill: '#ffffff', font: ctx.ui, weight: 'bold' }));
    for (let i = 0; i < 8; i++) out.push(rect(14 * s + i * 34 * s, 46 * s, 18 * s, 18 * s, '#777777', `rx="${3 * s}"`));
    top = 72 * s;
  } else {
    out.push(rect(w / 2 - 150 * s, 0, 300 * s, 22 * s, '#2e6ac9'), text(w / 2, 16 * s, `${rng.pick(['10.0.2.15', 'DESKTOP-7F3K2', 'home-pc', 'lab-helper'])}`, { size: 12 * s, fill: '#ffffff', font: ctx.ui, anchor: 'middle' }));
  }
  const rw = rng.fork('res').pick([1280, 1366, 1600, 1920]);
  const rh = Math.round(rw * 9 / 16);
  const avail = { w, h: h - top };
  const k = Math.min(avail.w / rw, avail.h / rh);
  const vw = rw * k;
  const vh = rh * k;
  const wall = rng.fork('wall').pick(['#0a5a9c', '#2d5f3f', '#6b3a6b', '#1c1c1c', '#8a6a3a']);
  const innerWin = { ...win, kind: 'ide' as const, flavor: rng.fork('rf').pick(['vscode', 'jetbrains', 'visualstudio']), maximized: true, rect: { x: 0, y: 0, w: rw, h: rh - 40 } };
  const ide = renderIde({ ...ctx, s: 1, win: innerWin }, rw, rh - 40);
  out.push(`<svg x="${((w - vw) / 2).toFixed(1)}" y="${(top + (avail.h - vh) / 2).toFixed(1)}" width="${vw.toFixed(1)}" height="${vh.toFixed(1)}" viewBox="0 0 ${rw} ${rh}" overflow="hidden">${rect(0, 0, rw, rh, wall)}${ide.body}${rect(0, rh - 40, rw, 40, '#202020')}${rect(12, rh - 30, 20, 20, '#4aa3ff')}</svg>`);
  return { body: out.join(''), title: win.flavor === 'anydesk' ? `${rng.int(100, 999)} ${rng.int(100, 999)} ${rng.int(100, 999)} - AnyDesk` : `${rng.pick(['home-pc', 'DESKTOP-7F3K2', '10.0.2.15'])} - Remote Desktop Connection` };
}
