import type { CaptureSource } from './capture-source.js';

/**
 * The student's real desktop: every monitor composed into one image
 * (agent/capture.ts), shrunk with the shared preprocessing, and, for evidence,
 * the original encoded as a fast PNG. Fast, not small: zlib level 1 without
 * adaptive filtering costs ~15 ms per 1080p capture instead of ~30 ms at level 6;
 * the bigger file (~150 KB) only travels when the assistant asks for evidence.
 */
export async function buildDesktopSource(): Promise<CaptureSource> {
  const [{ captureMonitors, composeMonitors }, { preprocessScreen }, { default: sharp }] = await Promise.all([
    import('./capture.js'),
    import('../models/preprocess.js'),
    import('sharp'),
  ]);
  // One capture per second needs neither libvips' operation cache nor a thread
  // pool: both cost tens of MB of RSS on a student's laptop.
  sharp.cache(false);
  sharp.concurrency(1);
  const source: CaptureSource & { monitors: number } = {
    monitors: (await captureMonitors()).length,
    async capture({ wantOriginal }) {
      const shots = await captureMonitors();
      source.monitors = shots.length;
      const screen = composeMonitors(shots);
      const rgb = await preprocessScreen(screen);
      if (!wantOriginal) return { rgb };
      const png = await sharp(screen.data, { raw: { width: screen.width, height: screen.height, channels: screen.channels } })
        .removeAlpha()
        .png({ compressionLevel: 1, adaptiveFiltering: false })
        .toBuffer();
      return { rgb, original: { png, width: screen.width, height: screen.height } };
    },
  };
  return source;
}
