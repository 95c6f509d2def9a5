import { spawn, type ChildProcess } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_BYTES, preprocessScreen } from '../models/preprocess.js';
import { killChild, startDesktop, waitFor, type Desktop } from '../training/recorder/desktop.js';
import { run } from '../training/recorder/exec.js';
import { captureDesktop, captureFrame, composeMonitors, type MonitorShot } from './capture.js';
import { buildDesktopSource } from './desktop-source.js';
import { pack3, swapRedBlue } from './pixels.js';
import { openX11Capture } from './x11-capture.js';

function solid(x: number, y: number, width: number, height: number, rgb: [number, number, number]): MonitorShot {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([...rgb, 255], i);
  return { x, y, width, height, data };
}

function pixel(screen: { data: Uint8Array; width: number; channels: number }, x: number, y: number): number[] {
  const i = (y * screen.width + x) * screen.channels;
  return [...screen.data.subarray(i, i + 3)];
}

describe('composeMonitors', () => {
  it('puts a second monitor beside the first by position, so it is not a blind spot', () => {
    // A laptop panel on the left and a taller external monitor to its right, offset upwards.
    const screen = composeMonitors([solid(0, 20, 40, 30, [255, 0, 0]), solid(40, 0, 20, 50, [0, 0, 255])]);
    expect([screen.width, screen.height, screen.channels]).toEqual([60, 50, 4]);
    expect(pixel(screen, 10, 10)).toEqual([0, 0, 0]); // above the left panel: black gap
    expect(pixel(screen, 5, 49)).toEqual([255, 0, 0]);
    expect(pixel(screen, 59, 0)).toEqual([0, 0, 255]);
    expect(pixel(screen, 45, 49)).toEqual([0, 0, 255]);
  });

  it('handles monitors left of or above the primary (negative coordinates)', () => {
    const screen = composeMonitors([solid(0, 0, 10, 10, [0, 255, 0]), solid(-10, 0, 10, 10, [255, 255, 0])]);
    expect(screen.width).toBe(20);
    expect(pixel(screen, 0, 0)).toEqual([255, 255, 0]);
    expect(pixel(screen, 19, 9)).toEqual([0, 255, 0]);
  });

  it('refuses an empty monitor list with a coded error', () => {
    expect(() => composeMonitors([])).toThrow(/LABWATCH_ERR_CAPTURE_FAILED|no monitor/);
  });
});

describe('captureFrame on a real X desktop', () => {
  let desktop: Desktop;
  let xterm: ChildProcess | undefined;
  let savedDisplay: string | undefined;

  beforeAll(async () => {
    desktop = await startDesktop({ width: 800, height: 600 });
    savedDisplay = process.env.DISPLAY;
    // node-screenshots reads DISPLAY of this process.
    process.env.DISPLAY = desktop.display;
  });

  afterAll(async () => {
    if (xterm) await killChild(xterm);
    await desktop?.stop();
    if (savedDisplay === undefined) delete process.env.DISPLAY;
    else process.env.DISPLAY = savedDisplay;
  });

  it('captures the whole desktop, sees a window appear, and gives the 7,500-byte model input plus a PNG original', async () => {
    const before = await captureDesktop();
    expect([before.width, before.height]).toEqual([800, 600]);

    xterm = spawn('xterm', ['-bg', 'rgb:ff/ff/00', '-fg', 'black', '-e', 'sleep 60'], { env: desktop.env, stdio: 'ignore' });
    await waitFor(async () => (await run('xdotool', ['search', '--onlyvisible', '--class', 'xterm'], { env: desktop.env, allowFail: true })).stdout.trim() !== '', 10_000, 'xterm window');
    // openbox maximises it; give it a frame to draw.
    let after = await captureDesktop();
    await waitFor(async () => {
      after = await captureDesktop();
      return pixel(after, 400, 300).join() === '255,255,0';
    }, 10_000, 'yellow xterm visible in capture');
    expect(pixel(before, 400, 300)).not.toEqual([255, 255, 0]);

    const shot = await captureFrame({ png: true });
    expect(shot.frame.length).toBe(FRAME_BYTES);
    expect(shot.monitors).toBe(1); // Xvfb (also with +xinerama) exposes one monitor to node-screenshots
    // The 50x50 input is mostly the yellow terminal.
    const centre = (25 * 50 + 25) * 3;
    expect([...shot.frame.subarray(centre, centre + 3)]).toEqual([255, 255, 0]);
    const meta = await sharp(shot.png!).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 800, 600]);
  });

  it("the agent's own X11 reader sees exactly node-screenshots' pixels, and its source keeps the preprocessing contract", async () => {
    const reference = await captureDesktop(); // the yellow xterm of the test above, standing still
    const x11 = await openX11Capture();
    const shot = await x11.capture((n) => new Uint8Array(n));
    x11.close();
    expect([shot.width, shot.height]).toEqual([reference.width, reference.height]);
    const rgb = new Uint8Array(reference.width * reference.height * 3);
    expect(pack3(reference.data, 0, rgb, 0, reference.width * reference.height)).toBe(255);
    expect(Buffer.from(swapRedBlue(shot.bgr)).equals(Buffer.from(rgb))).toBe(true);

    const source = await buildDesktopSource();
    expect(source.method).toBe('x11');
    expect(source.monitors).toBe(1);
    const { rgb: frame, original } = await source.capture({ wantOriginal: true });
    expect(Buffer.from(frame).equals(Buffer.from(await preprocessScreen(reference)))).toBe(true);
    // the evidence original is encoded on demand and holds the full-size pixels
    const png = await original!.png();
    original!.release!();
    const decoded = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([decoded.info.width, decoded.info.height, decoded.info.channels]).toEqual([800, 600, 3]);
    expect(decoded.data.equals(Buffer.from(rgb))).toBe(true);
    await source.close?.();
  });
});
