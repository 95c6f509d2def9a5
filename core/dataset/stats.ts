import type { Dataset } from './manifest.js';
import { groupKey } from './split.js';
import type { FrameSize } from './images.js';

export interface LabelCounts {
  sequences: number;
  prohibited: number;
  permitted: number;
}

export interface DatasetStats {
  dir: string;
  sequences: number;
  prohibited: number;
  permitted: number;
  prohibitedShare: number;
  distinctFrames: number;
  sessions: number;
  bySource: Record<string, LabelCounts>;
  bySplit: Record<string, LabelCounts>;
  bySession: Record<string, LabelCounts>;
  /** "1920x1080" -> distinct frames of that size ("unreadable" for frames sharp cannot open). */
  frameSizes: Record<string, number>;
}

function add(map: Record<string, LabelCounts>, key: string, label: 0 | 1): void {
  const c = (map[key] ??= { sequences: 0, prohibited: 0, permitted: 0 });
  c.sequences++;
  if (label === 1) c.prohibited++;
  else c.permitted++;
}

/** Counts a user checks before training: balance, where sequences come from, how they are split. */
export function datasetStats(dataset: Dataset, sizes: Map<string, FrameSize | undefined>): DatasetStats {
  const bySource: Record<string, LabelCounts> = {};
  const bySplit: Record<string, LabelCounts> = {};
  const bySession: Record<string, LabelCounts> = {};
  let prohibited = 0;
  for (const r of dataset.rows) {
    if (r.label === 1) prohibited++;
    add(bySource, r.extra.source?.trim() || '(none)', r.label);
    add(bySplit, r.extra.split?.trim() || '(none)', r.label);
    add(bySession, groupKey(r).replace(/^[a-z_]+=/, ''), r.label);
  }
  const frameSizesCount: Record<string, number> = {};
  for (const size of sizes.values()) {
    const key = size ? `${size.width}x${size.height}` : 'unreadable';
    frameSizesCount[key] = (frameSizesCount[key] ?? 0) + 1;
  }
  const n = dataset.rows.length;
  return {
    dir: dataset.dir,
    sequences: n,
    prohibited,
    permitted: n - prohibited,
    prohibitedShare: n === 0 ? 0 : prohibited / n,
    distinctFrames: sizes.size,
    sessions: Object.keys(bySession).length,
    bySource,
    bySplit,
    bySession,
    frameSizes: frameSizesCount,
  };
}

function table(title: string, map: Record<string, LabelCounts>, limit = 40): string[] {
  const keys = Object.keys(map).sort();
  const width = Math.max(title.length, ...keys.slice(0, limit).map((k) => k.length));
  const lines = [`${title.padEnd(width)}  sequences  prohibited  permitted`];
  for (const k of keys.slice(0, limit)) {
    const c = map[k];
    lines.push(`${k.padEnd(width)}  ${String(c.sequences).padStart(9)}  ${String(c.prohibited).padStart(10)}  ${String(c.permitted).padStart(9)}`);
  }
  if (keys.length > limit) lines.push(`... and ${keys.length - limit} more (use --json for all)`);
  return lines;
}

export function formatStats(s: DatasetStats): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `dataset ${s.dir}`,
    `sequences: ${s.sequences} (prohibited ${s.prohibited} = ${pct(s.prohibitedShare)}, permitted ${s.permitted})`,
    `distinct frames: ${s.distinctFrames}; sessions: ${s.sessions}`,
    `frame sizes: ${Object.entries(s.frameSizes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} x${v}`).join(', ') || 'none'}`,
    '',
    ...table('split', s.bySplit),
    '',
    ...table('source', s.bySource),
    '',
    ...table('session', s.bySession),
  ];
  return `${lines.join('\n')}\n`;
}
