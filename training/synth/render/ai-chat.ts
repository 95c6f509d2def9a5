import { generateSource, typedLines, type Language } from '../code-gen.js';
import { AI_QUESTIONS, paragraph, wrap } from '../text-corpus.js';
import { codeView, pickScheme } from './code-view.js';
import { circle, fit, rect, text, type AppContext, type AppRender } from './svg.js';

/**
 * Generative-AI chats (ChatGPT, Claude, Gemini, Copilot look-alikes): a sidebar
 * of conversations, the user's question in a bubble, an answer with code
 * blocks that streams in, and the input box.
 */
function look(flavor: string, dark: boolean) {
  switch (flavor) {
    case 'claude': return dark ? { bg: '#262624', side: '#1f1e1d', fg: '#f5f4ef', bubble: '#141413', input: '#30302e', accent: '#d97757' } : { bg: '#faf9f5', side: '#f0eee6', fg: '#141413', bubble: '#f0eee6', input: '#ffffff', accent: '#d97757' };
    case 'gemini': return dark ? { bg: '#131314', side: '#1e1f20', fg: '#e3e3e3', bubble: '#2a2a2c', input: '#1e1f20', accent: '#4b7bec' } : { bg: '#ffffff', side: '#f0f4f9', fg: '#1f1f1f', bubble: '#e9eef6', input: '#f0f4f9', accent: '#4b7bec' };
    case 'copilot': return dark ? { bg: '#1b1a19', side: '#252423', fg: '#f3f2f1', bubble: '#2f3a4a', input: '#2b2a29', accent: '#2aa1d8' } : { bg: '#f7f3ee', side: '#efe9e1', fg: '#1b1a19', bubble: '#e6ecf5', input: '#ffffff', accent: '#2aa1d8' };
    default: return dark ? { bg: '#212121', side: '#171717', fg: '#ececec', bubble: '#303030', input: '#303030', accent: '#10a37f' } : { bg: '#ffffff', side: '#f9f9f9', fg: '#0d0d0d', bubble: '#f4f4f4', input: '#ffffff', accent: '#10a37f' };
  }
}

export function renderAiChatContent(ctx: AppContext, w: number, h: number): string {
  const { s, rng, win } = ctx;
  const flavor = win.kind === 'ai-chat' ? win.flavor : rng.fork('aif').pick(['chatgpt', 'claude', 'gemini', 'copilot']);
  const L = look(flavor, ctx.dark);
  const out: string[] = [rect(0, 0, w, h, L.bg)];
  const serif = flavor === 'claude' && rng.fork('cs').chance(0.6);
  const font = serif ? 'Liberation Serif, DejaVu Serif, serif' : ctx.ui;
  const side = w > 900 * s && rng.fork('side').chance(0.75) ? Math.min(260 * s, w * 0.22) : 0;
  if (side > 0) {
    out.push(rect(0, 0, side, h, L.side));
    out.push(text(16 * s, 34 * s, { chatgpt: 'ChatGPT', claude: 'Claude', gemini: 'Gemini', copilot: 'Copilot' }[flavor] ?? 'Chat', { size: 16 * s, fill: L.fg, font, weight: 'bold' }));
    out.push(text(16 * s, 76 * s, '✎  New chat', { size: 13.5 * s, fill: L.fg, font: ctx.ui }));
    out.push(text(16 * s, 116 * s, rng.pick(['Today', 'Recents', 'Previous 7 days']), { size: 11.5 * s, fill: L.fg, font: ctx.ui, opacity: 0.6 }));
    for (let i = 0; 140 * s + i * 34 * s < h - 60 * s; i++) {
      const y = 140 * s + i * 34 * s;
      if (i === 0) out.push(rect(8 * s, y - 20 * s, side - 16 * s, 30 * s, L.bubble, `rx="${8 * s}"`));
      out.push(text(16 * s, y, fit(rng.fork(`c${i}`).pick([...AI_QUESTIONS, 'Java average of list', 'Fix NullReferenceException', 'Recursion explained', 'Exam help', 'Sorting algorithms comparison', 'Python file reading']), side - 32 * s, 13 * s), { size: 13 * s, fill: L.fg, font: ctx.ui, opacity: 0.9 }));
    }
  }
  const colW = Math.min(w - side - 48 * s, 760 * s);
  const x0 = side + (w - side - colW) / 2;
  const fs = 15 * s;
  const lh = fs * 1.6;
  const inputH = 56 * s;
  const q = rng.fork('q').pick(AI_QUESTIONS);
  const lang: Language = rng.fork('lang').pick(['java', 'csharp', 'python', 'c']);
  // conversation: earlier turns scrolled up, the last answer streaming
  const blocks: { kind: 'user' | 'text' | 'code'; lines: string[] }[] = [];
  const turns = rng.fork('turns').int(1, 3);
  for (let t = 0; t < turns; t++) {
    const r = rng.fork(`turn${t}`);
    blocks.push({ kind: 'user', lines: wrap(t === turns - 1 ? q : r.pick(AI_QUESTIONS), Math.floor(colW * 0.6 / (fs * 0.5))) });
    blocks.push({ kind: 'text', lines: paragraph(r, r.int(1, 3), Math.floor(colW / (fs * 0.5))) });
    blocks.push({ kind: 'code', lines: generateSource(r.fork('code'), lang).slice(r.int(3, 8), r.int(14, 26)) });
    if (r.chance(0.6)) blocks.push({ kind: 'text', lines: paragraph(r.fork('after'), r.int(1, 2), Math.floor(colW / (fs * 0.5))) });
  }
  // stream: hide the end of the last answer according to progress
  let budget = 200 + win.state.progress * 3;
  const lastUser = blocks.map((b) => b.kind).lastIndexOf('user');
  const shown = blocks.map((b, i) => {
    if (i <= lastUser) return b;
    const lines = typedLines(b.lines, budget);
    budget -= b.lines.reduce((n, l) => n + l.length + 1, 0);
    return { ...b, lines };
  }).filter((b) => b.lines.length > 0);
  const heights = shown.map((b) => (b.kind === 'user' ? b.lines.length * lh + 28 * s : b.kind === 'code' ? b.lines.length * fs * 1.35 + 56 * s : b.lines.length * lh + 16 * s));
  const total = heights.reduce((a, b) => a + b + 18 * s, 0);
  let y = Math.min(70 * s, h - inputH - 40 * s - total) + (win.state.scroll * 10 * s) % (60 * s);
  const scheme = pickScheme(rng.fork('sch'), true, 'vscode');
  shown.forEach((b, i) => {
    const bh = heights[i];
    if (y + bh > 0 && y < h) {
      if (b.kind === 'user') {
        const bw = Math.min(colW * 0.7, Math.max(...b.lines.map((l) => l.length)) * fs * 0.52 + 36 * s);
        out.push(rect(x0 + colW - bw, y, bw, bh, L.bubble, `rx="${18 * s}"`));
        b.lines.forEach((l, j) => out.push(text(x0 + colW - bw + 18 * s, y + 14 * s + (j + 0.75) * lh, l, { size: fs, fill: L.fg, font })));
      } else if (b.kind === 'code') {
        out.push(rect(x0, y, colW, bh, '#0d0d0d', `rx="${8 * s}"`), rect(x0, y, colW, 34 * s, '#2f2f2f', `rx="${8 * s}"`));
        out.push(text(x0 + 14 * s, y + 22 * s, lang === 'csharp' ? 'csharp' : lang, { size: 12 * s, fill: '#cdcdcd', font: ctx.ui }), text(x0 + colW - 14 * s, y + 22 * s, '⧉ Copy code', { size: 12 * s, fill: '#cdcdcd', font: ctx.ui, anchor: 'end' }));
        out.push(codeView(x0 + 8 * s, y + 42 * s, colW - 16 * s, bh - 50 * s, { lines: b.lines, lang, scheme: { ...scheme, bg: '#0d0d0d' }, font: ctx.mono, size: fs * 0.88, first: 0, lineNumbers: false, cursorLine: -1, lineHeight: fs * 1.35 }));
      } else {
        if (i > 0 && shown[i - 1].kind === 'user') out.push(circle(x0 - 24 * s, y + 12 * s, 12 * s, L.accent));
        b.lines.forEach((l, j) => out.push(text(x0, y + (j + 0.75) * lh, l, { size: fs, fill: L.fg, font })));
      }
    }
    y += bh + 18 * s;
  });
  // input box
  const iy = h - inputH - 24 * s;
  out.push(rect(0, iy - 12 * s, w, h - iy + 12 * s, L.bg, 'fill-opacity="0.92"'));
  out.push(rect(x0, iy, colW, inputH, L.input, `rx="${(flavor === 'claude' ? 12 : 26) * s}" stroke="${ctx.dark ? '#444444' : '#d9d9d9'}"`));
  out.push(text(x0 + 22 * s, iy + inputH * 0.6, flavor === 'claude' ? 'Reply to Claude...' : flavor === 'gemini' ? 'Ask Gemini' : 'Message ' + ({ chatgpt: 'ChatGPT', copilot: 'Copilot' }[flavor] ?? ''), { size: 14 * s, fill: L.fg, font: ctx.ui, opacity: 0.5 }));
  out.push(circle(x0 + colW - 28 * s, iy + inputH / 2, 15 * s, ctx.dark ? '#ececec' : '#0d0d0d'));
  return out.join('');
}

export function renderAiChat(ctx: AppContext, w: number, h: number): AppRender {
  const name = { chatgpt: 'ChatGPT', claude: 'Claude', gemini: 'Gemini', copilot: 'Copilot' }[ctx.win.flavor] ?? 'Chat';
  return { body: renderAiChatContent(ctx, w, h), title: name };
}
