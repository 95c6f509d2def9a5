import { fit, mix, rect, text, type AppContext, type AppRender } from './svg.js';

/** File managers: Windows Explorer, Finder, Dolphin, Nautilus (Files), PCManFM. */
const FILES = ['src', 'bin', 'obj', 'tests', 'docs', 'exam.pdf', 'input.txt', 'output.txt', 'Main.java', 'Program.cs', 'main.py', 'utils.py', 'README.md', 'Exam.csproj', 'pom.xml', 'Makefile', 'data.csv', 'notes.txt', 'solution.zip', 'build', '.gitignore', 'test_main.py', 'Grades.cs', 'Student.java'];
const PLACES = ['Home', 'Desktop', 'Documents', 'Downloads', 'Music', 'Pictures', 'Videos', 'Trash'];

function iconColor(name: string): string {
  if (!name.includes('.') || name === 'build') return '#e8b84a';
  if (name.endsWith('.pdf')) return '#d93025';
  if (/\.(java|cs|py|c)$/.test(name)) return '#4a7bd0';
  if (name.endsWith('.zip')) return '#9c6b3c';
  return '#9aa4ad';
}

export function renderFileExplorer(ctx: AppContext, w: number, h: number): AppRender {
  const { rng, s, win } = ctx;
  const flavor = win.flavor;
  const fg = ctx.dark ? '#e6e6e6' : '#1e1e1e';
  const bg = ctx.pal.bg;
  const side = mix(bg, ctx.dark ? '#000000' : '#e9e9e9', 0.5);
  const out: string[] = [rect(0, 0, w, h, bg)];
  const folder = rng.pick(['exam', 'Exam2025', 'src', 'Downloads', 'prog2']);
  const path = flavor === 'explorer' ? `This PC › Documents › ${folder}` : `/home/student/${folder}`;
  const tb = (flavor === 'explorer' ? 80 : 40) * s;
  out.push(rect(0, 0, w, tb, mix(bg, side, 0.6)));
  if (flavor === 'explorer') {
    ['File', 'Home', 'Share', 'View'].forEach((m, i) => out.push(text(14 * s + i * 60 * s, 20 * s, m, { size: 12 * s, fill: i === 1 ? ctx.accent : fg, font: ctx.ui })));
  } else if (flavor === 'pcmanfm') {
    ['File', 'Edit', 'View', 'Sort', 'Go', 'Tools', 'Help'].forEach((m, i) => out.push(text(10 * s + i * 48 * s, 16 * s, m, { size: 12 * s, fill: fg, font: ctx.ui })));
  }
  out.push(rect(120 * s, tb - 32 * s, w - 260 * s, 24 * s, ctx.pal.input, `stroke="${ctx.pal.border}" rx="${flavor === 'explorer' || flavor === 'pcmanfm' ? 0 : 5 * s}"`));
  out.push(text(130 * s, tb - 15 * s, fit(path, w - 280 * s, 12 * s), { size: 12 * s, fill: fg, font: ctx.ui }));
  for (let i = 0; i < 3; i++) out.push(rect(14 * s + i * 30 * s, tb - 28 * s, 16 * s, 16 * s, mix(fg, bg, 0.5), `rx="${3 * s}"`));
  const sideW = Math.min(w * 0.3, 180 * s);
  out.push(rect(0, tb, sideW, h - tb, side));
  PLACES.forEach((p, i) => {
    const y = tb + 14 * s + i * 28 * s;
    if (p === 'Documents' && rng.chance(0.5)) out.push(rect(4 * s, y - 4 * s, sideW - 8 * s, 26 * s, ctx.pal.sel, `rx="${4 * s}"`));
    out.push(rect(14 * s, y + 2 * s, 14 * s, 14 * s, mix(ctx.accent, fg, 0.3), `rx="${2 * s}"`));
    out.push(text(36 * s, y + 14 * s, p, { size: 12.5 * s, fill: fg, font: ctx.ui }));
  });
  const files = rng.shuffle(FILES).slice(0, rng.int(5, 16));
  const details = rng.fork('view').chance(flavor === 'explorer' ? 0.6 : 0.4);
  const selected = win.state.mode % files.length;
  const x0 = sideW + 12 * s;
  if (details) {
    const rowH = 26 * s;
    ['Name', 'Date modified', 'Type', 'Size'].forEach((c, i) => out.push(text(x0 + [0, 0.45, 0.7, 0.88][i] * (w - x0), tb + 20 * s, c, { size: 12 * s, fill: fg, font: ctx.ui, opacity: 0.7 })));
    files.forEach((f, i) => {
      const y = tb + 32 * s + i * rowH;
      if (i === selected) out.push(rect(x0 - 6 * s, y, w - x0, rowH, ctx.pal.sel));
      out.push(rect(x0, y + 5 * s, 16 * s, 15 * s, iconColor(f), `rx="${2 * s}"`));
      out.push(text(x0 + 24 * s, y + rowH * 0.68, f, { size: 12.5 * s, fill: fg, font: ctx.ui }));
      out.push(text(x0 + 0.45 * (w - x0), y + rowH * 0.68, `21/01/2025 ${9 + (i % 3)}:${String(10 + i * 3).slice(0, 2)}`, { size: 12 * s, fill: fg, font: ctx.ui, opacity: 0.75 }));
      out.push(text(x0 + 0.7 * (w - x0), y + rowH * 0.68, f.includes('.') ? `${f.split('.').pop()!.toUpperCase()} File` : 'File folder', { size: 12 * s, fill: fg, font: ctx.ui, opacity: 0.75 }));
    });
  } else {
    const cell = 96 * s;
    const cols = Math.max(1, Math.floor((w - x0) / cell));
    files.forEach((f, i) => {
      const cx = x0 + (i % cols) * cell;
      const cy = tb + 14 * s + Math.floor(i / cols) * cell * 1.05;
      if (i === selected) out.push(rect(cx, cy, cell - 6 * s, cell - 4 * s, ctx.pal.sel, `rx="${4 * s}"`));
      out.push(rect(cx + cell / 2 - 24 * s, cy + 8 * s, 42 * s, 40 * s, iconColor(f), `rx="${4 * s}"`));
      out.push(text(cx + cell / 2 - 3 * s, cy + 68 * s, fit(f, cell, 12 * s), { size: 12 * s, fill: fg, font: ctx.ui, anchor: 'middle' }));
    });
  }
  out.push(text(x0, h - 8 * s, `${files.length} items`, { size: 11 * s, fill: fg, font: ctx.ui, opacity: 0.7 }));
  const title = flavor === 'explorer' ? folder : flavor === 'pcmanfm' ? `${folder}` : flavor === 'finder' ? folder : `${folder} — ${flavor === 'dolphin' ? 'Dolphin' : 'Files'}`;
  return { body: out.join(''), title };
}
