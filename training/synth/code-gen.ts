import type { Rng } from './prng.js';

/**
 * Real-looking exam code (C#, Java, Python, C) built from small templates with
 * random identifiers, plus a tokeniser for syntax colouring. Students type it
 * character by character in the simulated IDEs and editors.
 */
export type Language = 'csharp' | 'java' | 'python' | 'c';
export type TokenClass = 'kw' | 'type' | 'str' | 'num' | 'com' | 'fn' | 'id' | 'p';

const NOUNS = ['student', 'grade', 'item', 'node', 'matrix', 'result', 'count', 'total', 'index', 'queue', 'list', 'word', 'value', 'score', 'name', 'size', 'buffer', 'left', 'right', 'key', 'sum', 'average', 'row', 'col', 'price', 'order', 'stock', 'line', 'token', 'edge', 'graph', 'visited', 'path', 'cost', 'employee', 'salary', 'account', 'balance', 'book', 'title', 'author', 'year', 'temp', 'max', 'min', 'current', 'next', 'head', 'tail', 'parent', 'child'];
const VERBS = ['compute', 'find', 'load', 'parse', 'sort', 'print', 'add', 'remove', 'update', 'validate', 'read', 'count', 'merge', 'search', 'insert', 'build', 'check', 'get', 'calculate', 'process'];
const CLASSES = ['Student', 'Exam', 'Inventory', 'Matrix', 'Graph', 'LinkedList', 'BankAccount', 'Library', 'Parser', 'Queue', 'Employee', 'Order', 'Program', 'Solution', 'Exercise1', 'Exercise2', 'Node', 'Shop', 'Grades', 'Tree'];

const KEYWORDS: Record<Language, Set<string>> = {
  csharp: new Set('using namespace class public private static void return if else for foreach in while new var int string bool double true false null this readonly try catch throw out ref get set internal override'.split(' ')),
  java: new Set('import package class public private static void return if else for while new int String boolean double true false null this final try catch throw throws extends implements var'.split(' ')),
  python: new Set('import from def return if elif else for in while class self True False None try except raise with as and or not lambda pass print len range'.split(' ')),
  c: new Set('include define int char void return if else for while struct static const double float unsigned sizeof NULL break'.split(' ')),
};

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

function ident(rng: Rng): string {
  return rng.chance(0.5) ? rng.pick(NOUNS) : rng.pick(NOUNS) + cap(rng.pick(NOUNS));
}

function method(rng: Rng): string {
  return rng.pick(VERBS) + cap(rng.pick(NOUNS));
}

/** A whole source file, as lines (no trailing newline characters). */
export function generateSource(rng: Rng, lang: Language): string[] {
  const cls = rng.pick(CLASSES);
  const out: string[] = [];
  const ind = (n: number) => (lang === 'python' ? '    ' : rng.chance(0.1) ? '  ' : '    ').repeat(n);
  const methods = rng.int(3, 7);
  const header = rng.int(0, 1) === 1;
  if (lang === 'csharp') {
    out.push('using System;', 'using System.Collections.Generic;', ...(header ? ['using System.Linq;'] : []), '', `namespace Exam${rng.int(1, 3)}`, '{', `    public class ${cls}`, '    {');
    for (let f = 0; f < rng.int(1, 4); f++) out.push(`        private ${rng.pick(['int', 'string', 'double', 'List<int>', 'bool'])} _${ident(rng)};`);
  } else if (lang === 'java') {
    out.push(`package exam.part${rng.int(1, 3)};`, '', 'import java.util.ArrayList;', 'import java.util.List;', ...(header ? ['import java.util.Scanner;'] : []), '', `public class ${cls} {`);
    for (let f = 0; f < rng.int(1, 4); f++) out.push(`    private ${rng.pick(['int', 'String', 'double', 'List<Integer>', 'boolean'])} ${ident(rng)};`);
  } else if (lang === 'python') {
    out.push(...(header ? ['import sys', 'from collections import defaultdict'] : ['import math']), '', '');
    if (rng.chance(0.5)) out.push(`class ${cls}:`, `    def __init__(self, ${rng.pick(NOUNS)}):`, `        self.${rng.pick(NOUNS)} = []`, '');
  } else {
    out.push('#include <stdio.h>', '#include <stdlib.h>', ...(header ? ['#include <string.h>'] : []), '', `#define MAX_${rng.pick(NOUNS).toUpperCase()} ${rng.pick([10, 100, 256, 1000])}`, '');
  }
  const base = lang === 'csharp' ? 2 : lang === 'java' ? 1 : lang === 'python' && out.some((l) => l.startsWith('class')) ? 1 : 0;
  for (let m = 0; m < methods; m++) {
    out.push('');
    out.push(...methodLines(rng, lang, base, ind));
  }
  if (lang === 'csharp') out.push('    }', '}');
  else if (lang === 'java') out.push('}');
  else if (lang === 'python') out.push('', '', 'if __name__ == "__main__":', `    main()`);
  else out.push('', 'int main(void)', '{', `    int ${ident(rng)} = 0;`, `    printf("%d\\n", ${method(rng)}());`, '    return 0;', '}');
  return out;
}

function methodLines(rng: Rng, lang: Language, base: number, ind: (n: number) => string): string[] {
  const name = method(rng);
  const a = ident(rng);
  const b = ident(rng);
  const out: string[] = [];
  const i = (n: number, s: string) => out.push(ind(base + n) + s);
  const comment = rng.chance(0.4) ? rng.pick(['TODO: handle empty input', `Returns the ${rng.pick(NOUNS)} of every ${rng.pick(NOUNS)}`, 'O(n log n) - see exercise 2', 'edge case: negative values', `check ${rng.pick(NOUNS)} before use`]) : null;
  if (lang === 'python') {
    if (comment) i(0, `# ${comment}`);
    i(0, `def ${snake(name)}(${base ? 'self, ' : ''}${a}, ${b}=None):`);
    i(1, `${b} = ${b} or []`);
    i(1, `for ${rng.pick(['i', 'x', 'item'])} in range(len(${a})):`);
    i(2, `if ${a}[i] ${rng.pick(['>', '<', '==', '!='])} ${rng.int(0, 100)}:`);
    i(3, `${b}.append(${a}[i] * ${rng.int(2, 9)})`);
    if (rng.chance(0.5)) { i(2, 'else:'); i(3, `print(f"skip {${a}[i]}")`); }
    i(1, `return ${rng.pick([`sum(${b})`, b, `len(${b})`, `sorted(${b})`])}`);
    return out;
  }
  const [tInt, tStr, tList] = lang === 'csharp' ? ['int', 'string', 'List<int>'] : lang === 'java' ? ['int', 'String', 'List<Integer>'] : ['int', 'char *', 'int *'];
  const ret = rng.pick([tInt, tStr, 'double', 'void']);
  const open = lang === 'csharp' || (lang === 'c' && rng.chance(0.7));
  if (comment) i(0, `// ${comment}`);
  const mods = lang === 'c' ? (rng.chance(0.3) ? 'static ' : '') : rng.pick(['public ', 'private ', 'public static ', 'private static ']);
  const fname = lang === 'csharp' ? cap(name) : name;
  i(0, `${mods}${ret} ${fname}(${tList} ${a}, ${tInt} ${b})${open ? '' : ' {'}`);
  if (open) i(0, '{');
  i(1, `${lang === 'c' ? 'int' : lang === 'csharp' && rng.chance(0.5) ? 'var' : tInt} ${rng.pick(NOUNS)} = ${rng.int(0, 10)};`);
  const len = lang === 'csharp' ? `${a}.Count` : lang === 'java' ? `${a}.size()` : b;
  const at = lang === 'c' ? `${a}[i]` : lang === 'csharp' ? `${a}[i]` : `${a}.get(i)`;
  i(1, `for (int i = 0; i < ${len}; i++)${open ? '' : ' {'}`);
  if (open) i(1, '{');
  i(2, `if (${at} ${rng.pick(['>', '<', '==', '>='])} ${b})${open ? '' : ' {'}`);
  if (open) i(2, '{');
  const print = lang === 'csharp' ? 'Console.WriteLine' : lang === 'java' ? 'System.out.println' : 'printf';
  i(3, rng.chance(0.5) ? `${print}(${lang === 'c' ? '"%d\\n", ' : '"' + rng.pick(NOUNS) + ': " + '}${at});` : `${b} += ${at} * ${rng.int(2, 9)};`);
  i(2, '}');
  if (rng.chance(0.3)) { i(2, `else${open ? '' : ' {'}`); if (open) i(2, '{'); i(3, `${b}--;`); i(2, '}'); }
  i(1, '}');
  i(1, ret === 'void' ? `${print}(${lang === 'c' ? '"done\\n"' : '"done"'});` : ret === tStr ? `return ${lang === 'c' ? '"ok"' : `${b}.ToString()`.replace('.ToString()', lang === 'java' ? ' + ""' : '.ToString()')};` : `return ${b};`);
  i(0, '}');
  return out;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

/** Split one line into coloured tokens. */
export function tokenize(lineText: string, lang: Language): [string, TokenClass][] {
  const out: [string, TokenClass][] = [];
  const commentStart = lang === 'python' ? lineText.indexOf('#') : lineText.indexOf('//');
  const inString = commentStart >= 0 && (lineText.slice(0, commentStart).split('"').length - 1) % 2 === 1;
  const code = commentStart >= 0 && !inString && !(lang === 'c' && lineText.trimStart().startsWith('#')) ? lineText.slice(0, commentStart) : lineText;
  const comment = code.length < lineText.length ? lineText.slice(code.length) : '';
  const re = /("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_#][A-Za-z0-9_]*)|(\s+)|([^A-Za-z0-9_\s"']+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    if (m[1]) out.push([m[1], 'str']);
    else if (m[2]) out.push([m[2], 'num']);
    else if (m[3]) {
      const w = m[3];
      const nextChar = code[re.lastIndex];
      if (KEYWORDS[lang].has(w) || w.startsWith('#')) out.push([w, 'kw']);
      else if (/^[A-Z]/.test(w)) out.push([w, 'type']);
      else if (nextChar === '(') out.push([w, 'fn']);
      else out.push([w, 'id']);
    } else if (m[4]) out.push([m[4], 'id']);
    else out.push([m[5], 'p']);
  }
  if (comment) out.push([comment, 'com']);
  return out;
}

export function fileExtension(lang: Language): string {
  return lang === 'csharp' ? 'cs' : lang === 'java' ? 'java' : lang === 'python' ? 'py' : 'c';
}

export function randomFileNames(rng: Rng, lang: Language, n: number): string[] {
  const ext = fileExtension(lang);
  const names = rng.shuffle(CLASSES).slice(0, n).map((c) => (lang === 'python' || lang === 'c' ? snake(c).replace(/^_/, '') : c));
  return names.map((n2) => `${n2}.${ext}`);
}

/** Show a source file as typed so far: the first `chars` characters. */
export function typedLines(lines: readonly string[], chars: number): string[] {
  const out: string[] = [];
  let left = chars;
  for (const l of lines) {
    if (left <= 0) break;
    out.push(l.slice(0, left));
    left -= l.length + 1;
  }
  return out;
}
