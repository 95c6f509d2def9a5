import { describe, expect, it } from 'vitest';
import { BufferPool, rawOriginal } from './raw-originals.js';

describe('raw originals (evidence encoded on demand)', () => {
  it('encodes only when asked, and recycles the buffer only after release and the last encoding', async () => {
    const pool = new BufferPool();
    const pixels = pool.take(12);
    pixels.fill(7);
    let finish: () => void = () => undefined;
    let encodes = 0;
    const original = rawOriginal(pool, pixels, 2, 2, async (raw) => {
      encodes += 1;
      await new Promise<void>((r) => (finish = r));
      return Uint8Array.from(raw); // what a real encoder would read: the pixels at the end of encoding
    });
    expect(encodes).toBe(0);
    const png = original.png();
    original.release!(); // evicted while its evidence is being encoded
    const next = pool.take(12);
    expect(next).not.toBe(pixels); // so the next capture must not get its buffer yet
    next.fill(1);
    finish();
    expect([...(await png)]).toEqual(Array(12).fill(7));
    expect(pool.take(12)).toBe(pixels); // now it may
    expect(encodes).toBe(1);
    await expect(original.png()).rejects.toThrow(/released/);
  });

  it('forgets spare buffers of another size (the screen resolution changed)', () => {
    const pool = new BufferPool();
    const small = pool.take(12);
    pool.give(small);
    pool.give(small);
    const big = pool.take(24);
    expect(big.length).toBe(24);
    pool.give(big);
    expect(pool.take(12)).not.toBe(small);
  });
});
