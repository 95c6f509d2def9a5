import { CHAT_LINES, personName, wrap } from '../text-corpus.js';
import { circle, fit, rect, text, type AppContext, type AppRender } from './svg.js';

/**
 * Instant messaging (WhatsApp, Telegram, Discord, Slack, Teams look-alikes), as
 * desktop app, web app or small popup: conversation list, message bubbles or
 * IRC-style rows with avatars, input box. New messages arrive over time.
 */
function look(flavor: string, dark: boolean) {
  switch (flavor) {
    case 'telegram': return dark ? { bg: '#0e1621', list: '#17212b', head: '#17212b', fg: '#f5f5f5', mine: '#2b5278', theirs: '#182533', accent: '#5eb5f7', bubbles: true } : { bg: '#99ba92', list: '#ffffff', head: '#ffffff', fg: '#000000', mine: '#effdde', theirs: '#ffffff', accent: '#3390ec', bubbles: true };
    case 'discord': return { bg: dark ? '#313338' : '#ffffff', list: dark ? '#2b2d31' : '#f2f3f5', head: dark ? '#313338' : '#ffffff', fg: dark ? '#dbdee1' : '#313338', mine: '', theirs: '', accent: '#5865f2', bubbles: false };
    case 'slack': return { bg: dark ? '#1a1d21' : '#ffffff', list: dark ? '#19171d' : '#3f0e40', head: dark ? '#1a1d21' : '#ffffff', fg: dark ? '#d1d2d3' : '#1d1c1d', mine: '', theirs: '', accent: '#4a154b', bubbles: false };
    case 'teams': return dark ? { bg: '#1f1f1f', list: '#292929', head: '#292929', fg: '#ffffff', mine: '#2f2f4a', theirs: '#292929', accent: '#7f85f5', bubbles: true } : { bg: '#f5f5f5', list: '#ebebeb', head: '#ffffff', fg: '#242424', mine: '#e8ebfa', theirs: '#ffffff', accent: '#5b5fc7', bubbles: true };
    default: return dark ? { bg: '#0b141a', list: '#111b21', head: '#202c33', fg: '#e9edef', mine: '#005c4b', theirs: '#202c33', accent: '#00a884', bubbles: true } : { bg: '#efeae2', list: '#ffffff', head: '#f0f2f5', fg: '#111b21', mine: '#d9fdd3', theirs: '#ffffff', accent: '#00a884', bubbles: true };
  }
}

export function renderMessagingContent(ctx: AppContext, w: number, fullH: number): string {
  const { s, rng, win } = ctx;
  const flavor = win.kind === 'messaging' ? win.flavor : rng.fork('mf').pick(['whatsapp', 'telegram', 'discord', 'slack']);
  const L = look(flavor, ctx.dark);
  // Slack draws its top bar (search) and its left rail (workspace, Home, DMs,
  // Activity) at every window width, so a narrow Slack is an aubergine L, not a white block.
  const slackFrame = flavor === 'slack' && win.popup !== true;
  const topBar = slackFrame ? 40 * s : 0;
  const h = fullH - topBar;
  const out: string[] = [rect(0, 0, w, h, L.bg)];
  const narrow = w < 560 * s || win.popup === true;
  let listW = narrow ? 0 : Math.min(w * 0.32, 380 * s);
  let x0 = 0;
  if (slackFrame) {
    x0 = 70 * s;
    out.push(slackRail(ctx, x0, h));
  }
  if (flavor === 'discord' && !narrow) {
    out.push(rect(0, 0, 72 * s, h, ctx.dark ? '#1e1f22' : '#e3e5e8'));
    for (let i = 0; i < Math.floor(h / (58 * s)); i++) out.push(circle(36 * s, 34 * s + i * 58 * s, 24 * s, rng.fork(`srv${i}`).pick(['#5865f2', '#3ba55c', '#ed4245', '#faa61a', '#404249'])));
    x0 = 72 * s;
    listW = Math.min(240 * s, w * 0.2);
  }
  if (listW > 0) {
    out.push(rect(x0, 0, listW, h, L.list));
    const lfg = flavor === 'slack' && !ctx.dark ? '#ffffff' : L.fg;
    out.push(text(x0 + 16 * s, 38 * s, flavor === 'discord' ? 'Exam Study Group' : flavor === 'slack' ? 'CS-2025' : flavor === 'teams' ? 'Chat' : 'Chats', { size: 17 * s, fill: lfg, font: ctx.ui, weight: 'bold' }));
    const rowH = flavor === 'discord' || flavor === 'slack' ? 30 * s : 70 * s;
    for (let i = 0; 70 * s + i * rowH < h; i++) {
      const r = rng.fork(`chat${i}`);
      const y = 70 * s + i * rowH;
      if (i === win.state.tab % 4) out.push(rect(x0 + 6 * s, y, listW - 12 * s, rowH - 2 * s, ctx.dark || flavor === 'slack' ? '#ffffff18' : '#00000010', `rx="${6 * s}"`));
      if (rowH > 40 * s) {
        out.push(circle(x0 + 36 * s, y + rowH / 2, 23 * s, r.pick(['#d1b3a0', '#7e57c2', '#26a69a', '#ef5350', '#8d6e63', '#5c6bc0', '#bdbdbd'])));
        out.push(text(x0 + 72 * s, y + rowH * 0.42, fit(r.chance(0.3) ? r.pick(['Prog II group', 'Exam 😅', 'Class 2B', 'Mum']) : personName(r), listW - 130 * s, 15 * s), { size: 15 * s, fill: lfg, font: ctx.ui }));
        out.push(text(x0 + 72 * s, y + rowH * 0.72, fit(r.pick(CHAT_LINES), listW - 100 * s, 13 * s), { size: 13 * s, fill: lfg, font: ctx.ui, opacity: 0.65 }));
        out.push(text(x0 + listW - 14 * s, y + rowH * 0.42, `${r.int(8, 12)}:${String(r.int(0, 59)).padStart(2, '0')}`, { size: 11.5 * s, fill: lfg, font: ctx.ui, anchor: 'end', opacity: 0.6 }));
      } else {
        out.push(text(x0 + 20 * s, y + rowH * 0.68, `# ${r.pick(['general', 'exam-help', 'homework', 'random', 'java', 'memes', 'announcements'])}`, { size: 14 * s, fill: lfg, font: ctx.ui, opacity: i === win.state.tab % 4 ? 1 : 0.65 }));
      }
    }
    x0 += listW;
  }
  // Wide Discord windows show the member list on the right: without it the right
  // half of a maximised web app is blank, and a blank half beside the IDE carries
  // no sign of messaging.
  const membersW = flavor === 'discord' && w - x0 >= 900 * s ? 240 * s : 0;
  if (membersW > 0) out.push(memberList(ctx, w - membersW, membersW, h, L.list, L.fg));
  const cw = w - x0 - membersW;
  const headH = 58 * s;
  out.push(rect(x0, 0, cw, headH, L.head));
  out.push(circle(x0 + 32 * s, headH / 2, 19 * s, rng.fork('peer').pick(['#d1b3a0', '#7e57c2', '#26a69a', '#ef5350'])));
  const peer = personName(rng.fork('peername'));
  out.push(text(x0 + 62 * s, headH * 0.45, fit(flavor === 'discord' || flavor === 'slack' ? '# exam-help' : peer, cw - 100 * s, 15 * s), { size: 15 * s, fill: L.fg, font: ctx.ui, weight: 'bold' }));
  out.push(text(x0 + 62 * s, headH * 0.76, rng.pick(['online', 'typing…', 'last seen today at 09:41', 'click here for contact info']), { size: 12 * s, fill: L.fg, font: ctx.ui, opacity: 0.6 }));
  const inputH = 60 * s;
  const fs = 14.5 * s;
  const lh = fs * 1.4;
  const msgs = Array.from({ length: 14 + (win.state.progress % 40) }, (_, i) => {
    const r = rng.fork(`msg${i}`);
    return { mine: r.chance(0.45), text: r.pick(CHAT_LINES), who: personName(r), code: r.chance(0.08) };
  });
  let y = h - inputH - 14 * s;
  for (let i = msgs.length - 1; i >= 0 && y > headH; i--) {
    const m = msgs[i];
    const lines = wrap(m.text, Math.max(8, Math.floor((cw * 0.6) / (fs * 0.52))));
    if (L.bubbles) {
      const bw = Math.min(cw * 0.7, Math.max(...lines.map((l) => l.length)) * fs * 0.55 + 60 * s);
      const bh = lines.length * lh + 14 * s;
      y -= bh + 6 * s;
      const bx = m.mine ? x0 + cw - bw - 20 * s : x0 + 20 * s;
      out.push(rect(bx, y, bw, bh, m.mine ? L.mine : L.theirs, `rx="${8 * s}"`));
      lines.forEach((l, j) => out.push(text(bx + 10 * s, y + 8 * s + (j + 0.75) * lh, l, { size: fs, fill: L.fg, font: ctx.ui })));
      out.push(text(bx + bw - 8 * s, y + bh - 5 * s, `${9 + (i % 3)}:${String(10 + i).slice(-2)}`, { size: 10 * s, fill: L.fg, font: ctx.ui, anchor: 'end', opacity: 0.55 }));
    } else {
      const bh = lines.length * lh + 26 * s;
      y -= bh + 8 * s;
      out.push(circle(x0 + 36 * s, y + 20 * s, 18 * s, rng.fork(`av${m.who}`).pick(['#5865f2', '#eb459e', '#57f287', '#fee75c', '#ed4245'])));
      out.push(text(x0 + 66 * s, y + 16 * s, m.who, { size: fs, fill: L.fg, font: ctx.ui, weight: 'bold' }));
      lines.forEach((l, j) => out.push(text(x0 + 66 * s, y + 22 * s + (j + 0.75) * lh, l, { size: fs, fill: L.fg, font: ctx.ui, opacity: 0.92 })));
    }
  }
  out.push(rect(x0, 0, cw, headH, L.head), circle(x0 + 32 * s, headH / 2, 19 * s, '#9e9e9e'), text(x0 + 62 * s, headH * 0.55, fit(flavor === 'discord' || flavor === 'slack' ? '# exam-help' : peer, cw - 100 * s, 15 * s), { size: 15 * s, fill: L.fg, font: ctx.ui, weight: 'bold' }));
  out.push(rect(x0, h - inputH, cw, inputH, L.head));
  const inputBg = flavor === 'discord' ? (ctx.dark ? '#383a40' : '#ebedef') : ctx.dark ? '#2a3942' : '#ffffff';
  out.push(rect(x0 + 50 * s, h - inputH + 10 * s, cw - 100 * s, inputH - 20 * s, inputBg, `rx="${8 * s}"`));
  out.push(text(x0 + 66 * s, h - inputH / 2 + 5 * s, flavor === 'discord' ? 'Message #exam-help' : 'Type a message', { size: 14 * s, fill: L.fg, font: ctx.ui, opacity: 0.5 }));
  return topBar > 0 ? slackTopBar(ctx, w, topBar) + `<g transform="translate(0,${topBar})">${out.join('')}</g>` : out.join('');
}

function memberList(ctx: AppContext, x: number, w: number, h: number, bg: string, fg: string): string {
  const { s, rng } = ctx;
  const r = rng.fork('members');
  const out = [rect(x, 0, w, h, bg)];
  out.push(text(x + 16 * s, 30 * s, `ONLINE — ${r.int(6, 40)}`, { size: 11.5 * s, fill: fg, font: ctx.ui, weight: 'bold', opacity: 0.6 }));
  for (let i = 0, y = 46 * s; y + 44 * s < h; i++, y += 44 * s) {
    const m = r.fork(`m${i}`);
    out.push(circle(x + 32 * s, y + 20 * s, 16 * s, m.pick(['#5865f2', '#eb459e', '#57f287', '#fee75c', '#ed4245', '#3ba55c', '#faa61a'])));
    out.push(circle(x + 44 * s, y + 32 * s, 5 * s, m.pick(['#23a55a', '#23a55a', '#f0b232', '#80848e'])));
    out.push(text(x + 58 * s, y + 25 * s, fit(personName(m), w - 70 * s, 14 * s), { size: 14 * s, fill: fg, font: ctx.ui, opacity: 0.8 }));
  }
  return out.join('');
}

/** Slack's window chrome (top bar and left rail) in either theme. */
const slackChrome = (dark: boolean): string => (dark ? '#121016' : '#350d36');

function slackRail(ctx: AppContext, w: number, h: number): string {
  const { s } = ctx;
  const out = [rect(0, 0, w, h, slackChrome(ctx.dark))];
  out.push(rect(w / 2 - 18 * s, 12 * s, 36 * s, 36 * s, ctx.rng.fork('ws').pick(['#e8912d', '#2bac76', '#1264a3', '#e01e5a']), `rx="${8 * s}"`));
  ['Home', 'DMs', 'Activity', 'More'].forEach((label, i) => {
    const y = 80 * s + i * 62 * s;
    if (y + 50 * s > h) return;
    out.push(rect(w / 2 - 17 * s, y, 34 * s, 34 * s, i === 0 ? '#ffffff33' : '#ffffff12', `rx="${8 * s}"`));
    out.push(text(w / 2, y + 48 * s, label, { size: 10.5 * s, fill: '#ffffff', font: ctx.ui, anchor: 'middle', opacity: 0.85 }));
  });
  return out.join('');
}

function slackTopBar(ctx: AppContext, w: number, barH: number): string {
  const { s } = ctx;
  const bar = slackChrome(ctx.dark);
  const field = ctx.dark ? '#2c2a31' : '#644565';
  const fw = w >= 700 * s ? Math.min(720 * s, w * 0.5) : w * 0.62;
  return [
    rect(0, 0, w, barH, bar),
    rect((w - fw) / 2, 7 * s, fw, barH - 14 * s, field, `rx="${6 * s}"`),
    text((w - fw) / 2 + 30 * s, barH / 2 + 5 * s, 'Search CS-2025', { size: 13 * s, fill: '#ffffff', font: ctx.ui, opacity: 0.75 }),
  ].join('');
}

export function renderMessaging(ctx: AppContext, w: number, h: number): AppRender {
  const name = { whatsapp: 'WhatsApp', telegram: 'Telegram', discord: 'Discord', slack: 'Slack', teams: 'Microsoft Teams' }[ctx.win.flavor] ?? 'Chat';
  return { body: renderMessagingContent(ctx, w, h), title: name };
}
