import { fileExtension, generateSource, randomFileNames, typedLines, type Language } from '../code-gen.js';
import { codeView, pickScheme, type SyntaxScheme } from './code-view.js';
import { circle, fit, line, mix, rect, text, type AppContext, type AppRender } from './svg.js';
import { terminalLines } from './terminal.js';

/**
 * IDE look-alikes: VS Code, JetBrains (IntelliJ / PyCharm / Rider), Visual
 * Studio, Geany. Project tree, tabs, syntax-coloured code being typed, bottom
 * pane (terminal, build output, debugger variables, problems), status bar.
 */
export function ideLanguage(ctx: AppContext): Language {
  const r = ctx.rng.fork('lang');
  if (ctx.win.flavor === 'visualstudio') return 'csharp';
  return r.weighted([['java', 4], ['csharp', 3], ['python', 4], ['c', 1.5]] as const);
}

/** The code of the active file, as typed so far, and where the cursor is. */
export function ideCode(ctx: AppContext, lang: Language): { lines: string[]; cursor: number } {
  const rng = ctx.rng.fork(`file${ctx.win.state.tab}`);
  const full = generateSource(rng, lang);
  const total = full.reduce((n, l) => n + l.length + 1, 0);
  const start = Math.round(total * rng.range(0.1, 0.8));
  const typed = typedLines(full, Math.min(total, start + ctx.win.state.progress));
  const cursor = typed.length - 1;
  // after the end of the file the student goes back and edits older lines
  return { lines: typed.length >= full.length ? full : typed, cursor: typed.length >= full.length ? (ctx.win.state.progress * 7) % full.length : cursor };
}

export function renderIde(ctx: AppContext, w: number, h: number): AppRender {
  const { rng, s, win } = ctx;
  const flavor = win.flavor;
  const lang = ideLanguage(ctx);
  const scheme = pickScheme(rng.fork('scheme'), ctx.dark, flavor);
  const ui = ctx.ui;
  const mono = ctx.mono;
  const fs = Math.round(rng.pick([11, 12, 13, 13, 14, 14, 15, 16]) * s);
  const chromeBg = flavor === 'geany' ? (ctx.dark ? '#3c3c3c' : '#ececec') : mix(scheme.bg, ctx.dark ? '#000000' : '#e0e0e0', ctx.dark ? 0.25 : 0.5);
  const fg = ctx.dark ? '#cccccc' : '#333333';
  const out: string[] = [rect(0, 0, w, h, chromeBg)];
  const files = randomFileNames(rng.fork('files'), lang, rng.int(3, 8));
  const active = files[win.state.tab % files.length];
  const project = rng.pick(['exam', 'Exam2025', 'ExamenFinal', 'lab-exam', 'PracticalTest', 'prog2-exam']);
  let top = 0;
  // menu bar / toolbar
  const menuH = (flavor === 'vscode' ? 30 : 26) * s;
  const menus = flavor === 'geany' ? ['File', 'Edit', 'Search', 'View', 'Document', 'Project', 'Build', 'Tools', 'Help'] : flavor === 'visualstudio' ? ['File', 'Edit', 'View', 'Git', 'Project', 'Build', 'Debug', 'Test', 'Analyze', 'Tools', 'Extensions', 'Window', 'Help'] : ['File', 'Edit', 'Selection', 'View', 'Go', 'Run', 'Terminal', 'Help'];
  if (flavor !== 'jetbrains' || rng.chance(0.3)) {
    let x = 8 * s;
    for (const m of menus) {
      out.push(text(x, menuH * 0.68, m, { size: 12 * s, fill: fg, font: ui }));
      x += (m.length * 7 + 16) * s;
    }
    if (flavor === 'vscode') out.push(rect(w / 2 - 160 * s, 4 * s, 320 * s, menuH - 8 * s, mix(chromeBg, ctx.dark ? '#ffffff' : '#000000', 0.08), `rx="${5 * s}"`), text(w / 2, menuH * 0.66, `${project}`, { size: 12 * s, fill: fg, font: ui, anchor: 'middle', opacity: 0.8 }));
    top += menuH;
  }
  if (flavor !== 'vscode') {
    // toolbar with icon buttons (build, run, debug)
    const tbH = 32 * s;
    out.push(line(0, top, w, top, mix(chromeBg, '#808080', 0.4)));
    for (let i = 0; i < rng.int(6, 14); i++) {
      const c = i === 3 ? '#4caf50' : i === 4 ? '#e0a030' : mix(fg, chromeBg, 0.35);
      out.push(rect(10 * s + i * 28 * s, top + 8 * s, 16 * s, 16 * s, c, `rx="${3 * s}" fill-opacity="0.85"`));
    }
    if (flavor === 'jetbrains') out.push(text(w - 320 * s, top + tbH * 0.66, `${active.replace(/\.\w+$/, '')} ▾`, { size: 12 * s, fill: fg, font: ui }));
    top += tbH;
  }
  const statusH = 22 * s;
  const { lines, cursor } = ideCode(ctx, lang);
  // 0 none, 1 terminal, 2 output, 3 debugger, 4 problems; Geany keeps its message window open
  const bottomMode = flavor === 'geany' ? (win.state.mode % 3 === 0 ? 0 : win.state.mode % 2 === 0 ? 1 : 2) : win.state.mode % 5;
  const debugging = bottomMode === 3;
  const paneH = bottomMode === 0 ? 0 : Math.round(h * rng.range(0.22, 0.35));
  // activity bar (VS Code) / tool window strip (JetBrains)
  let left = 0;
  if (flavor === 'vscode' || flavor === 'jetbrains') {
    const ab = (flavor === 'vscode' ? 48 : 36) * s;
    out.push(rect(0, top, ab, h - top - statusH, mix(chromeBg, '#000000', ctx.dark ? 0.1 : 0.03)));
    for (let i = 0; i < 5; i++) out.push(rect(ab / 2 - 11 * s, top + (14 + i * 46) * s, 22 * s, 20 * s, 'none', `stroke="${fg}" stroke-width="${1.6 * s}" rx="${3 * s}" stroke-opacity="${i === 0 ? 0.95 : 0.5}"`));
    left = ab;
  }
  // project tree
  const treeW = rng.chance(0.85) ? Math.round(Math.min(w * 0.28, rng.range(180, 300) * s)) : 0;
  const treeRight = flavor === 'visualstudio' && rng.chance(0.7);
  const treeX = treeRight ? w - treeW : left;
  if (treeW > 0) {
    const bg = mix(scheme.bg, chromeBg, 0.6);
    out.push(rect(treeX, top, treeW, h - top - statusH - (treeRight ? 0 : 0), bg));
    const header = flavor === 'visualstudio' ? 'Solution Explorer' : flavor === 'geany' ? 'Symbols' : flavor === 'jetbrains' ? 'Project' : 'EXPLORER';
    out.push(text(treeX + 12 * s, top + 20 * s, header, { size: 11 * s, fill: fg, font: ui, weight: flavor === 'vscode' ? 'bold' : 'normal' }));
    const rowH = 22 * s;
    const symbols = lines.map((l) => /(?:def|void|int|double|string|String|bool|boolean)\s+(\w+)\s*\(/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
    const entries = flavor === 'geany' ? ['▾ Functions', ...symbols.map((n) => `    ${n} [${lines.findIndex((l) => l.includes(n + '(')) + 1}]`), '▾ Variables', '    count', '    result'] : [`▾ ${project}`, '  ▾ src', ...files.map((f) => `     ${f}`), '  ▸ tests', '  ▸ bin', '  ▸ obj', '    README.md', `    ${project}.${lang === 'csharp' ? 'csproj' : lang === 'java' ? 'iml' : 'toml'}`];
    entries.forEach((e, i) => {
      const y = top + 34 * s + i * rowH;
      if (y > h - statusH - paneH) return;
      if (e.trim() === active) out.push(rect(treeX, y, treeW, rowH, ctx.dark ? '#37373d' : '#dbe7f5'));
      if (e.includes('.')) out.push(rect(treeX + (e.length - e.trimStart().length) * 6.5 * s + 4 * s, y + 6 * s, 10 * s, 11 * s, lang === 'java' ? '#e76f00' : lang === 'csharp' ? '#68217a' : lang === 'python' ? '#3572a5' : '#555555', `rx="${2 * s}"`));
      out.push(text(treeX + 18 * s + (e.length - e.trimStart().length) * 6.5 * s, y + rowH * 0.7, fit(e.trim(), treeW - 40 * s, 12.5 * s), { size: 12.5 * s, fill: fg, font: ui }));
    });
  }
  const edX = treeRight ? left : left + treeW;
  const edW = w - treeW - left;
  // tabs
  const tabH = 34 * s;
  out.push(rect(edX, top, edW, tabH, mix(chromeBg, scheme.bg, 0.3)));
  let tx = edX;
  for (const [i, f] of files.slice(0, rng.int(1, Math.min(5, files.length))).entries()) {
    const tw = (f.length * 7.4 + 44) * s;
    const isActive = f === active || (i === 0 && !files.slice(0, 5).includes(active));
    if (isActive) out.push(rect(tx, top, tw, tabH, scheme.bg), rect(tx, top + (flavor === 'jetbrains' ? tabH - 3 * s : 0), tw, 2 * s, ctx.accent));
    out.push(text(tx + 14 * s, top + tabH * 0.64, f, { size: 12.5 * s, fill: fg, font: ui, opacity: isActive ? 1 : 0.7 }));
    tx += tw;
  }
  top += tabH;
  // editor
  const edH = h - top - statusH - paneH;
  const lh = fs * rng.pick([1.35, 1.45, 1.55]);
  const visible = Math.floor(edH / lh);
  const first = Math.max(0, Math.min(cursor - Math.floor(visible * 0.6), Math.max(0, lines.length - visible + 3)));
  const minimap = flavor === 'vscode' && rng.chance(0.75) ? 90 * s : 0;
  const breakpoints = debugging || rng.chance(0.15) ? [first + 3, first + Math.floor(visible / 2)].filter((n) => n < lines.length) : [];
  out.push(codeView(edX, top, edW - minimap, edH, { lines, lang, scheme, font: mono, size: fs, first, lineNumbers: true, cursorLine: cursor, breakpoints, stopLine: debugging ? breakpoints[1] ?? -1 : -1, lineHeight: lh }));
  if (minimap > 0) {
    out.push(rect(edX + edW - minimap, top, minimap, edH, scheme.bg));
    lines.slice(0, Math.floor(edH / (3 * s))).forEach((l, i) => {
      const ind = l.length - l.trimStart().length;
      if (l.trim()) out.push(rect(edX + edW - minimap + 6 * s + ind * s, top + i * 3 * s, Math.min(l.trim().length, 60) * s, 2 * s, scheme.kw, 'fill-opacity="0.45"'));
    });
    out.push(rect(edX + edW - minimap, top + first * 3 * s, minimap, visible * 3 * s, ctx.dark ? '#ffffff' : '#000000', 'fill-opacity="0.06"'));
  }
  if (paneH > 0) out.push(bottomPane(ctx, edX, h - statusH - paneH, edW, paneH, bottomMode, scheme, lang, active));
  // status bar
  const sb = flavor === 'vscode' ? (debugging ? '#cc6633' : rng.fork('sb').pick([ctx.accent, '#007acc', '#16825d', '#68217a', mix(chromeBg, '#000000', 0.1)])) : flavor === 'visualstudio' ? '#007acc' : mix(chromeBg, '#000000', 0.05);
  const sbFg = flavor === 'vscode' || flavor === 'visualstudio' ? '#ffffff' : fg;
  out.push(rect(0, h - statusH, w, statusH, sb));
  if (flavor === 'geany') {
    out.push(text(10 * s, h - statusH * 0.28, fit(`line: ${cursor + 1} / ${lines.length}    col: ${lines[cursor]?.length ?? 0}    sel: 0    INS    SP    mode: LF    encoding: UTF-8    filetype: ${lang === 'python' ? 'Python' : lang === 'c' ? 'C' : lang === 'java' ? 'Java' : 'C#'}    scope: unknown`, w - 20 * s, 11 * s), { size: 11 * s, fill: sbFg, font: ui }));
  } else out.push(text(10 * s, h - statusH * 0.28, `⎇ main   ⊗ 0  ⚠ ${rng.int(0, 3)}`, { size: 11 * s, fill: sbFg, font: ui }));
  if (flavor !== 'geany') out.push(text(w - 10 * s, h - statusH * 0.28, `Ln ${cursor + 1}, Col ${(lines[cursor]?.length ?? 0) + 1}   Spaces: 4   UTF-8   ${lang === 'csharp' ? 'C#' : lang === 'java' ? 'Java' : lang === 'python' ? 'Python' : 'C'}`, { size: 11 * s, fill: sbFg, font: ui, anchor: 'end' }));
  const product = flavor === 'vscode' ? 'Visual Studio Code' : flavor === 'visualstudio' ? 'Microsoft Visual Studio' : flavor === 'geany' ? 'Geany' : lang === 'python' ? 'PyCharm' : lang === 'csharp' ? 'Rider' : 'IntelliJ IDEA';
  const title = flavor === 'geany' ? `${active} - ~/${project}/src - Geany` : flavor === 'visualstudio' ? `${project} - ${product}` : `${active} - ${project} - ${product}`;
  return { body: out.join(''), title, frameless: flavor === 'vscode' && (ctx.style.os === 'win10' || ctx.style.os === 'win11') };
}

function bottomPane(ctx: AppContext, x: number, y: number, w: number, h: number, mode: number, scheme: SyntaxScheme, lang: Language, active: string): string {
  const { s, rng } = ctx;
  const fg = scheme.p;
  const out: string[] = [rect(x, y, w, h, mix(scheme.bg, ctx.dark ? '#000000' : '#f0f0f0', 0.2)), line(x, y, x + w, y, mix(scheme.bg, '#808080', 0.5))];
  const tabs = ctx.win.flavor === 'geany' ? ['Status', 'Compiler', 'Messages', 'Scribble', 'Terminal'] : mode === 3 ? ['Variables', 'Watch', 'Call Stack', 'Breakpoints'] : ['PROBLEMS', 'OUTPUT', 'DEBUG CONSOLE', 'TERMINAL'];
  tabs.forEach((t, i) => {
    const tx = x + 12 * s + i * 110 * s;
    const act = mode === 3 ? i === 0 : (mode === 1 && i === 3) || (mode === 2 && i === 1) || (mode === 4 && i === 0);
    out.push(text(tx, y + 20 * s, t, { size: 11 * s, fill: fg, font: ctx.ui, opacity: act ? 1 : 0.6 }));
    if (act) out.push(rect(tx, y + 26 * s, t.length * 7 * s, 1.5 * s, ctx.accent));
  });
  const fs = 12.5 * s;
  const lh = fs * 1.4;
  const rows = Math.floor((h - 40 * s) / lh);
  let lines: string[];
  if (mode === 3) {
    lines = Array.from({ length: rows }, (_, i) => `${i % 3 === 0 ? '▸' : ' '} ${['i', 'count', 'result', 'list', 'this', 'sum', 'args', 'item', 'n'][i % 9]} = ${rng.fork(`v${i}`).pick([String(rng.int(0, 99)), '"Exam"', `{ArrayList size=${rng.int(0, 9)}}`, 'null', 'true', `${rng.int(0, 9)}.${rng.int(0, 99)}`])}`);
  } else if (mode === 4) {
    lines = Array.from({ length: Math.min(rows, rng.int(0, 5)) }, () => `⚠ ${active} [${rng.int(3, 80)}, ${rng.int(1, 30)}]: ${rng.pick(['The variable is declared but never used', 'Unnecessary using directive', 'Possible null reference', 'Unused import'])}`);
  } else {
    lines = terminalLines(rng.fork('pane'), lang, ctx.win.state.progress % 50 + 6, rows, ctx.style.os);
  }
  lines.slice(-rows).forEach((l, i) => out.push(text(x + 12 * s, y + 40 * s + (i + 0.8) * lh, fit(l, w - 24 * s, fs, 0.6), { size: fs, fill: /error|FAIL|Exception/i.test(l) ? '#f14c4c' : /passed|SUCCESS|OK/.test(l) ? '#23d18b' : fg, font: ctx.mono })));
  if (mode === 3) out.push(circle(x + w - 20 * s, y + 18 * s, 5 * s, '#e51400'));
  return out.join('');
}

export { fileExtension };
