import type { CaptureOriginal } from './capture-source.js';

/**
 * Full-size buffers go back here for the next capture: a fresh 6 MB allocation
 * every second costs page faults (kernel CPU) and leaves RSS to the allocator.
 */
export class BufferPool {
  private spare: Buffer[] = [];

  take(bytes: number): Buffer {
    const i = this.spare.findIndex((b) => b.length === bytes);
    if (i >= 0) return this.spare.splice(i, 1)[0];
    this.spare = []; // another screen size: the old buffers will not fit again
    return Buffer.allocUnsafeSlow(bytes);
  }

  give(buffer: Buffer): void {
    if (this.spare.length < 2 && !this.spare.includes(buffer)) this.spare.push(buffer);
  }
}

/**
 * A raw capture held for evidence, encoded only when asked for. Its buffer goes
 * back to the pool once it is released and no encoding of it is still running,
 * so an eviction in the middle of an evidence upload cannot overwrite its pixels.
 */
export function rawOriginal(pool: BufferPool, pixels: Buffer, width: number, height: number,
  encode: (pixels: Buffer) => Promise<Uint8Array>): CaptureOriginal {
  let encoding = 0;
  let released = false;
  const recycle = () => {
    if (released && encoding === 0) pool.give(pixels);
  };
  return {
    width, height, bytes: pixels.length,
    async png() {
      if (released) throw new Error('the original was already released');
      encoding += 1;
      try {
        return await encode(pixels);
      } finally {
        encoding -= 1;
        recycle();
      }
    },
    release() {
      released = true;
      recycle();
    },
  };
}
