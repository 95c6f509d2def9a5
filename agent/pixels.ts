/**
 * 4-byte pixels to 3-byte pixels (the 4th byte dropped, the order kept), on the
 * agent's hot path: one full-size screen a second. Working on 32-bit words,
 * four pixels per step, costs ~3 ms for 1080p where a byte loop costs ~6-10 ms.
 * Word access needs a little-endian host and 4-byte-aligned buffers; anything
 * else takes the byte loop.
 *
 * The order is kept on purpose: an X11 screen (B,G,R,x) becomes B,G,R, and the
 * R/B swap happens on the 50x50 result instead (agent/desktop-source.ts),
 * because the shrink treats every channel alike and swapping 2 million pixels
 * a second costs more than all the rest of this conversion.
 */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Write `pixels` pixels of `src` (4 bytes each, from byte `srcOffset`) into
 * `dst` as 3 bytes each, from pixel `dstPixel`. Returns the AND of every 4th
 * byte: 255 means an RGBA source was fully opaque.
 */
export function pack3(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstPixel: number, pixels: number): number {
  let done = 0;
  let fourth = 0xff;
  const wordsOk = LITTLE_ENDIAN && (src.byteOffset + srcOffset) % 4 === 0 && (dst.byteOffset + dstPixel * 3) % 4 === 0;
  if (wordsOk && pixels >= 4) {
    const groups = pixels >> 2;
    const s = new Uint32Array(src.buffer, src.byteOffset + srcOffset, groups * 4);
    const d = new Uint32Array(dst.buffer, dst.byteOffset + dstPixel * 3, groups * 3);
    fourth &= packWords(s, d, groups) >>> 24;
    done = groups * 4;
  }
  for (let p = done; p < pixels; p++) {
    const i = srcOffset + p * 4;
    const o = (dstPixel + p) * 3;
    dst[o] = src[i];
    dst[o + 1] = src[i + 1];
    dst[o + 2] = src[i + 2];
    fourth &= src[i + 3];
  }
  return fourth;
}

/** Little-endian words are 0xDDCCBBAA for bytes A,B,C,D: each output word takes its bytes from two neighbouring pixels. */
function packWords(s: Uint32Array, d: Uint32Array, groups: number): number {
  let acc = 0xffffffff;
  for (let g = 0, i = 0, o = 0; g < groups; g++, i += 4, o += 3) {
    const p0 = s[i], p1 = s[i + 1], p2 = s[i + 2], p3 = s[i + 3];
    acc &= p0 & p1 & p2 & p3;
    d[o] = (p0 & 0xffffff) | (p1 << 24);
    d[o + 1] = ((p1 >>> 8) & 0xffff) | (p2 << 16);
    d[o + 2] = ((p2 >>> 16) & 0xff) | (p3 << 8);
  }
  return acc;
}

/** Swap bytes 0 and 2 of every 3-byte pixel, in place (BGR <-> RGB). */
export function swapRedBlue(px: Uint8Array): Uint8Array {
  for (let i = 0; i + 2 < px.length; i += 3) {
    const t = px[i];
    px[i] = px[i + 2];
    px[i + 2] = t;
  }
  return px;
}
