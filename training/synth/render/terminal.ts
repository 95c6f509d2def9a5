import { fileExtension, randomFileNames, type Language } from '../code-gen.js';
import { buildRng, type Rng } from '../prng.js';
import type { OsStyle } from '../scene.js';
import { fit, rect, runs, text, type AppContext, type AppRender } from './svg.js';

/**
 * Terminals (xterm, GNOME Terminal, Konsole, Windows Terminal, cmd, PowerShell,
 * macOS Terminal) with a history of compiler, run and test output that grows.
 */
function promptFor(rng: Rng, os: OsStyle): string {
  if (os === 'win10' || os === 'win11') return rng.pick(['C:\\Users\\student\\exam>', 'PS C:\\Users\\student\\exam>', 'C:\\exam>']);
  const user = rng.pick(['student', 'alumno', 'user', 'exam', 'lab']);
  const host = rng.pick(['lab-pc', 'exam-07', 'ubuntu', 'debian', 'lab', 'pc-114', 'localhost']);
  const dir = rng.pick(['~/exam', '~', '~/exam/src', '~/Desktop/exam', '~/prog2']);
  return rng.pick([`${user}@${host}:${dir}$`, `${user}@${host}:${dir}$`, `[${user}@${host} ${dir.split('/').pop()}]$`, `${host}%`, '$', 'bash-5.2$']);
}

function session(rng: Rng, lang: Language, os: OsStyle, prompt: string): string[] {
  const win = os === 'win10' || os === 'win11';
  const file = randomFileNames(rng, lang, 1)[0];
  const cls = file.replace(/\.\w+$/, '');
  const out: string[] = [];
  const cmd = (c: string) => out.push(`${prompt} ${c}`);
  const pick = rng.int(0, 5);
  if (pick === 0) cmd(win ? 'dir' : 'ls -la');
  if (pick === 0) out.push(...(win ? [' Volume in drive C has no label.', ` Directory of C:\\Users\\student\\exam`, '', `21/01/2025  09:${rng.int(10, 59)}    <DIR>          .`, `21/01/2025  09:${rng.int(10, 59)}             ${rng.int(300, 4000)} ${file}`] : ['total 24', 'drwxr-xr-x 3 student student 4096 Jan 21 09:12 .', `-rw-r--r-- 1 student student ${rng.int(300, 4000)} Jan 21 09:${rng.int(10, 59)} ${file}`, '-rw-r--r-- 1 student student  812 Jan 21 09:02 input.txt']));
  if (lang === 'java') {
    cmd(`javac ${file}`);
    if (rng.chance(0.4)) out.push(`${file}:${rng.int(5, 80)}: error: ${rng.pick(["';' expected", 'cannot find symbol', 'incompatible types: String cannot be converted to int', 'missing return statement'])}`, '        ' + rng.pick(['int total = 0', 'return result', 'list.add(item)']), '                 ^', '1 error');
    cmd(`java ${cls}`);
  } else if (lang === 'csharp') {
    cmd('dotnet build');
    out.push('MSBuild version 17.8.3+195e7f5a3 for .NET', '  Determining projects to restore...', '  All projects are up-to-date for restore.');
    if (rng.chance(0.4)) out.push(`${win ? 'C:\\Users\\student\\exam\\' : '/home/student/exam/'}${file}(${rng.int(5, 80)},${rng.int(5, 40)}): error CS${rng.pick(['1002', '0103', '0029', '0161'])}: ${rng.pick(['; expected', "The name 'result' does not exist in the current context", "Cannot implicitly convert type 'string' to 'int'", 'not all code paths return a value'])}`, 'Build FAILED.');
    else out.push(`  Exam -> ${win ? 'C:\\Users\\student\\exam\\bin\\Debug\\net8.0\\Exam.dll' : '/home/student/exam/bin/Debug/net8.0/Exam.dll'}`, '', 'Build succeeded.', '    0 Warning(s)', '    0 Error(s)');
    cmd('dotnet run');
  } else if (lang === 'python') {
    cmd(`python3 ${file}`);
    if (rng.chance(0.35)) out.push('Traceback (most recent call last):', `  File "${file}", line ${rng.int(5, 80)}, in <module>`, '    main()', `  File "${file}", line ${rng.int(5, 80)}, in main`, rng.pick(["TypeError: unsupported operand type(s) for +: 'int' and 'str'", 'IndexError: list index out of range', "NameError: name 'reslt' is not defined", 'ZeroDivisionError: division by zero']));
  } else {
    cmd(`gcc -Wall -o ${cls} ${file}`);
    if (rng.chance(0.4)) out.push(`${file}: In function 'main':`, `${file}:${rng.int(5, 80)}:${rng.int(3, 30)}: warning: unused variable 'count' [-Wunused-variable]`);
    cmd(`./${cls}`);
  }
  for (let i = 0; i < rng.int(2, 8); i++) out.push(rng.pick([`Average grade: ${rng.int(4, 9)}.${rng.int(0, 99)}`, `Enter a number: ${rng.int(1, 100)}`, `[${Array.from({ length: rng.int(3, 8) }, () => rng.int(0, 99)).join(', ')}]`, `Total: ${rng.int(0, 5000)}`, `Student ${rng.pick(['Ana', 'Luis', 'Marta'])} -> ${rng.int(0, 10)}`, 'Done.', `Result = ${rng.int(-50, 500)}`]));
  if (rng.chance(0.5)) {
    cmd(lang === 'python' ? 'python3 -m pytest -q' : lang === 'java' ? 'mvn -q test' : lang === 'csharp' ? 'dotnet test' : 'make test');
    const n = rng.int(4, 20);
    const failed = rng.chance(0.5) ? rng.int(1, 3) : 0;
    if (lang === 'python') out.push(`${'.'.repeat(n - failed)}${'F'.repeat(failed)}${' '.repeat(4)}[100%]`, failed ? `FAILED test_${cls.toLowerCase()}.py::test_${rng.pick(['average', 'empty', 'sort', 'parse'])} - AssertionError` : '', `${failed ? `${failed} failed, ` : ''}${n - failed} passed in 0.${rng.int(10, 99)}s`);
    else out.push(`Running ${n} tests...`, ...(failed ? [`  Failed ${rng.pick(['TestAverage', 'TestEmptyList', 'testSort', 'testParse'])} [${rng.int(1, 40)} ms]`, '  Expected: 7.5', `  Actual:   ${rng.int(0, 9)}`] : []), `Passed!  - Failed: ${failed}, Passed: ${n - failed}, Total: ${n}`);
  }
  return out.filter((l) => l !== undefined);
}

/** The last `rows` lines of a terminal whose history has grown by `progress` steps. */
export function terminalLines(rng: Rng, lang: Language, progress: number, rows: number, os: OsStyle): string[] {
  const out: string[] = [];
  let i = 0;
  const prompt = promptFor(rng.fork('prompt'), os);
  while (out.length < progress + 4) out.push(...session(buildRng(`${rng.seed}:${i++}`), lang, os, prompt));
  return out.slice(0, progress + 4).slice(-rows);
}

interface TermLook { bg: string; fg: string; prompt: string; name: string }

function look(flavor: string, rng: Rng, dark: boolean): TermLook {
  switch (flavor) {
    case 'xterm': return { bg: '#ffffff', fg: '#000000', prompt: '#000000', name: 'xterm' };
    case 'xterm-dark': return { bg: '#000000', fg: rng.pick(['#ffffff', '#d3d7cf', '#00ff00']), prompt: '#ffffff', name: 'xterm' };
    case 'cmd': return { bg: '#0c0c0c', fg: '#cccccc', prompt: '#cccccc', name: 'Command Prompt' };
    case 'powershell': return { bg: rng.pick(['#012456', '#0c0c0c']), fg: '#eeedf0', prompt: '#eeedf0', name: 'Windows PowerShell' };
    case 'windows-terminal': return { bg: rng.pick(['#0c0c0c', '#1e1e1e', '#282c34']), fg: '#cccccc', prompt: '#16c60c', name: 'Terminal' };
    case 'konsole': return { bg: dark ? '#232627' : '#ffffff', fg: dark ? '#fcfcfc' : '#232627', prompt: '#1cdc9a', name: 'Konsole' };
    case 'macos-terminal': return dark ? { bg: '#1e1e1e', fg: '#f2f2f2', prompt: '#f2f2f2', name: 'Terminal' } : { bg: '#ffffff', fg: '#000000', prompt: '#000000', name: 'Terminal' };
    default: return dark || rng.chance(0.6) ? { bg: rng.pick(['#300a24', '#1e1e1e', '#2e3436', '#171421']), fg: '#ffffff', prompt: '#8ae234', name: 'Terminal' } : { bg: '#ffffff', fg: '#171421', prompt: '#26a269', name: 'Terminal' };
  }
}

export function renderTerminal(ctx: AppContext, w: number, h: number): AppRender {
  const { rng, s, win } = ctx;
  const lk = look(win.flavor, rng.fork('look'), ctx.dark);
  const lang = rng.fork('lang').weighted([['java', 4], ['csharp', 3], ['python', 4], ['c', 1.5]] as const);
  const isX = win.flavor.startsWith('xterm');
  // xterm -fa 'DejaVu Sans Mono' -fs 9..13 (points at 96 dpi)
  const fs = (isX ? rng.pick([12, 13.3, 14.7, 16, 17.3]) : rng.pick([12, 13, 14, 15, 16])) * s;
  const lh = fs * (isX ? 1.17 : 1.3);
  const out: string[] = [rect(0, 0, w, h, lk.bg)];
  let top = 4 * s;
  if (win.flavor === 'windows-terminal') {
    out.push(rect(0, 0, w, 34 * s, '#202020'), rect(8 * s, 6 * s, 200 * s, 28 * s, lk.bg, `rx="${6 * s}"`), text(40 * s, 25 * s, win.flavor === 'windows-terminal' ? 'Command Prompt' : lk.name, { size: 12 * s, fill: '#ffffff', font: ctx.ui }));
    top = 40 * s;
  }
  const rows = Math.max(1, Math.floor((h - top) / lh) - 1);
  const history = terminalLines(rng.fork('hist'), lang, win.state.progress % 400, rows, ctx.style.os);
  const mono = isX ? 'DejaVu Sans Mono, Liberation Mono, monospace' : ctx.mono;
  history.forEach((l, i) => {
    const y = top + (i + 0.85) * lh;
    const m = /^(\S+[$>%])( .*)?$/.exec(l);
    const shown = fit(l, w - 12 * s, fs, 0.6);
    if (m && shown === l && win.flavor !== 'cmd') out.push(runs(4 * s, y, [[m[1], lk.prompt], [m[2] ?? '', lk.fg]], { size: fs, font: mono, weight: win.flavor === 'gnome-terminal' ? 'normal' : 'normal' }));
    else out.push(text(4 * s, y, shown, { size: fs, fill: /error|FAILED|Traceback|Error/.test(l) && !isX ? '#ff6b68' : lk.fg, font: mono }));
  });
  const cy = top + (history.length - 0.15) * lh;
  out.push(rect(4 * s + (history[history.length - 1]?.length ?? 0) * fs * 0.6 + fs * 0.3, cy - lh * 0.75, fs * 0.6, lh * 0.9, lk.fg, 'fill-opacity="0.8"'));
  const title = isX ? rng.pick(['xterm', 'student@lab-pc: ~/exam', '']) : win.flavor === 'cmd' ? 'C:\\Windows\\system32\\cmd.exe' : win.flavor === 'powershell' ? 'Windows PowerShell' : `student@lab-pc: ~/exam`;
  return { body: out.join(''), title };
}

export { fileExtension };
