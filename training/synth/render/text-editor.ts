import { generateSource, randomFileNames, typedLines, type Language } from '../code-gen.js';
import { paragraph } from '../text-corpus.js';
import { codeView, pickScheme } from './code-view.js';
import { fit, line, mix, rect, text, type AppContext, type AppRender } from './svg.js';

/** Plain text editors (Notepad, Notepad++, Mousepad, gedit, Kate, TextEdit) with code or notes being typed. */
export function renderTextEditor(ctx: AppContext, w: number, h: number): AppRender {
  const { rng, s, win } = ctx;
  const flavor = win.flavor;
  const fg = ctx.dark ? '#e0e0e0' : '#1a1a1a';
  const chrome = ctx.dark ? mix(ctx.pal.bg, '#000000', 0.3) : flavor === 'notepad' ? '#ffffff' : '#f0f0f0';
  const bg = ctx.dark ? ctx.pal.bg : '#ffffff';
  const out: string[] = [rect(0, 0, w, h, chrome)];
  const code = rng.fork('kind').chance(0.7);
  const lang: Language = rng.fork('lang').pick(['java', 'csharp', 'python', 'c']);
  const file = code ? randomFileNames(rng.fork('f'), lang, 1)[0] : rng.pick(['answers.txt', 'notes.txt', 'exercise3.txt', 'README.md', 'respuestas.txt']);
  let top = 0;
  const menus = flavor === 'notepad' ? ['File', 'Edit', 'Format', 'View', 'Help'] : flavor === 'notepadpp' ? ['File', 'Edit', 'Search', 'View', 'Encoding', 'Language', 'Settings', 'Tools', 'Macro', 'Run', 'Plugins', 'Window', '?'] : ['File', 'Edit', 'Search', 'View', 'Document', 'Help'];
  if (flavor !== 'gedit' && flavor !== 'textedit') {
    const mh = 24 * s;
    let x = 8 * s;
    for (const m of menus) { out.push(text(x, mh * 0.7, m, { size: 12 * s, fill: fg, font: ctx.ui })); x += (m.length * 7 + 14) * s; }
    top += mh;
  }
  if (flavor === 'notepadpp' || flavor === 'kate' || flavor === 'mousepad') {
    if (flavor !== 'mousepad') {
      for (let i = 0; i < 18; i++) out.push(rect(8 * s + i * 24 * s, top + 5 * s, 16 * s, 16 * s, i % 5 === 0 ? '#5a9bd5' : mix(fg, chrome, 0.5), `rx="${2 * s}"`));
      top += 28 * s;
    }
    out.push(rect(0, top, (file.length * 7.5 + 40) * s, 26 * s, bg), text(10 * s, top + 18 * s, file, { size: 12 * s, fill: fg, font: ctx.ui }));
    top += 26 * s;
  }
  const statusH = flavor === 'textedit' ? 0 : 22 * s;
  const fs = rng.pick([11, 12, 13, 13, 14, 15, 16]) * s;
  const edH = h - top - statusH;
  let lines: string[];
  const totalSrc = code ? generateSource(rng.fork('src'), lang) : paragraph(rng.fork('txt'), 30, Math.floor((w - 40 * s) / (fs * 0.6)));
  const total = totalSrc.reduce((n, l) => n + l.length + 1, 0);
  lines = typedLines(totalSrc, Math.min(total, Math.round(total * 0.2) + win.state.progress));
  if (!code) lines = lines.flatMap((l, i) => (i % 4 === 3 ? [l, ''] : [l]));
  const lh = fs * 1.35;
  const visible = Math.floor(edH / lh);
  const first = Math.max(0, lines.length - visible + 2);
  const highlight = code && (flavor === 'notepadpp' || flavor === 'kate' || flavor === 'gedit');
  const scheme = highlight ? pickScheme(rng.fork('sch'), ctx.dark, 'editor') : { ...pickScheme(rng.fork('sch'), ctx.dark, 'editor'), kw: fg, type: fg, str: fg, num: fg, com: fg, fn: fg, id: fg, p: fg, bg, gutter: mix(bg, chrome, 0.5), current: bg };
  out.push(codeView(0, top, w, edH, { lines, lang, scheme, font: ctx.mono, size: fs, first, lineNumbers: flavor === 'notepadpp' || flavor === 'kate' || (flavor === 'gedit' && rng.chance(0.5)), cursorLine: lines.length - 1, lineHeight: lh }));
  if (statusH > 0) {
    out.push(rect(0, h - statusH, w, statusH, chrome), line(0, h - statusH, w, h - statusH, mix(chrome, '#808080', 0.4)));
    out.push(text(w - 12 * s, h - statusH * 0.28, fit(`Ln ${lines.length}, Col ${(lines[lines.length - 1]?.length ?? 0) + 1}    100%    ${flavor === 'notepad' ? 'Windows (CRLF)' : 'Unix (LF)'}    UTF-8`, w - 20 * s, 11 * s), { size: 11 * s, fill: fg, font: ctx.ui, anchor: 'end' }));
  }
  const app = { notepad: 'Notepad', notepadpp: 'Notepad++', mousepad: 'Mousepad', gedit: 'gedit', kate: 'Kate', textedit: 'TextEdit' }[flavor] ?? 'Editor';
  const title = flavor === 'notepadpp' ? `C:\\Users\\student\\exam\\${file} - Notepad++` : flavor === 'mousepad' ? `${win.state.progress % 7 === 0 ? '' : '*'}${file} - Mousepad` : `${file} - ${app}`;
  return { body: out.join(''), title };
}
