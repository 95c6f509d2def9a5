import { FRAME_BYTES } from '../core/protocol.js';

const SIDE = 50;
const ROW = SIDE * 3;

/**
 * A frame's views (one 50x50 view per monitor, stored one after the other) laid
 * side by side, left to right, as the monitors stand: a 50k x 50 RGB image.
 */
export function viewsSideBySide(rgb: Uint8Array): { data: Uint8Array; width: number } {
  const views = Math.max(1, Math.floor(rgb.length / FRAME_BYTES));
  if (views === 1) return { data: rgb, width: SIDE };
  const data = new Uint8Array(views * FRAME_BYTES);
  for (let y = 0; y < SIDE; y++) {
    for (let v = 0; v < views; v++) data.set(rgb.subarray(v * FRAME_BYTES + y * ROW, v * FRAME_BYTES + (y + 1) * ROW), (y * views + v) * ROW);
  }
  return { data, width: views * SIDE };
}

/** A frame as PNG for the panel, its monitors side by side (sharp is imported lazily: the CLI must start fast). */
export async function frameToPng(rgb: Uint8Array): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const { data, width } = viewsSideBySide(rgb);
  return sharp(data, { raw: { width, height: SIDE, channels: 3 } }).png({ compressionLevel: 3 }).toBuffer();
}
