import { tokenize, type Language, type TokenClass } from '../code-gen.js';
import type { Rng } from '../prng.js';
import { circle, rect, runs, text, MONO_ADVANCE } from './svg.js';

/** Syntax-coloured code with an optional gutter, shared by IDEs, editors, chat answers and Q&A pages. */
export type SyntaxScheme = Record<TokenClass, string> & { bg: string; gutter: string; lineNo: string; current: string };

const SCHEMES: Record<string, SyntaxScheme> = {
  darkplus: { kw: '#569cd6', type: '#4ec9b0', str: '#ce9178', num: '#b5cea8', com: '#6a9955', fn: '#dcdcaa', id: '#9cdcfe', p: '#d4d4d4', bg: '#1e1e1e', gutter: '#1e1e1e', lineNo: '#858585', current: '#2a2d2e' },
  darcula: { kw: '#cc7832', type: '#a9b7c6', str: '#6a8759', num: '#6897bb', com: '#808080', fn: '#ffc66d', id: '#a9b7c6', p: '#a9b7c6', bg: '#2b2b2b', gutter: '#313335', lineNo: '#606366', current: '#323232' },
  newui: { kw: '#cf8e6d', type: '#bcbec4', str: '#6aab73', num: '#2aacb8', com: '#7a7e85', fn: '#56a8f5', id: '#bcbec4', p: '#bcbec4', bg: '#1e1f22', gutter: '#1e1f22', lineNo: '#4b5059', current: '#26282e' },
  monokai: { kw: '#f92672', type: '#66d9ef', str: '#e6db74', num: '#ae81ff', com: '#75715e', fn: '#a6e22e', id: '#f8f8f2', p: '#f8f8f2', bg: '#272822', gutter: '#272822', lineNo: '#90908a', current: '#3e3d32' },
  onedark: { kw: '#c678dd', type: '#e5c07b', str: '#98c379', num: '#d19a66', com: '#5c6370', fn: '#61afef', id: '#e06c75', p: '#abb2bf', bg: '#282c34', gutter: '#282c34', lineNo: '#495162', current: '#2c313c' },
  lightplus: { kw: '#0000ff', type: '#267f99', str: '#a31515', num: '#098658', com: '#008000', fn: '#795e26', id: '#001080', p: '#000000', bg: '#ffffff', gutter: '#ffffff', lineNo: '#237893', current: '#f5f5f5' },
  intellijlight: { kw: '#0033b3', type: '#000000', str: '#067d17', num: '#1750eb', com: '#8c8c8c', fn: '#00627a', id: '#871094', p: '#080808', bg: '#ffffff', gutter: '#f7f8fa', lineNo: '#adadad', current: '#fcfaed' },
  vs: { kw: '#0000ff', type: '#2b91af', str: '#a31515', num: '#000000', com: '#008000', fn: '#74531f', id: '#1f377f', p: '#000000', bg: '#ffffff', gutter: '#ffffff', lineNo: '#2b91af', current: '#ffffff' },
  geany: { kw: '#00007f', type: '#991111', str: '#ff901e', num: '#007f00', com: '#808080', fn: '#000000', id: '#000000', p: '#301010', bg: '#ffffff', gutter: '#eeeeee', lineNo: '#555555', current: '#f0f0f0' },
  solarized: { kw: '#859900', type: '#b58900', str: '#2aa198', num: '#d33682', com: '#93a1a1', fn: '#268bd2', id: '#657b83', p: '#586e75', bg: '#fdf6e3', gutter: '#eee8d5', lineNo: '#93a1a1', current: '#eee8d5' },
};

export function pickScheme(rng: Rng, dark: boolean, flavor: string): SyntaxScheme {
  if (dark) return SCHEMES[rng.pick(flavor === 'jetbrains' ? ['darcula', 'newui', 'newui'] : ['darkplus', 'darkplus', 'monokai', 'onedark', 'newui'])];
  return SCHEMES[rng.pick(flavor === 'jetbrains' ? ['intellijlight'] : flavor === 'visualstudio' ? ['vs'] : flavor === 'geany' ? ['geany'] : ['lightplus', 'lightplus', 'solarized', 'vs'])];
}

export interface CodeViewOptions {
  lines: readonly string[];
  lang: Language;
  scheme: SyntaxScheme;
  font: string;
  size: number;
  /** Index of the first shown line. */
  first: number;
  lineNumbers: boolean;
  /** Line index (absolute) holding the cursor, -1 for none. */
  cursorLine: number;
  breakpoints?: readonly number[];
  /** Debugger stop line (absolute), -1 for none. */
  stopLine?: number;
  lineHeight?: number;
}

export function codeView(x: number, y: number, w: number, h: number, o: CodeViewOptions): string {
  const out: string[] = [rect(x, y, w, h, o.scheme.bg)];
  const lh = o.lineHeight ?? o.size * 1.45;
  const gutter = o.lineNumbers ? o.size * MONO_ADVANCE * (String(o.lines.length + o.first).length + 3.5) : o.size * 0.6;
  if (o.lineNumbers) out.push(rect(x, y, gutter, h, o.scheme.gutter));
  const visible = Math.ceil(h / lh);
  const maxChars = Math.floor((w - gutter) / (o.size * MONO_ADVANCE));
  for (let i = 0; i < visible; i++) {
    const n = o.first + i;
    if (n >= o.lines.length) break;
    const by = y + i * lh;
    const baseline = by + lh * 0.75;
    if (n === o.cursorLine) out.push(rect(x + gutter, by, w - gutter, lh, o.scheme.current));
    if (n === o.stopLine) out.push(rect(x + gutter, by, w - gutter, lh, '#f5d76e55'));
    if (o.lineNumbers) out.push(text(x + gutter - o.size * 1.6, baseline, String(n + 1), { size: o.size * 0.92, fill: o.scheme.lineNo, font: o.font, anchor: 'end' }));
    if (o.breakpoints?.includes(n)) out.push(circle(x + o.size * 0.7, by + lh / 2, o.size * 0.38, '#e51400'));
    const content = o.lines[n].slice(0, maxChars);
    if (content.trim() === '') continue;
    const parts = tokenize(content, o.lang).map(([t, c]) => [t, o.scheme[c]] as const);
    out.push(runs(x + gutter, baseline, parts, { size: o.size, font: o.font }));
    if (n === o.cursorLine) {
      const cx = x + gutter + content.length * o.size * MONO_ADVANCE;
      out.push(rect(cx, by + lh * 0.12, Math.max(1, o.size * 0.1), lh * 0.8, o.scheme.p));
    }
  }
  return out.join('');
}
