import { pageUrl, siteName } from '../app-catalog.js';
import type { PageKind } from '../scene.js';
import { circle, fit, line, mix, rect, text, type AppContext, type AppRender } from './svg.js';
import { renderPage } from './web-pages.js';

/**
 * Browser look-alikes (Chrome, Chromium, Edge, Firefox, Safari; light/dark):
 * tab strip, address bar with URL, bookmarks bar. A kiosk (F11) window has no
 * chrome at all: only the page.
 */
export function renderBrowser(ctx: AppContext, w: number, h: number): AppRender {
  const { rng, s, win } = ctx;
  const page: PageKind = win.page ?? 'search';
  const flavor = win.flavor;
  const site = siteName(rng.fork('site'), page);
  if (win.kiosk || win.appMode) {
    const p = renderPage(ctx, page, w, h);
    return { body: p.body, title: p.title, frameless: win.kiosk === true };
  }
  const dark = ctx.dark;
  const frame = flavor === 'firefox' ? (dark ? '#1c1b22' : '#f0f0f4') : flavor === 'edge' ? (dark ? '#1f1f1f' : '#f7f7f7') : flavor === 'safari' ? (dark ? '#2c2c2e' : '#f5f5f5') : flavor === 'chromium' ? (dark ? '#202124' : rng.pick(['#dee1e6', '#dfe3ea', '#d3e3fd'])) : dark ? '#202124' : rng.pick(['#dee1e6', '#d3e3fd', '#e8eaed']);
  const toolbar = dark ? (flavor === 'firefox' ? '#2b2a33' : '#35363a') : '#ffffff';
  const fg = dark ? '#e8eaed' : '#202124';
  const out: string[] = [rect(0, 0, w, h, frame)];
  const tabH = 36 * s;
  const macStyle = ctx.style.os === 'macos';
  // tab strip
  // a fresh profile often has one or two tabs; some students keep many
  const tabs = rng.fork('tabs').weighted([[1, 5], [2, 3], [3, 2], [4, 1], [6, 1], [9, 1]] as const);
  const activeTab = win.state.tab % tabs;
  const tabW = Math.min(240 * s, (w - 200 * s) / tabs);
  let tx = (macStyle ? 80 : 8) * s;
  const tabTitles = ['New Tab', 'Google', 'Stack Overflow', 'YouTube', 'Gmail', 'WhatsApp', 'ChatGPT', 'Wikipedia', 'Campus Virtual', 'Exam — Moodle', 'GitHub', 'Docs'];
  const pageTitle = `${titleFor(page, rng)}`;
  for (let i = 0; i < tabs; i++) {
    const active = i === activeTab;
    const label = active ? pageTitle : rng.fork(`t${i}`).pick(tabTitles);
    if (active) out.push(rect(tx, 6 * s, tabW, tabH - 6 * s + 2, toolbar, `rx="${8 * s}"`));
    else if (flavor === 'firefox') out.push(rect(tx + 2 * s, 8 * s, tabW - 4 * s, tabH - 14 * s, mix(frame, '#808080', 0.08), `rx="${4 * s}"`));
    else if (i !== activeTab - 1) out.push(line(tx + tabW, 14 * s, tx + tabW, tabH - 8 * s, mix(frame, '#808080', 0.5)));
    out.push(circle(tx + 18 * s, tabH / 2 + 3 * s, 7 * s, rng.fork(`fav${active ? 'a' : i}`).pick(['#4285f4', '#f48024', '#ff0000', '#10a37f', '#25d366', '#0f9d58', '#777777'])));
    out.push(text(tx + 32 * s, tabH / 2 + 7 * s, fit(label, tabW - 56 * s, 12 * s), { size: 12 * s, fill: fg, font: ctx.ui }));
    out.push(text(tx + tabW - 14 * s, tabH / 2 + 7 * s, '×', { size: 13 * s, fill: fg, font: ctx.ui, anchor: 'middle', opacity: 0.7 }));
    tx += tabW;
  }
  out.push(text(tx + 14 * s, tabH / 2 + 8 * s, '+', { size: 17 * s, fill: fg, font: ctx.ui }));
  if (macStyle) ['#ff5f57', '#febc2e', '#28c840'].forEach((c, i) => out.push(circle((18 + i * 20) * s, tabH / 2 + 2 * s, 6 * s, c)));
  else {
    const cy = tabH / 2;
    out.push(line(w - 130 * s, cy, w - 120 * s, cy, fg, s), rect(w - 80 * s, cy - 5 * s, 10 * s, 10 * s, 'none', `stroke="${fg}" stroke-width="${s}"`), line(w - 30 * s, cy - 5 * s, w - 20 * s, cy + 5 * s, fg, s), line(w - 20 * s, cy - 5 * s, w - 30 * s, cy + 5 * s, fg, s));
  }
  // toolbar with back/forward/reload and the address bar
  const tbY = tabH;
  const tbH = 40 * s;
  out.push(rect(0, tbY, w, tbH, toolbar));
  ['‹', '›', '↻'].forEach((g, i) => out.push(text((18 + i * 32) * s, tbY + tbH * 0.7, g, { size: (i === 2 ? 16 : 22) * s, fill: fg, font: ctx.ui, anchor: 'middle', opacity: i === 1 ? 0.4 : 0.85 })));
  const urlX = 110 * s;
  const urlW = w - urlX - 120 * s;
  const omni = dark ? '#202124' : flavor === 'firefox' ? '#f0f0f4' : '#f1f3f4';
  out.push(rect(urlX, tbY + 6 * s, urlW, tbH - 12 * s, omni, `rx="${(flavor === 'firefox' || flavor === 'safari' ? 6 : 14) * s}"`));
  const url = pageUrl(rng.fork('url'), page);
  const host = url.split('/')[0];
  out.push(text(urlX + 36 * s, tbY + tbH * 0.64, fit(url, urlW - 60 * s, 13.5 * s), { size: 13.5 * s, fill: dark ? '#bdc1c6' : '#5f6368', font: ctx.ui }));
  out.push(text(urlX + 36 * s, tbY + tbH * 0.64, host, { size: 13.5 * s, fill: fg, font: ctx.ui }));
  out.push(circle(urlX + 18 * s, tbY + tbH / 2, 6 * s, 'none', `stroke="${fg}" stroke-width="${1.2 * s}" stroke-opacity="0.6"`));
  for (let i = 0; i < rng.fork('ext').int(1, 4); i++) out.push(rect(w - (100 - i * 24) * s, tbY + tbH / 2 - 8 * s, 16 * s, 16 * s, mix(fg, toolbar, 0.4), `rx="${3 * s}"`));
  out.push(circle(w - 22 * s, tbY + tbH / 2, 11 * s, rng.fork('prof').pick(['#8e24aa', '#1e88e5', '#43a047', '#f4511e'])));
  let top = tbY + tbH;
  if (rng.fork('bm').chance(0.35)) {
    const bmH = 28 * s;
    out.push(rect(0, top, w, bmH, toolbar));
    let bx = 12 * s;
    for (const b of rng.fork('bml').shuffle(['Campus Virtual', 'Gmail', 'YouTube', 'Maps', 'News', 'Drive', 'Translate', 'GitHub', 'Moodle', 'Outlook', 'Netflix', 'Amazon']).slice(0, rng.fork('bmn').int(3, 10))) {
      if (bx > w - 120 * s) break;
      out.push(circle(bx + 7 * s, top + bmH / 2, 6 * s, rng.fork(`bm${b}`).pick(['#4285f4', '#ea4335', '#fbbc05', '#34a853', '#777777'])));
      out.push(text(bx + 18 * s, top + bmH * 0.66, b, { size: 12 * s, fill: fg, font: ctx.ui }));
      bx += (b.length * 7 + 38) * s;
    }
    top += bmH;
  }
  out.push(line(0, top, w, top, dark ? '#3c4043' : '#dadce0'));
  const content = renderPage(ctx, page, w, h - top);
  out.push(`<svg x="0" y="${top.toFixed(1)}" width="${w}" height="${(h - top).toFixed(1)}" overflow="hidden">${content.body}</svg>`);
  const product = { chrome: 'Google Chrome', chromium: 'Chromium', edge: 'Microsoft Edge', firefox: 'Mozilla Firefox', safari: 'Safari' }[flavor] ?? 'Chromium';
  void site;
  return { body: out.join(''), title: `${content.title} - ${product}`, frameless: true };
}

function titleFor(page: PageKind, rng: AppContext['rng']): string {
  const r = rng.fork('ptitle');
  switch (page) {
    case 'search': return `${r.pick(['java sort list', 'c# average linq', 'python read file lines', 'binary search recursive'])} - Google Search`;
    case 'qa': return `${r.pick(['How to sort an ArrayList in Java', 'What is a NullReferenceException, and how do I fix it?', 'How do I read a file line-by-line into a list?', 'Difference between abstract class and interface'])} - Stack Overflow`;
    case 'docs': return r.pick(['List<T> Class (System.Collections.Generic) | Microsoft Learn', 'ArrayList (Java Platform SE 8)', 'Built-in Types — Python 3.12 documentation', 'Array.prototype.sort() - JavaScript | MDN']);
    case 'video': return `${r.pick(['Java Tutorial for Beginners', 'Recursion in 100 Seconds', 'LINQ explained', 'lofi hip hop radio'])} - YouTube`;
    case 'article': return r.pick(['Linked list - Wikipedia', 'A Guide to Java Streams | Baeldung', 'Python Lists and Tuples – Real Python', 'Understanding Big-O | Medium']);
    case 'ai-chat': return r.pick(['ChatGPT', 'Claude', 'Gemini', 'Microsoft Copilot']);
    case 'messaging': return r.pick(['WhatsApp', 'Telegram Web', 'Discord | #exam-help', 'Slack']);
    case 'video-call': return r.pick(['Meet - abc-defg-hij', 'Zoom Meeting', 'Microsoft Teams']);
    case 'pdf': return 'exam-statement.pdf';
    case 'web-ide': return r.pick(['Exam IDE', 'code-server', 'Online IDE']);
    case 'webmail': return r.pick(['Inbox (3) - student@uni.edu - Gmail', 'Mail - Outlook']);
    case 'social': return r.pick(['Reddit - Dive into anything', 'Home / X', 'Instagram', 'Facebook']);
    case 'news': return r.pick(['BBC News - Home', 'EL PAÍS: el periódico global', 'Technology | The Guardian', 'Amazon.es : laptop', 'MARCA - Diario online líder']);
  }
}
