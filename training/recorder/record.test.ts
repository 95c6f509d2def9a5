import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../core/dataset/manifest.js';
import { checkImages } from '../../core/dataset/images.js';
import { recordDataset } from './record.js';

async function meanAbsDiff(a: string, b: string): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((f) => sharp(f).resize(64, 64, { fit: 'fill' }).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i]);
  return sum / x.length;
}

describe('dataset record on a real Xvfb desktop', () => {
  it('records a short scripted session: a valid dataset whose labels follow the script and whose frames show the apps', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'lw-rec-')), 'ds');
    const lines: string[] = [];
    // "messaging": Chromium with the messaging web app (prohibited), then xterm compiling C (permitted).
    const summary = await recordDataset({ out, scenarios: ['messaging'], set: 'holdout', seconds: 7, resolution: [800, 600], log: (l) => lines.push(l) });
    expect(summary.failed, lines.join('\n')).toEqual([]);

    const ds = await readDataset(out);
    expect((await checkImages(ds)).problems).toEqual([]);
    expect(ds.rows.length).toBeGreaterThanOrEqual(3);
    const session = ds.rows[0].extra.session_id;
    expect(ds.rows.every((r) => r.extra.session_id === session && r.extra.source === 'record:messaging')).toBe(true);

    // Per-frame labels in capture order: the script shows the chat first, then the terminal.
    const frames = new Map<string, { label: string; activity: string }>();
    for (const r of ds.rows) {
      const labels = r.extra.frame_labels.split(' ');
      const acts = r.extra.activity.split(' ');
      r.frames.forEach((f, i) => frames.set(f, { label: labels[i], activity: acts[i] }));
      expect(r.label).toBe(labels.includes('1') ? 1 : 0);
    }
    const ordered = [...frames.entries()].sort(([a], [b]) => a.localeCompare(b));
    const seq = ordered.map(([, v]) => v.label).join('');
    expect(seq).toMatch(/^1+0+$/);
    for (const [, v] of ordered) expect(v.label).toBe(v.activity.startsWith('chromium') ? '1' : '0');

    // A chat frame and a terminal frame look different; frames are full-size captures.
    const chat = ordered.find(([, v]) => v.label === '1')![0];
    const term = ordered.at(-1)![0];
    expect(await meanAbsDiff(path.join(out, chat), path.join(out, term))).toBeGreaterThan(8); // identical screens differ by ~0
    const meta = await sharp(path.join(out, term)).metadata();
    expect([meta.width, meta.height]).toEqual([800, 600]);
  });
});
