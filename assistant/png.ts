/** A 50x50 RGB frame as PNG for the panel (sharp is imported lazily: the CLI must start fast). */
export async function frameToPng(rgb: Uint8Array): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(rgb, { raw: { width: 50, height: 50, channels: 3 } }).png({ compressionLevel: 3 }).toBuffer();
}
