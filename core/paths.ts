import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The package root (the folder holding labwatch's package.json), found by walking
 * up from this file, so paths resolve the same from sources (vitest) and from dist/.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('labwatch package root not found');
    dir = parent;
  }
  cachedRoot = dir;
  return dir;
}

/** The shipped screen classifier. */
export function defaultModelDir(): string {
  return path.join(packageRoot(), 'models', 'screen');
}
