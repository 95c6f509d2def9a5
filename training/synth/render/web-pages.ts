import { generateSource, type Language } from '../code-gen.js';
import { searchQuery } from '../app-catalog.js';
import type { PageKind } from '../scene.js';
import { paragraph, personName, sentence, words } from '../text-corpus.js';
import { renderAiChatContent } from './ai-chat.js';
import { codeView, pickScheme } from './code-view.js';
import { renderIde } from './ide.js';
import { renderMessagingContent } from './messaging.js';
import { examPage } from './pdf-viewer.js';
import { circle, fit, rect, text, type AppContext } from './svg.js';
import { renderVideoCallContent } from './video-call.js';
import { newsPage, socialPage } from './web-sites.js';

/** Page content inside a browser: search results, Q&A, documentation, video, article, webmail, PDF, web IDE, and the web versions of chat/messaging/calls. */
export function renderPage(ctx: AppContext, page: PageKind, w: number, h: number): { body: string; title: string } {
  switch (page) {
    case 'search': return { body: searchPage(ctx, w, h), title: 'Google Search' };
    case 'qa': return { body: qaPage(ctx, w, h), title: 'Stack Overflow' };
    case 'docs': return { body: docsPage(ctx, w, h), title: 'Documentation' };
    case 'video': return { body: videoPage(ctx, w, h), title: 'YouTube' };
    case 'article': return { body: articlePage(ctx, w, h), title: 'Article' };
    case 'webmail': return { body: mailPage(ctx, w, h), title: 'Inbox' };
    case 'pdf': return { body: pdfPage(ctx, w, h), title: 'exam-statement.pdf' };
    case 'web-ide': {
      const ide = renderIde({ ...ctx, win: { ...ctx.win, flavor: 'vscode' } }, w, h);
      return { body: ide.body, title: ide.title };
    }
    case 'ai-chat': return { body: renderAiChatContent(ctx, w, h), title: 'ChatGPT' };
    case 'messaging': return { body: renderMessagingContent(ctx, w, h), title: 'WhatsApp' };
    case 'video-call': return { body: renderVideoCallContent(ctx, w, h), title: 'Meet' };
    case 'social': return { body: socialPage(ctx, w, h, scrollPx(ctx)), title: 'Feed' };
    case 'news': return { body: newsPage(ctx, w, h, scrollPx(ctx)), title: 'News' };
  }
}

function pagePalette(ctx: AppContext) {
  const dark = ctx.dark && ctx.rng.fork('pdark').chance(0.8);
  return { dark, bg: dark ? ctx.rng.fork('pbg').pick(['#202124', '#1f1f1f', '#2d2d2d', '#181a1b']) : '#ffffff', fg: dark ? '#e8eaed' : '#202124', muted: dark ? '#9aa0a6' : '#5f6368', link: dark ? '#8ab4f8' : ctx.rng.fork('plink').pick(['#1a0dab', '#0645ad', '#0074cc']), border: dark ? '#3c4043' : '#dadce0' };
}

function scrollPx(ctx: AppContext): number {
  return (ctx.win.state.scroll * 23 * ctx.s) % (900 * ctx.s);
}

function searchPage(ctx: AppContext, w: number, h: number): string {
  const { s, rng } = ctx;
  const p = pagePalette(ctx);
  const out: string[] = [rect(0, 0, w, h, p.bg)];
  const q = searchQuery(rng.fork('q'));
  const typed = q.slice(0, Math.min(q.length, 6 + ctx.win.state.progress));
  const x0 = Math.min(180 * s, w * 0.12);
  const engine = rng.fork('engine').pick(['Google', 'Google', 'Bing', 'DuckDuckGo', 'Ecosia']);
  const logo = { Google: '#4285f4', Bing: '#008373', DuckDuckGo: '#de5833', Ecosia: '#008009' }[engine] ?? '#4285f4';
  out.push(text(28 * s, 48 * s, engine === 'Bing' ? 'Microsoft Bing' : engine, { size: (engine === 'Google' ? 26 : 20) * s, fill: p.dark ? p.fg : logo, font: 'Liberation Sans, sans-serif', weight: 'bold' }));
  out.push(rect(x0 + (engine === 'Google' ? 0 : 40 * s), 22 * s, Math.min(690 * s, w - x0 - 80 * s), 44 * s, p.dark ? '#303134' : '#ffffff', `rx="${(engine === 'DuckDuckGo' ? 8 : 22) * s}" stroke="${p.border}"`));
  out.push(text(x0 + 22 * s, 50 * s, typed, { size: 16 * s, fill: p.fg, font: ctx.ui }));
  ['All', 'Images', 'Videos', 'News', 'Shopping', 'More'].forEach((t, i) => out.push(text(x0 + i * 80 * s, 98 * s, t, { size: 13 * s, fill: i === 0 ? p.fg : p.muted, font: ctx.ui })));
  out.push(rect(0, 110 * s, w, 1, p.border));
  let y = 140 * s - scrollPx(ctx);
  out.push(text(x0, y, `About ${rng.int(1, 900)},${rng.int(100, 999)},000 results (0.${rng.int(20, 60)} seconds)`, { size: 13 * s, fill: p.muted, font: ctx.ui }));
  y += 34 * s;
  const sites = ['stackoverflow.com', 'www.geeksforgeeks.org', 'docs.oracle.com', 'learn.microsoft.com', 'www.w3schools.com', 'www.baeldung.com', 'realpython.com', 'www.reddit.com', 'www.programiz.com', 'www.youtube.com'];
  const colW = Math.min(650 * s, w - x0 - 30 * s);
  for (let i = 0; y < h; i++) {
    const r = rng.fork(`res${i}`);
    const site = r.pick(sites);
    out.push(circle(x0 + 13 * s, y - 4 * s, 13 * s, p.dark ? '#303134' : '#f1f3f4'), circle(x0 + 13 * s, y - 4 * s, 7 * s, r.pick(['#f48024', '#2f8d46', '#e76f00', '#0078d4', '#04aa6d', '#ff0000'])));
    out.push(text(x0 + 36 * s, y - 8 * s, site.replace('www.', '').split('.')[0], { size: 13 * s, fill: p.fg, font: ctx.ui }));
    out.push(text(x0 + 36 * s, y + 8 * s, fit(`https://${site} › ${q.split(' ').slice(0, 3).join('-')}`, colW - 40 * s, 11.5 * s), { size: 11.5 * s, fill: p.muted, font: ctx.ui }));
    out.push(text(x0, y + 36 * s, fit(`${words(r, r.int(4, 9))} - ${q}`, colW, 19 * s), { size: 19 * s, fill: p.link, font: ctx.ui }));
    const snippet = paragraph(r, 2, Math.floor(colW / (13.5 * s * 0.52)));
    snippet.slice(0, 2).forEach((l, j) => out.push(text(x0, y + 60 * s + j * 21 * s, l, { size: 13.5 * s, fill: p.muted, font: ctx.ui })));
    y += 140 * s;
  }
  if (w > 1100 * s) {
    out.push(rect(x0 + colW + 60 * s, 140 * s, Math.min(380 * s, w - x0 - colW - 90 * s), 300 * s, 'none', `stroke="${p.border}" rx="${8 * s}"`));
  }
  return out.join('');
}

function qaPage(ctx: AppContext, w: number, h: number): string {
  const { s, rng } = ctx;
  const p = pagePalette(ctx);
  const out: string[] = [rect(0, 0, w, h, p.bg)];
  out.push(rect(0, 0, w, 3 * s, '#f48225'), rect(0, 3 * s, w, 48 * s, p.dark ? '#393939' : '#f8f9f9'));
  out.push(text(24 * s, 34 * s, 'stack overflow', { size: 18 * s, fill: p.fg, font: ctx.ui, weight: 'bold' }));
  out.push(rect(220 * s, 12 * s, w * 0.45, 30 * s, p.dark ? '#2d2d2d' : '#ffffff', `stroke="${p.border}" rx="${3 * s}"`));
  const nav = 164 * s;
  ['Home', 'Questions', 'Tags', 'Users', 'Companies', 'Collectives'].forEach((t, i) => out.push(text(24 * s, 90 * s + i * 32 * s, t, { size: 13 * s, fill: i === 1 ? p.fg : p.muted, font: ctx.ui, weight: i === 1 ? 'bold' : 'normal' })));
  out.push(rect(nav, 51 * s, 1, h, p.border));
  let y = 90 * s - scrollPx(ctx);
  const x0 = nav + 24 * s;
  const colW = Math.min(w - x0 - 320 * s, 740 * s) > 300 * s ? Math.min(w - x0 - 320 * s, 740 * s) : w - x0 - 24 * s;
  const title = rng.pick(['How to sort an ArrayList of objects by a property?', 'What is a NullReferenceException, and how do I fix it?', 'How do I read a file line-by-line into a list?', 'Why does my recursive function return None?', 'Calculate the average of a list in C#']);
  out.push(text(x0, y, fit(title, colW + 200 * s, 22 * s), { size: 22 * s, fill: p.fg, font: ctx.ui }));
  y += 26 * s;
  out.push(text(x0, y, `Asked ${rng.int(2, 14)} years ago   Modified ${rng.int(1, 11)} months ago   Viewed ${rng.int(10, 900)}k times`, { size: 12 * s, fill: p.muted, font: ctx.ui }));
  y += 14 * s;
  out.push(rect(x0, y, colW + 200 * s, 1, p.border));
  y += 30 * s;
  const lang: Language = rng.fork('ql').pick(['java', 'csharp', 'python']);
  const scheme = pickScheme(rng.fork('qs'), p.dark, 'web');
  for (let post = 0; y < h && post < 6; post++) {
    const r = rng.fork(`post${post}`);
    out.push(text(x0 + 18 * s, y + 20 * s, '▲', { size: 18 * s, fill: p.muted, font: ctx.ui, anchor: 'middle' }), text(x0 + 18 * s, y + 48 * s, String(r.int(-2, 3400)), { size: 19 * s, fill: p.fg, font: ctx.ui, anchor: 'middle' }), text(x0 + 18 * s, y + 76 * s, '▼', { size: 18 * s, fill: p.muted, font: ctx.ui, anchor: 'middle' }));
    if (post === 1) out.push(text(x0 + 18 * s, y + 104 * s, '✔', { size: 22 * s, fill: '#2f6f44', font: ctx.ui, anchor: 'middle' }));
    const tx = x0 + 52 * s;
    const chars = Math.floor((colW - 52 * s) / (14 * s * 0.5));
    for (const l of paragraph(r, r.int(1, 3), chars)) { out.push(text(tx, y + 16 * s, l, { size: 14 * s, fill: p.fg, font: ctx.ui })); y += 21 * s; }
    const code = generateSource(r.fork('code'), lang).slice(r.int(4, 12), r.int(14, 22));
    const ch = code.length * 18 * s + 16 * s;
    out.push(codeView(tx, y + 8 * s, colW - 52 * s, ch, { lines: code, lang, scheme: { ...scheme, bg: p.dark ? '#2d2d2d' : '#f6f6f6' }, font: ctx.mono, size: 12.5 * s, first: 0, lineNumbers: false, cursorLine: -1, lineHeight: 18 * s }));
    y += ch + 24 * s;
    if (post === 0) { out.push(text(x0, y + 20 * s, `${r.int(2, 30)} Answers`, { size: 18 * s, fill: p.fg, font: ctx.ui })); y += 40 * s; }
    out.push(text(tx, y + 4 * s, `answered ${r.int(1, 12)} years ago  ·  ${personName(r)}  ${r.int(1, 300)}k`, { size: 12 * s, fill: p.link, font: ctx.ui }));
    y += 20 * s;
    out.push(rect(x0, y, colW, 1, p.border));
    y += 26 * s;
  }
  if (w - x0 - colW > 320 * s) {
    const bx = x0 + colW + 24 * s;
    out.push(rect(bx, 90 * s, 280 * s, 260 * s, p.dark ? '#4a4331' : '#fdf7e2', `stroke="${p.dark ? '#6b5f3a' : '#f1e5bc'}"`));
    out.push(text(bx + 14 * s, 114 * s, 'The Overflow Blog', { size: 13 * s, fill: p.fg, font: ctx.ui, weight: 'bold' }));
    for (let i = 0; i < 5; i++) out.push(text(bx + 14 * s, 144 * s + i * 40 * s, fit(sentence(rng.fork(`b${i}`)), 250 * s, 12 * s), { size: 12 * s, fill: p.fg, font: ctx.ui }));
  }
  return out.join('');
}

function docsPage(ctx: AppContext, w: number, h: number): string {
  const { s, rng } = ctx;
  const p = pagePalette(ctx);
  const variant = rng.fork('dv').int(0, 2);
  const head = variant === 0 ? (p.dark ? '#171717' : '#ffffff') : variant === 1 ? '#5382a1' : '#3776ab';
  const headFg = variant === 0 ? p.fg : '#ffffff';
  const out: string[] = [rect(0, 0, w, h, p.bg), rect(0, 0, w, 54 * s, head), rect(0, 54 * s, w, 1, p.border)];
  out.push(text(24 * s, 35 * s, variant === 0 ? 'Microsoft   |   Learn' : variant === 1 ? 'Java™ Platform, Standard Edition 8 API Specification' : 'Python 3.12.1 Documentation » The Python Standard Library', { size: 15 * s, fill: headFg, font: ctx.ui, weight: 'bold' }));
  const navW = Math.min(280 * s, w * 0.22);
  out.push(rect(0, 55 * s, navW, h, p.dark ? '#1b1b1b' : '#fafafa'));
  for (let i = 0; i * 26 * s < h - 80 * s; i++) out.push(text(20 * s + (i % 4 === 0 ? 0 : 14 * s), 84 * s + i * 26 * s, fit(rng.fork(`n${i}`).pick(['ArrayList', 'Collections', 'List<T>.Sort Method', 'Dictionary<TKey,TValue>', 'LinkedList', 'HashMap', 'Iterator', 'Comparable', 'Stream', 'str.split()', 'sorted()', 'Enumerable.Average', 'Overview', 'Constructors', 'Methods', 'Properties']), navW - 30 * s, 13 * s), { size: 13 * s, fill: i % 4 === 0 ? p.fg : p.link, font: ctx.ui, weight: i % 4 === 0 ? 'bold' : 'normal' }));
  const x0 = navW + 40 * s;
  const colW = Math.min(w - x0 - 40 * s, 860 * s);
  let y = 100 * s - scrollPx(ctx);
  out.push(text(x0, y, rng.pick(['List<T>.Sort Method', 'Class ArrayList<E>', 'Built-in Functions', 'Enumerable.Average Method', 'Interface Comparator<T>']), { size: 30 * s, fill: p.fg, font: ctx.ui, weight: 'bold' }));
  y += 40 * s;
  const lang: Language = variant === 0 ? 'csharp' : variant === 1 ? 'java' : 'python';
  const scheme = pickScheme(rng.fork('ds'), p.dark, 'web');
  for (let sec = 0; y < h; sec++) {
    const r = rng.fork(`sec${sec}`);
    if (sec > 0) { out.push(text(x0, y, r.pick(['Examples', 'Remarks', 'Parameters', 'Returns', 'Exceptions', 'Method Summary', 'See also']), { size: 20 * s, fill: p.fg, font: ctx.ui, weight: 'bold' })); y += 32 * s; }
    for (const l of paragraph(r, r.int(1, 3), Math.floor(colW / (14.5 * s * 0.52)))) { out.push(text(x0, y, l, { size: 14.5 * s, fill: p.fg, font: ctx.ui })); y += 24 * s; }
    y += 8 * s;
    if (r.chance(0.6)) {
      const code = generateSource(r.fork('c'), lang).slice(r.int(2, 10), r.int(12, 20));
      const ch = code.length * 19 * s + 20 * s;
      out.push(codeView(x0, y, colW, ch, { lines: code, lang, scheme: { ...scheme, bg: p.dark ? '#2b2b2b' : '#f5f5f5' }, font: ctx.mono, size: 13 * s, first: 0, lineNumbers: false, cursorLine: -1, lineHeight: 19 * s }));
      y += ch + 24 * s;
    } else if (r.chance(0.5)) {
      for (let row = 0; row < 5; row++) {
        out.push(rect(x0, y, colW, 30 * s, row === 0 ? (p.dark ? '#333333' : '#eeeeee') : 'none', `stroke="${p.border}"`));
        out.push(text(x0 + 10 * s, y + 20 * s, row === 0 ? 'Modifier and Type' : r.pick(['boolean', 'void', 'int', 'E', 'Stream<E>']), { size: 13 * s, fill: p.fg, font: ctx.mono }));
        out.push(text(x0 + colW * 0.3, y + 20 * s, row === 0 ? 'Method and Description' : fit(`${r.pick(['add', 'remove', 'sort', 'get', 'size', 'contains'])}(${r.pick(['E e', 'int index', 'Object o', ''])}) ${sentence(r)}`, colW * 0.68, 13 * s), { size: 13 * s, fill: row === 0 ? p.fg : p.link, font: ctx.ui }));
        y += 30 * s;
      }
      y += 24 * s;
    }
  }
  return out.join('');
}

function videoPage(ctx: AppContext, w: number, h: number): string {
  const { s, rng } = ctx;
  const p = pagePalette(ctx);
  const out: string[] = [rect(0, 0, w, h, p.bg)];
  out.push(rect(20 * s, 18 * s, 30 * s, 21 * s, '#ff0000', `rx="${6 * s}"`), text(56 * s, 36 * s, 'YouTube', { size: 19 * s, fill: p.fg, font: ctx.ui, weight: 'bold' }));
  out.push(rect(w * 0.3, 12 * s, w * 0.38, 36 * s, p.dark ? '#121212' : '#ffffff', `rx="${18 * s}" stroke="${p.border}"`));
  const side = w > 1000 * s ? Math.min(400 * s, w * 0.3) : 0;
  const vx = 24 * s;
  const vw = w - side - 48 * s;
  const vh = Math.min(vw * 9 / 16, h - 200 * s);
  const vy = 64 * s;
  const fr = rng.fork('frame');
  // a video frame: the content is a scene of its own (talking head, slides, code, game)
  const kind = fr.int(0, 3);
  out.push(rect(vx, vy, vw, vh, '#000000'));
  if (kind === 0) out.push(rect(vx, vy, vw, vh, fr.pick(['#2b3a4a', '#3d2b1f', '#1f3d2b'])), circle(vx + vw / 2, vy + vh * 0.45, vh * 0.18, fr.pick(['#e0ac69', '#c68642', '#8d5524', '#f1c27d'])), rect(vx + vw / 2 - vh * 0.3, vy + vh * 0.62, vh * 0.6, vh * 0.38, fr.pick(['#222222', '#4a6fa5', '#a33'])));
  else if (kind === 1) { out.push(rect(vx, vy, vw, vh, '#ffffff')); out.push(text(vx + vw * 0.08, vy + vh * 0.2, 'Recursion', { size: vh * 0.09, fill: '#222222', font: ctx.ui, weight: 'bold' })); for (let i = 0; i < 5; i++) out.push(text(vx + vw * 0.1, vy + vh * (0.35 + i * 0.1), `• ${words(fr, fr.int(3, 7))}`, { size: vh * 0.045, fill: '#333333', font: ctx.ui })); }
  else if (kind === 2) out.push(codeView(vx, vy, vw, vh, { lines: generateSource(fr, 'java'), lang: 'java', scheme: pickScheme(fr, true, 'vscode'), font: ctx.mono, size: vh * 0.04, first: 0, lineNumbers: true, cursorLine: -1 }));
  else for (let i = 0; i < 12; i++) out.push(rect(vx + fr.range(0, vw * 0.8), vy + fr.range(0, vh * 0.8), fr.range(vw * 0.05, vw * 0.3), fr.range(vh * 0.05, vh * 0.3), fr.pick(['#3a7d44', '#8fbc8f', '#87ceeb', '#654321', '#dddddd'])));
  const prog = ((ctx.win.state.progress % 600) / 600) * vw;
  out.push(rect(vx, vy + vh - 4 * s, vw, 4 * s, '#ffffff55'), rect(vx, vy + vh - 4 * s, prog, 4 * s, '#ff0000'));
  out.push(text(vx, vy + vh + 34 * s, fit(rng.pick(['Java Tutorial for Beginners - Sorting Lists', 'Recursion in 100 Seconds', 'C# LINQ explained in 10 minutes', 'Python File Handling - Full Course', 'lofi hip hop radio - beats to study to']), vw, 20 * s), { size: 20 * s, fill: p.fg, font: ctx.ui, weight: 'bold' }));
  out.push(circle(vx + 20 * s, vy + vh + 70 * s, 20 * s, rng.pick(['#3f51b5', '#e91e63', '#009688'])), text(vx + 50 * s, vy + vh + 68 * s, personName(rng), { size: 15 * s, fill: p.fg, font: ctx.ui, weight: 'bold' }), text(vx + 50 * s, vy + vh + 86 * s, `${rng.int(10, 999)}K subscribers`, { size: 12 * s, fill: p.muted, font: ctx.ui }));
  if (side > 0) {
    for (let i = 0; 64 * s + i * 104 * s < h; i++) {
      const r = rng.fork(`rec${i}`);
      const y = 64 * s + i * 104 * s;
      out.push(rect(w - side, y, 168 * s, 94 * s, r.pick(['#444444', '#7a3e3e', '#2f4f6f', '#556b2f', '#8b6d3b', '#222222']), `rx="${8 * s}"`));
      out.push(text(w - side + 178 * s, y + 18 * s, fit(words(r, r.int(3, 8)), side - 190 * s, 14 * s), { size: 14 * s, fill: p.fg, font: ctx.ui, weight: 'bold' }));
      out.push(text(w - side + 178 * s, y + 40 * s, personName(r), { size: 12 * s, fill: p.muted, font: ctx.ui }));
    }
  }
  return out.join('');
}

function articlePage(ctx: AppContext, w: number, h: number): string {
  const { s, rng } = ctx;
  const p = pagePalette(ctx);
  const serif = rng.fork('af').chance(0.5);
  const font = serif ? 'Liberation Serif, DejaVu Serif, serif' : ctx.ui;
  const out: string[] = [rect(0, 0, w, h, p.bg), rect(0, 0, w, 56 * s, p.dark ? '#1b1b1b' : rng.fork('ah').pick(['#ffffff', '#f8f9fa', '#0a0a23', '#242424']))];
  out.push(text(24 * s, 36 * s, rng.pick(['WIKIPEDIA', 'Medium', 'Baeldung', 'Real Python', 'DEV Community']), { size: 18 * s, fill: p.dark ? '#ffffff' : '#111111', font, weight: 'bold' }));
  const colW = Math.min(720 * s, w - 80 * s);
  const x0 = Math.max(40 * s, (w - colW) / 2 - (w > 1300 * s ? 120 * s : 0));
  let y = 120 * s - scrollPx(ctx);
  out.push(text(x0, y, fit(rng.pick(['Linked list', 'A Guide to Java Streams', 'Python Lists and Tuples', 'Understanding Big-O Notation', 'Sorting algorithm']), colW, 34 * s), { size: 34 * s, fill: p.fg, font, weight: 'bold' }));
  y += 50 * s;
  out.push(text(x0, y, `${personName(rng)} · ${rng.int(3, 15)} min read · ${rng.pick(['Mar', 'Jun', 'Oct'])} ${rng.int(1, 28)}, 20${rng.int(15, 24)}`, { size: 13 * s, fill: p.muted, font: ctx.ui }));
  y += 40 * s;
  for (let i = 0; y < h; i++) {
    const r = rng.fork(`ap${i}`);
    if (r.chance(0.2)) {
      const ih = colW * 0.45;
      out.push(rect(x0, y, colW, ih, r.pick(['#c9d6df', '#52616b', '#f0ece2', '#dfd3c3', '#a3c9a8'])), circle(x0 + colW * r.range(0.2, 0.8), y + ih / 2, ih * 0.25, r.pick(['#ffffff88', '#00000033'])));
      y += ih + 30 * s;
      continue;
    }
    for (const l of paragraph(r, r.int(2, 4), Math.floor(colW / (17 * s * 0.5)))) { out.push(text(x0, y, l, { size: 17 * s, fill: p.fg, font })); y += 29 * s; }
    y += 20 * s;
  }
  return out.join('');
}

function mailPage(ctx: AppContext, w: number, h: number): string {
  const { s, rng } = ctx;
  const p = pagePalette(ctx);
  const out: string[] = [rect(0, 0, w, h, p.dark ? '#111111' : '#f6f8fc')];
  out.push(text(70 * s, 40 * s, 'Gmail', { size: 22 * s, fill: p.fg, font: ctx.ui }), rect(250 * s, 14 * s, w * 0.45, 46 * s, p.dark ? '#2a2a2a' : '#eaf1fb', `rx="${23 * s}"`));
  out.push(rect(16 * s, 80 * s, 140 * s, 54 * s, p.dark ? '#2a2a2a' : '#c2e7ff', `rx="${16 * s}"`), text(60 * s, 113 * s, 'Compose', { size: 14 * s, fill: p.fg, font: ctx.ui }));
  ['Inbox', 'Starred', 'Snoozed', 'Sent', 'Drafts', 'More'].forEach((t, i) => out.push(text(40 * s, 170 * s + i * 32 * s, t, { size: 14 * s, fill: p.fg, font: ctx.ui, weight: i === 0 ? 'bold' : 'normal' })));
  const x0 = 256 * s;
  out.push(rect(x0, 70 * s, w - x0 - 16 * s, h - 80 * s, p.bg, `rx="${16 * s}"`));
  for (let i = 0; 110 * s + i * 40 * s < h; i++) {
    const r = rng.fork(`m${i}`);
    const y = 110 * s + i * 40 * s;
    const unread = r.chance(0.3);
    out.push(rect(x0, y - 26 * s, w - x0 - 16 * s, 40 * s, unread ? p.bg : p.dark ? '#1c1c1c' : '#f2f6fc'), rect(x0, y + 14 * s, w - x0 - 16 * s, 1, p.border));
    out.push(text(x0 + 60 * s, y, fit(personName(r), 180 * s, 14 * s), { size: 14 * s, fill: p.fg, font: ctx.ui, weight: unread ? 'bold' : 'normal' }));
    out.push(text(x0 + 260 * s, y, fit(`${words(r, r.int(2, 6))} - ${sentence(r)}`, w - x0 - 400 * s, 14 * s), { size: 14 * s, fill: p.fg, font: ctx.ui, weight: unread ? 'bold' : 'normal' }));
  }
  return out.join('');
}

function pdfPage(ctx: AppContext, w: number, h: number): string {
  const { s, rng } = ctx;
  const out: string[] = [rect(0, 0, w, h, '#525659'), rect(0, 0, w, 56 * s, '#323639')];
  out.push(text(20 * s, 34 * s, 'exam-statement.pdf', { size: 14 * s, fill: '#f1f1f1', font: ctx.ui }), text(w / 2, 34 * s, `${1 + (ctx.win.state.scroll % 3)} / 4    −  100%  +`, { size: 13 * s, fill: '#f1f1f1', font: ctx.ui, anchor: 'middle' }));
  const pw = Math.min(w * 0.7, (h - 70 * s) * 0.9 / 1.414 * 1.5);
  let y = 70 * s - scrollPx(ctx);
  for (let pg = 0; y < h; pg++) { out.push(examPage(rng, (w - pw) / 2, y, pw, pw * 1.414, pg)); y += pw * 1.414 + 14 * s; }
  return out.join('');
}
