import path from 'node:path';
import { defaultModelDir } from '../core/paths.js';
import { initBackend } from './backend.js';
import { IncrementalClassifier } from './incremental-classifier.js';
import { readModelMetadata, type ScreenModelMetadata } from './model-io.js';
import { FRAME_BYTES } from './preprocess.js';

export interface ModelInfo {
  dir: string;
  metadata: ScreenModelMetadata;
  /** Present with `load`: the backend used and a smoke run of 16 frames. */
  load?: { backend: string; msFor16Frames: number; scoreOfBlackScreens: number };
}

/** Read a model folder's metadata and, optionally, load it for real. */
export async function modelInfo(dir: string = defaultModelDir(), options: { load?: boolean } = {}): Promise<ModelInfo> {
  const resolved = path.resolve(dir);
  const metadata = await readModelMetadata(resolved);
  const info: ModelInfo = { dir: resolved, metadata };
  if (options.load) {
    const backend = await initBackend();
    const clf = await IncrementalClassifier.load(resolved);
    try {
      const frames = Array.from({ length: 16 }, () => new Uint8Array(FRAME_BYTES));
      clf.scoreSequences([frames.slice(0, 3)]); // warm-up
      const start = performance.now();
      const feats = clf.embedFrames(frames);
      const scores = clf.scoreWindows(feats.slice(2).map((f, i) => [feats[i], feats[i + 1], f]));
      info.load = { backend: backend.name, msFor16Frames: Math.round((performance.now() - start) * 10) / 10, scoreOfBlackScreens: scores[0] };
    } finally {
      clf.dispose();
    }
  }
  return info;
}

export function formatModelInfo(info: ModelInfo): string {
  const m = info.metadata;
  const a = m.architecture;
  const lines = [
    `model: ${info.dir}`,
    `created: ${m.createdAt}; preprocessing ${m.preprocessing.version}`,
    `architecture: ${a.convLayers} conv (${a.firstFilters}+ filters, ${a.kernelSize}x${a.kernelSize}, stride ${a.strides}, ${a.convActivation}${a.pooling ? ', 2x2 pooling' : ''}${a.finalPool && a.finalPool !== 'none' ? `, final ${a.finalPool} max-pool` : ''}), ` +
      `${a.rnnType.toUpperCase()} ${a.rnnUnits} (${a.rnnActivation}), dropout ${a.dropout}, ${a.denseLayers} dense x ${a.denseUnits}; ${m.parameters} parameters`,
    `threshold: ${m.threshold}`,
    ...metricLines(m.metrics),
    `training data: ${m.training.datasetHash ?? 'hash not recorded'}${m.training.epochs !== undefined ? `; ${m.training.epochs} epochs` : ''}`,
    `reproduce: ${m.reproduce}`,
    '(all metrics and training details: --json)',
  ];
  if (info.load) {
    lines.push(`loaded on ${info.load.backend}: 16 new frames classified in ${info.load.msFor16Frames} ms; P(prohibited) of a black screen ${info.load.scoreOfBlackScreens.toFixed(3)}`);
  }
  return lines.join('\n');
}

/** One line per evaluated set that reports the usual figures (free-form metadata otherwise skipped). */
function metricLines(metrics: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [set, value] of Object.entries(metrics)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    const ci = (v.ci95 ?? {}) as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof v.n === 'number') parts.push(`n=${v.n}`);
    for (const key of ['accuracy', 'precision', 'recall', 'f2']) {
      if (typeof v[key] !== 'number') continue;
      const interval = Array.isArray(ci[key]) ? ` [${(ci[key] as number[]).map((x) => x.toFixed(3)).join(', ')}]` : '';
      parts.push(`${key === 'f2' ? 'F2' : key} ${(v[key] as number).toFixed(3)}${interval}`);
    }
    if (parts.length > 0) lines.push(`metrics ${set}: ${parts.join(', ')}`);
  }
  return lines.length > 0 ? lines : ['metrics: none recorded'];
}
