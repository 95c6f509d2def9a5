import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PoolGenerator } from './frame-pool.js';

/**
 * The synthetic generator (training/synth) as the frame pool needs it. Its
 * version is a hash of the generator's own code, so any change to the simulator
 * or the renderer invalidates cached pools without anyone bumping a number.
 */
export async function buildSynthGenerator(): Promise<PoolGenerator> {
  const [{ buildSessionSimulator }, render, { preprocessScreen }, { default: sharp }] = await Promise.all([
    import('../../training/synth/session-simulator.js'),
    import('../../training/synth/render/render-scene.js'),
    import('../../models/preprocess.js'),
    import('sharp'),
  ]);
  return {
    version: await codeHash(),
    session(seed) {
      const sim = buildSessionSimulator({ seed });
      return {
        next() {
          const step = sim.next();
          return {
            label: step.label,
            kind: step.kind,
            async render() {
              const { data, width, height } = await render.renderSceneRaw(step.scene);
              const raw = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height, channels: 4 as const };
              const [rgb, png] = await Promise.all([
                preprocessScreen(raw),
                sharp(data, { raw: { width, height, channels: 4 } }).removeAlpha().png({ compressionLevel: 6 }).toBuffer(),
              ]);
              return { rgb, png, width, height, monitors: step.scene.monitors.map((m) => ({ ...m })) };
            },
          };
        },
      };
    },
  };
}

async function codeHash(): Promise<string> {
  const synthDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'training', 'synth');
  const hash = createHash('sha256');
  for (const dir of [synthDir, path.join(synthDir, 'render')]) {
    const names = (await readdir(dir)).filter((n) => /\.(js|ts)$/.test(n) && !/\.test\.|\.map$|\.d\.ts$/.test(n)).sort();
    for (const n of names) hash.update(n).update(await readFile(path.join(dir, n)));
  }
  return `synth-${hash.digest('hex').slice(0, 12)}`;
}
