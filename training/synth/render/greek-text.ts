import { GLYPH_METRICS } from './glyph-metrics.js';
import type { FontMetrics } from './measure-glyphs.js';

/**
 * "Greeking": every `<text>` of a scene's SVG drawn as one block per word, of the
 * word's measured width and with exactly the ink its glyphs would put on the
 * screen (coverage = ink / block area). Shrunk to 50x50 (one model pixel is
 * ~20-50 screen pixels a side) a line of glyphs and a line of such blocks give
 * nearly the same pixels, but blocks rasterise several times faster: glyphs are
 * ~75% of librsvg's time on a typical desktop. The measured difference is in
 * training/synth/README.md ("Text as blocks").
 *
 * It reads the `<text>` elements that `svg.ts`'s `text()` and `runs()` write
 * (attributes x, y, font-family, font-size, fill, font-weight, text-anchor,
 * fill-opacity; content plain or `<tspan fill>` runs) and nothing else.
 */

/** Height of a word's block as a share of the font size; centred on the font's lowercase ink. */
const BLOCK_HEIGHT = 0.7;

interface Run {
  text: string;
  fill: string | undefined;
}

const TEXT_RE = /<text ([^>]*)>(.*?)<\/text>/gs;
const ATTR_RE = /([a-z:-]+)="([^"]*)"/g;
const TSPAN_RE = /<tspan fill="([^"]*)">(.*?)<\/tspan>/gs;

const charIndex = new Map<string, number>();
[...GLYPH_METRICS.chars].forEach((c, i) => charIndex.set(c, i));
const FALLBACK_CHAR = charIndex.get('n') ?? 0;

export function greekText(svg: string): string {
  return svg.replace(TEXT_RE, (_m, attrText: string, content: string) => textBlocks(attributes(attrText), content));
}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(ATTR_RE)) out.set(m[1], m[2]);
  return out;
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

function fontOf(family: string, weight: string | undefined): FontMetrics {
  const bold = weight !== undefined && (weight === 'bold' || Number(weight) >= 600);
  for (const name of family.split(',').map((f) => f.trim())) {
    const face = GLYPH_METRICS.fonts[bold ? `${name}|bold` : name] ?? GLYPH_METRICS.fonts[name];
    if (face) return face;
  }
  return GLYPH_METRICS.fonts[bold ? 'DejaVu Sans|bold' : 'DejaVu Sans'];
}

function textBlocks(attrs: Map<string, string>, content: string): string {
  const size = Number(attrs.get('font-size'));
  const x0 = Number(attrs.get('x'));
  const baseline = Number(attrs.get('y'));
  if (!(size > 0) || !Number.isFinite(x0) || !Number.isFinite(baseline)) return '';
  const font = fontOf(attrs.get('font-family') ?? '', attrs.get('font-weight'));
  const opacity = attrs.has('fill-opacity') ? Number(attrs.get('fill-opacity')) : 1;
  const runs: Run[] = content.includes('<tspan')
    ? [...content.matchAll(TSPAN_RE)].map((m) => ({ fill: m[1], text: unescape(m[2]) }))
    : [{ fill: attrs.get('fill'), text: unescape(content) }];

  let total = 0;
  for (const run of runs) for (const c of run.text) total += font.advance[charIndex.get(c) ?? FALLBACK_CHAR];
  const anchor = attrs.get('text-anchor');
  let x = x0 - (anchor === 'end' ? total * size : anchor === 'middle' ? (total * size) / 2 : 0);
  const h = BLOCK_HEIGHT * size;
  const y = baseline + font.centroid * size - h / 2;

  const out: string[] = [];
  for (const run of runs) {
    let wordStart = x;
    let wordInk = 0;
    const flush = (end: number) => {
      const w = end - wordStart;
      if (w > 0 && wordInk > 0) {
        const coverage = Math.min(1, (wordInk * size * size) / (w * h)) * opacity;
        out.push(`<rect x="${r2(wordStart)}" y="${r2(y)}" width="${r2(w)}" height="${r2(h)}" fill="${run.fill ?? '#000000'}" fill-opacity="${r3(coverage)}"/>`);
      }
    };
    for (const c of run.text) {
      const i = charIndex.get(c) ?? FALLBACK_CHAR;
      const advance = font.advance[i] * size;
      if (c === ' ') {
        flush(x);
        wordStart = x + advance;
        wordInk = 0;
      } else {
        wordInk += font.ink[i];
      }
      x += advance;
    }
    flush(x);
  }
  return out.join('');
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
