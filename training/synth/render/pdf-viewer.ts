import type { Rng } from '../prng.js';
import { paragraph } from '../text-corpus.js';
import { fit, mix, rect, text, textBar, type AppContext, type AppRender } from './svg.js';

/** The exam statement as a PDF: MuPDF (no UI), Evince, Okular, Acrobat, SumatraPDF, Preview. */
export function examPage(rng: Rng, x: number, y: number, pw: number, ph: number, page: number): string {
  const out: string[] = [rect(x + 2, y + 3, pw, ph, '#00000033'), rect(x, y, pw, ph, '#ffffff')];
  const r = rng.fork(`page${page}`);
  const serif = r.chance(0.5) ? 'Liberation Serif, DejaVu Serif, serif' : 'DejaVu Sans, Liberation Sans, sans-serif';
  const u = pw / 595; // points of an A4 page
  const m = 60 * u;
  let cy = y + m + 10 * u;
  const size = 10.5 * u;
  const chars = Math.floor((pw - 2 * m) / (size * 0.5));
  if (page === 0) {
    out.push(text(x + pw / 2, cy, r.pick(['Programming II — Final Exam', 'Object-Oriented Programming: Practical Exam', 'Data Structures and Algorithms — Lab Exam', 'Software Development — Exam, January']), { size: 15 * u, fill: '#000000', font: serif, anchor: 'middle', weight: 'bold' }));
    cy += 18 * u;
    out.push(text(x + pw / 2, cy, `Duration: ${r.pick(['2 hours', '90 minutes', '3 hours'])} · Total: 10 points`, { size: 9.5 * u, fill: '#333333', font: serif, anchor: 'middle' }));
    cy += 26 * u;
  }
  let ex = page * 2 + 1;
  while (cy < y + ph - m) {
    if (r.chance(0.35)) {
      out.push(text(x + m, cy, `Exercise ${ex++} (${r.int(1, 4)} points)`, { size: 12 * u, fill: '#000000', font: serif, weight: 'bold' }));
      cy += 17 * u;
    }
    for (const l of paragraph(r, r.int(1, 3), chars)) {
      if (cy > y + ph - m) break;
      out.push(pw > 300 ? text(x + m, cy, l, { size, fill: '#111111', font: serif }) : textBar(x + m, cy, Math.min(pw - 2 * m, l.length * size * 0.5), size, '#444444'));
      cy += size * 1.45;
    }
    if (r.chance(0.25) && cy < y + ph - m - 60 * u) {
      out.push(rect(x + m, cy - 6 * u, pw - 2 * m, 52 * u, '#f2f2f2'));
      ['public static double average(List<Integer> grades)', '    // returns 0 when the list is empty', 'average(List.of(4, 7, 10))  ->  7.0'].forEach((l, i) => out.push(text(x + m + 8 * u, cy + 8 * u + i * 13 * u, l, { size: 9 * u, fill: '#000000', font: 'DejaVu Sans Mono, monospace' })));
      cy += 58 * u;
    }
    cy += 8 * u;
  }
  out.push(text(x + pw / 2, y + ph - 28 * u, String(page + 1), { size: 9 * u, fill: '#333333', font: serif, anchor: 'middle' }));
  return out.join('');
}

export function renderPdfViewer(ctx: AppContext, w: number, h: number): AppRender {
  const { rng, s, win } = ctx;
  const flavor = win.flavor;
  const fg = ctx.dark ? '#e8e8e8' : '#202020';
  const bgByFlavor: Record<string, string> = { mupdf: '#707070', evince: ctx.dark ? '#242424' : '#dcdcdc', okular: ctx.dark ? '#2a2e32' : '#bcbfc2', acrobat: ctx.dark ? '#323232' : '#e6e6e6', sumatra: '#a0a0a0', preview: ctx.dark ? '#262626' : '#e8e8e8' };
  const bg = bgByFlavor[flavor] ?? '#808080';
  const out: string[] = [rect(0, 0, w, h, bg)];
  let top = 0;
  let left = 0;
  if (flavor !== 'mupdf') {
    const tb = (flavor === 'evince' ? 46 : 38) * s;
    const chrome = ctx.dark ? '#303030' : '#f5f5f5';
    out.push(rect(0, 0, w, tb, chrome));
    for (let i = 0; i < rng.int(4, 10); i++) out.push(rect(12 * s + i * 30 * s, tb / 2 - 8 * s, 16 * s, 16 * s, mix(fg, chrome, 0.45), `rx="${3 * s}"`));
    out.push(text(w / 2, tb * 0.64, `${win.state.scroll % 3 + 1} of ${rng.int(2, 5)}`, { size: 12 * s, fill: fg, font: ctx.ui, anchor: 'middle' }));
    out.push(text(w - 20 * s, tb * 0.64, `${rng.pick([75, 100, 125, 150])}%`, { size: 12 * s, fill: fg, font: ctx.ui, anchor: 'end' }));
    top = tb;
    if ((flavor === 'acrobat' || flavor === 'okular' || flavor === 'preview') && rng.chance(0.6)) {
      left = 150 * s;
      out.push(rect(0, top, left, h - top, mix(bg, chrome, 0.5)));
      for (let i = 0; i < 4; i++) out.push(rect(35 * s, top + 20 * s + i * 140 * s, 80 * s, 113 * s, '#ffffff', i === win.state.scroll % 3 ? `stroke="${ctx.accent}" stroke-width="${3 * s}"` : ''));
    }
  }
  const zoom = rng.fork('zoom').range(0.55, 1.05);
  const areaW = w - left;
  const pw = Math.min(areaW * 0.95, (h - top) * zoom * 0.85 / 1.414 * (rng.fork('fit').chance(0.35) ? 1.6 : 1));
  const ph = pw * 1.414;
  const scrollPx = ((win.state.scroll * 37) % 300) * s;
  const px = left + (areaW - pw) / 2;
  let py = top + 12 * s - scrollPx;
  let page = Math.floor(win.state.scroll / 9) % 3;
  while (py < h) {
    if (py + ph > top) out.push(examPage(rng, px, py, pw, ph, page));
    py += ph + 12 * s;
    page++;
  }
  const file = rng.pick(['exam.pdf', 'exam-statement.pdf', 'Final_Exam_Programming.pdf', 'enunciado.pdf', 'lab-exam-2025.pdf']);
  const title = flavor === 'mupdf' ? `${file} - ${win.state.scroll % 3 + 1}/${rng.int(2, 5)} (${Math.round(zoom * 100)} dpi)` : flavor === 'acrobat' ? `${file} - Adobe Acrobat Reader (64-bit)` : `${file}`;
  return { body: out.join(''), title: fit(title, 4000, 1) };
}
