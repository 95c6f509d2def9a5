import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Confusion } from './metrics.js';

/**
 * Dependency-free SVG charts for training and evaluation reports: learning
 * curves, precision-recall curve, confusion-matrix heatmap. Strings in, strings
 * out; `writePlot` renders to PNG through sharp (librsvg) when the file name ends
 * in .png. Text needs installed fonts (fonts-dejavu-core) or librsvg draws boxes.
 */

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const PALETTE = ['#1f77b4', '#e6550d', '#2ca02c', '#9467bd', '#8c564b', '#d62728'];

export interface Series {
  name: string;
  points: Array<[number, number]>;
  color?: string;
  dashed?: boolean;
  /** Draw a dot on each point (useful for few epochs). */
  dots?: boolean;
  /** Step line (PR curves) instead of straight segments. */
  step?: boolean;
}

export interface Marker {
  x: number;
  y: number;
  label: string;
  color?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  markers?: Marker[];
  /** Fixed axis ranges; by default from the data (y from 0 when all values are >= 0). */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Integer ticks only (epochs). */
  xIntegers?: boolean;
  width?: number;
  height?: number;
  legendPosition?: 'top-right' | 'bottom-right' | 'bottom-left' | 'top-left';
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

const fmt = (v: number) => String(Number(v.toPrecision(6)));

/** About `count` round tick values (1, 2, 5 x 10^k steps) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(12)));
  return ticks;
}

function svgDocument(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT}" font-size="13">\n<rect width="100%" height="100%" fill="#ffffff"/>\n${body}</svg>\n`
  );
}

function finitePoints(s: Series): Array<[number, number]> {
  return s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
}

function domainOf(values: number[], fallback: [number, number], fromZero: boolean): [number, number] {
  if (values.length === 0) return fallback;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (fromZero && lo >= 0) lo = 0;
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  return [lo, hi + (fromZero ? (hi - lo) * 0.05 : 0)];
}

/** One chart panel as an SVG group placed at (left, top) with the given outer size. */
function linePanel(o: LineChartOptions, left: number, top: number, width: number, height: number): string {
  const m = { left: 68, right: 18, top: 36, bottom: 52 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const series = o.series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length], pts: finitePoints(s) }));
  const xs = series.flatMap((s) => s.pts.map((p) => p[0]));
  const ys = series.flatMap((s) => s.pts.map((p) => p[1])).concat((o.markers ?? []).map((mk) => mk.y));
  const [x0, x1] = o.xDomain ?? domainOf(xs, [0, 1], false);
  const [y0, y1] = o.yDomain ?? domainOf(ys, [0, 1], true);
  const sx = (x: number) => left + m.left + ((x - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number) => top + m.top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const out: string[] = [];

  out.push(`<text x="${left + width / 2}" y="${top + 22}" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(o.title)}</text>`);
  let xTicks = niceTicks(x0, x1, Math.min(8, Math.max(2, Math.floor(pw / 70))));
  if (o.xIntegers) xTicks = [...new Set(xTicks.filter((t) => Number.isInteger(t)))];
  if (o.xIntegers && xTicks.length < 2) xTicks = [Math.ceil(x0), Math.floor(x1)].filter((v, i, a) => a.indexOf(v) === i);
  const yTicks = niceTicks(y0, y1, Math.max(2, Math.floor(ph / 50)));
  for (const t of yTicks) {
    out.push(`<line x1="${left + m.left}" x2="${left + m.left + pw}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left + m.left - 8}" y="${sy(t) + 4}" text-anchor="end" fill="#333">${fmt(t)}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${top + m.top}" y2="${top + m.top + ph}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${sx(t)}" y="${top + m.top + ph + 18}" text-anchor="middle" fill="#333">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${left + m.left}" y="${top + m.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${left + m.left + pw / 2}" y="${top + height - 12}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  const yMid = top + m.top + ph / 2;
  out.push(`<text x="${left + 16}" y="${yMid}" text-anchor="middle" transform="rotate(-90 ${left + 16} ${yMid})">${escapeXml(o.yLabel)}</text>`);

  for (const s of series) {
    if (s.pts.length === 0) continue;
    const coords: string[] = [];
    s.pts.forEach(([x, y], i) => {
      if (s.step && i > 0) coords.push(`${sx(x).toFixed(2)},${sy(s.pts[i - 1][1]).toFixed(2)}`);
      coords.push(`${sx(x).toFixed(2)},${sy(y).toFixed(2)}`);
    });
    const dash = s.dashed ? ' stroke-dasharray="7 4"' : '';
    out.push(`<polyline points="${coords.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2.2"${dash}/>`);
    if (s.dots || s.pts.length === 1) {
      for (const [x, y] of s.pts) out.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3" fill="${s.color}"/>`);
    }
  }
  for (const mk of o.markers ?? []) {
    const color = mk.color ?? '#000';
    const cx = sx(mk.x);
    const cy = sy(mk.y);
    out.push(`<circle cx="${cx}" cy="${cy}" r="5.5" fill="${color}" stroke="#fff" stroke-width="1.5"/>`);
    const anchor = cx > left + m.left + pw * 0.6 ? 'end' : 'start';
    const dx = anchor === 'end' ? -9 : 9;
    // Below the dot when it sits near the top edge, so the label stays inside the plot.
    const ty = cy - (top + m.top) < 22 ? cy + 20 : cy - 8;
    out.push(`<text x="${cx + dx}" y="${ty}" text-anchor="${anchor}" fill="${color}" font-size="12" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(mk.label)}</text>`);
  }

  const named = series.filter((s) => s.name !== '');
  if (named.length > 0) {
    const lw = Math.max(...named.map((s) => s.name.length)) * 7.5 + 44;
    const lh = named.length * 18 + 10;
    const pos = o.legendPosition ?? 'top-right';
    const lx = pos.endsWith('right') ? left + m.left + pw - lw - 8 : left + m.left + 8;
    const ly = pos.startsWith('top') ? top + m.top + 8 : top + m.top + ph - lh - 8;
    out.push(`<rect x="${lx}" y="${ly}" width="${lw}" height="${lh}" fill="#fff" fill-opacity="0.9" stroke="#bbb"/>`);
    named.forEach((s, i) => {
      const y = ly + 14 + i * 18;
      const dash = s.dashed ? ' stroke-dasharray="7 4"' : '';
      out.push(`<line x1="${lx + 8}" x2="${lx + 32}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2.5"${dash}/>`);
      out.push(`<text x="${lx + 38}" y="${y + 4}">${escapeXml(s.name)}</text>`);
    });
  }
  return `<g>\n${out.join('\n')}\n</g>\n`;
}

export function lineChartSvg(options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 420;
  return svgDocument(width, height, linePanel(options, 0, 0, width, height));
}

/** One epoch of a training run; missing or non-finite values are left out of the curves. */
export interface EpochRecord {
  epoch: number;
  trainLoss?: number;
  valLoss?: number;
  trainF2?: number;
  valF2?: number;
}

/** Loss and F2 per epoch, train (solid) vs validation (dashed), side by side. */
export function trainingCurvesSvg(history: EpochRecord[], title = 'Training'): string {
  const pts = (key: keyof EpochRecord) =>
    history.filter((h) => typeof h[key] === 'number').map((h) => [h.epoch, h[key] as number] as [number, number]);
  const dots = history.length <= 30;
  const panel = 560;
  const common = { xLabel: 'epoch', xIntegers: true };
  const loss = linePanel(
    {
      ...common,
      title: `${title}: loss`,
      yLabel: 'loss (binary cross-entropy)',
      series: [
        { name: 'train', points: pts('trainLoss'), color: PALETTE[0], dots },
        { name: 'validation', points: pts('valLoss'), color: PALETTE[1], dashed: true, dots },
      ],
    },
    0, 0, panel, 420,
  );
  const f2 = linePanel(
    {
      ...common,
      title: `${title}: F2`,
      yLabel: 'F2 (recall-weighted)',
      yDomain: [0, 1],
      legendPosition: 'bottom-right',
      series: [
        { name: 'train', points: pts('trainF2'), color: PALETTE[0], dots },
        { name: 'validation', points: pts('valF2'), color: PALETTE[1], dashed: true, dots },
      ],
    },
    panel, 0, panel, 420,
  );
  return svgDocument(panel * 2, 420, loss + f2);
}

export interface PrCurveOptions {
  points: Array<{ precision: number; recall: number }>;
  title?: string;
  averagePrecision?: number;
  /** The model's operating point (its threshold). */
  operatingPoint?: { precision: number; recall: number; threshold: number };
  /** Share of prohibited items: precision of a random classifier, drawn dashed. */
  prevalence?: number;
  /** Baselines as single points. */
  baselines?: Array<{ name: string; precision: number; recall: number }>;
}

export function prCurveSvg(o: PrCurveOptions): string {
  const series: Series[] = [
    {
      name: o.averagePrecision === undefined ? 'model' : `model (AP ${o.averagePrecision.toFixed(3)})`,
      points: o.points.map((p) => [p.recall, p.precision]),
      color: PALETTE[0],
      step: true,
    },
  ];
  if (o.prevalence !== undefined) {
    series.push({ name: `chance (prevalence ${o.prevalence.toFixed(2)})`, points: [[0, o.prevalence], [1, o.prevalence]], color: '#888', dashed: true });
  }
  const markers: Marker[] = [];
  if (o.operatingPoint) {
    const p = o.operatingPoint;
    markers.push({ x: p.recall, y: p.precision, label: `threshold ${fmt(Number(p.threshold.toFixed(3)))}`, color: '#d62728' });
  }
  (o.baselines ?? []).forEach((b, i) => markers.push({ x: b.recall, y: b.precision, label: b.name, color: PALETTE[(i + 2) % PALETTE.length] }));
  return lineChartSvg({
    title: o.title ?? 'Precision-recall curve',
    xLabel: 'recall (share of prohibited sequences caught)',
    yLabel: 'precision (share of alarms that are right)',
    series,
    markers,
    xDomain: [0, 1],
    yDomain: [0, 1.02],
    legendPosition: 'bottom-left',
    width: 640,
    height: 480,
  });
}

export interface ConfusionOptions {
  title?: string;
  /** Class names, negative first. */
  classNames?: [string, string];
}

/** 2x2 heatmap, rows = actual, columns = predicted; colour = share of the actual row. */
export function confusionMatrixSvg(c: Confusion, o: ConfusionOptions = {}): string {
  const [neg, pos] = o.classNames ?? ['permitted', 'prohibited'];
  const cell = 150;
  const x0 = 170;
  const y0 = 92;
  const cells = [
    { row: 0, col: 0, v: c.tn, rowTotal: c.tn + c.fp, tag: 'true negative' },
    { row: 0, col: 1, v: c.fp, rowTotal: c.tn + c.fp, tag: 'false alarm' },
    { row: 1, col: 0, v: c.fn, rowTotal: c.fn + c.tp, tag: 'missed' },
    { row: 1, col: 1, v: c.tp, rowTotal: c.fn + c.tp, tag: 'caught' },
  ];
  const out: string[] = [];
  out.push(`<text x="${x0 + cell}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(o.title ?? 'Confusion matrix')}</text>`);
  out.push(`<text x="${x0 + cell}" y="56" text-anchor="middle" font-weight="bold">predicted</text>`);
  out.push(`<text x="${x0 + cell / 2}" y="80" text-anchor="middle">${escapeXml(neg)}</text>`);
  out.push(`<text x="${x0 + cell * 1.5}" y="80" text-anchor="middle">${escapeXml(pos)}</text>`);
  out.push(`<text x="30" y="${y0 + cell}" text-anchor="middle" font-weight="bold" transform="rotate(-90 30 ${y0 + cell})">actual</text>`);
  out.push(`<text x="${x0 - 10}" y="${y0 + cell / 2 + 5}" text-anchor="end">${escapeXml(neg)}</text>`);
  out.push(`<text x="${x0 - 10}" y="${y0 + cell * 1.5 + 5}" text-anchor="end">${escapeXml(pos)}</text>`);
  for (const k of cells) {
    const share = k.rowTotal === 0 ? 0 : k.v / k.rowTotal;
    // White to dark blue; the right answers and the errors share one scale so both are comparable.
    const shade = (a: number, b: number) => Math.round(a + (b - a) * share);
    const fill = `rgb(${shade(247, 8)},${shade(251, 69)},${shade(255, 148)})`;
    const ink = share > 0.55 ? '#fff' : '#111';
    const x = x0 + k.col * cell;
    const y = y0 + k.row * cell;
    out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#555"/>`);
    out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 - 8}" text-anchor="middle" font-size="26" font-weight="bold" fill="${ink}">${k.v}</text>`);
    out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 16}" text-anchor="middle" fill="${ink}">${(share * 100).toFixed(1)}% of row</text>`);
    out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 36}" text-anchor="middle" font-size="12" fill="${ink}">${k.tag}</text>`);
  }
  const n = c.tp + c.fp + c.tn + c.fn;
  out.push(`<text x="${x0 + cell}" y="${y0 + 2 * cell + 30}" text-anchor="middle" fill="#333">n = ${n}; colour = share of the actual class</text>`);
  return svgDocument(x0 + 2 * cell + 30, y0 + 2 * cell + 50, out.join('\n') + '\n');
}

/**
 * Write an SVG string to `file`: as SVG, or rendered to PNG through sharp when
 * the name ends in .png (sharp is loaded only then). Creates the folder.
 */
export async function writePlot(file: string, svg: string, scale = 2): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  if (file.toLowerCase().endsWith('.png')) {
    const { default: sharp } = await import('sharp');
    await sharp(Buffer.from(svg), { density: 72 * scale }).png().toFile(file);
  } else {
    await writeFile(file, svg);
  }
}
