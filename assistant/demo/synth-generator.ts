import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { viewRects, type PoolGenerator } from './frame-pool.js';

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
              // the desktop is rendered once, full size; each view is a monitor cropped from it and shrunk on its own
              const { data, width, height } = await render.renderSceneRaw(step.scene);
              const monitors = step.scene.monitors.map((m) => ({ ...m }));
              const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
              const [views, png] = await Promise.all([
                Promise.all(viewRects(monitors, width, height).map((r) => preprocessScreen({ data: raw, width, height, channels: 4 }, { region: r }))),
                sharp(data, { raw: { width, height, channels: 4 } }).removeAlpha().png({ compressionLevel: 6 }).toBuffer(),
              ]);
              return { rgb: views.length === 1 ? views[0] : Buffer.concat(views), png, width, height, monitors };
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
