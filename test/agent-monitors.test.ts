import { spawn, type ChildProcess } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorRect } from '../agent/capture-source.js';
import { buildDesktopSource, type DesktopSource } from '../agent/desktop-source.js';
import { FRAME_BYTES, frameViews, MAX_FRAME_VIEWS } from '../core/protocol.js';
import { preprocessScreen } from '../models/preprocess.js';
import { killChild, startDesktop, waitFor, type Desktop } from '../training/recorder/desktop.js';
import { run } from '../training/recorder/exec.js';

/**
 * Per-monitor views on a real X desktop: Xvfb with one 2560x800 screen that
 * `xrandr --setmonitor` splits into two 1280x800 RandR monitors, and a yellow
 * xterm on the right-hand monitor only. The agent's desktop source must report
 * both monitors and send one 50x50 view of each, byte for byte preprocessScreen
 * of that monitor's crop of the full desktop (the evidence original of the
 * same capture).
 */
const WIDTH = 2560;
const HEIGHT = 800;
const LEFT: MonitorRect = { x: 0, y: 0, w: 1280, h: 800 };
const RIGHT: MonitorRect = { x: 1280, y: 0, w: 1280, h: 800 };

let desktop: Desktop;
let xterm: ChildProcess | undefined;
let source: DesktopSource | undefined;
let savedDisplay: string | undefined;

const xrandr = (args: string[]) => run('xrandr', args, { env: desktop.env });
/** `xrandr --setmonitor NAME W/MMxH/MM+X+Y OUTPUT`: the first monitor takes Xvfb's only output, so no automatic monitor remains. */
const setMonitors = async (rects: MonitorRect[]) => {
  for (const [i, r] of rects.entries()) await xrandr(['--setmonitor', `lw${i}`, `${r.w}/300x${r.h}/200+${r.x}+${r.y}`, i === 0 ? 'screen' : 'none']);
};
const deleteMonitors = async (count: number) => {
  for (let i = 0; i < count; i++) await xrandr(['--delmonitor', `lw${i}`]);
};

/** One capture: its views and its full-size original as RGB. */
async function captureWithOriginal(s: DesktopSource): Promise<{ views: Uint8Array[]; rgb: Buffer; width: number; height: number }> {
  const { rgb: frame, original } = await s.capture({ wantOriginal: true });
  const png = await original!.png();
  original!.release!();
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { views: frameViews(frame), rgb: data, width: info.width, height: info.height };
}

function crop(rgb: Uint8Array, width: number, r: MonitorRect): Uint8Array {
  const out = new Uint8Array(r.w * r.h * 3);
  for (let y = 0; y < r.h; y++) out.set(rgb.subarray(((r.y + y) * width + r.x) * 3, ((r.y + y) * width + r.x + r.w) * 3), y * r.w * 3);
  return out;
}

const yellowPixels = (view: Uint8Array) => {
  let n = 0;
  for (let i = 0; i < view.length; i += 3) if (view[i] > 200 && view[i + 1] > 200 && view[i + 2] < 60) n++;
  return n;
};

beforeAll(async () => {
  // no window manager: the xterm stays exactly where -geometry puts it, on the right-hand monitor
  desktop = await startDesktop({ width: WIDTH, height: HEIGHT, windowManager: false });
  savedDisplay = process.env.DISPLAY;
  process.env.DISPLAY = desktop.display; // the agent's X11 reader reads DISPLAY
  await setMonitors([LEFT, RIGHT]);
  const listed = (await xrandr(['--listmonitors'])).stdout;
  expect(listed).toMatch(/Monitors: 2/);
  xterm = spawn('xterm', ['-bg', 'rgb:ff/ff/00', '-fg', 'black', '-geometry', '120x40+1500+150', '-e', 'sleep 600'], { env: desktop.env, stdio: 'ignore' });
  await waitFor(async () => (await run('xdotool', ['search', '--onlyvisible', '--class', 'xterm'], { env: desktop.env, allowFail: true })).stdout.trim() !== '', 15_000, 'xterm window');
});

afterAll(async () => {
  await source?.close?.();
  if (xterm) await killChild(xterm);
  await desktop?.stop();
  if (savedDisplay === undefined) delete process.env.DISPLAY;
  else process.env.DISPLAY = savedDisplay;
});

describe('agent desktop source on a two-monitor X desktop', () => {
  it('reports both monitors and sends one view of each, preprocessScreen of its own crop', async () => {
    source = await buildDesktopSource();
    expect(source.method).toBe('x11');
    expect(source.monitors).toBe(2);

    // wait until the xterm is painted (then nothing on the screen moves)
    let shot = await captureWithOriginal(source);
    await waitFor(async () => {
      shot = await captureWithOriginal(source!);
      return yellowPixels(shot.views[1] ?? new Uint8Array()) > 100;
    }, 15_000, 'the yellow xterm in the right-hand view');
    expect([shot.width, shot.height]).toEqual([WIDTH, HEIGHT]); // evidence stays the whole desktop
    expect(shot.views).toHaveLength(2);
    for (const [i, r] of [LEFT, RIGHT].entries()) {
      const want = await preprocessScreen({ data: crop(shot.rgb, WIDTH, r), width: r.w, height: r.h, channels: 3 });
      expect(Buffer.from(shot.views[i]).equals(Buffer.from(want)), `view ${i}`).toBe(true);
    }
    // the xterm is on the right-hand monitor only: the left view is the bare black root
    expect(yellowPixels(shot.views[0])).toBe(0);
    expect(shot.views[0].every((b) => b === 0)).toBe(true);
    expect(Buffer.from(shot.views[0]).equals(Buffer.from(shot.views[1]))).toBe(false);
    // the xterm (720x520 px + border at x 1500) covers a good part of the right view, far more than of a whole-desktop view
    const whole = await preprocessScreen({ data: shot.rgb, width: WIDTH, height: HEIGHT, channels: 3 });
    expect(yellowPixels(shot.views[1])).toBeGreaterThan(2 * yellowPixels(whole));
  });

  it(`sends one view of the whole desktop for more than ${MAX_FRAME_VIEWS} monitors, and one for a single monitor`, async () => {
    const many = Array.from({ length: MAX_FRAME_VIEWS + 1 }, (_, i) => ({ x: i * 512, y: 0, w: 512, h: HEIGHT }));
    await deleteMonitors(2);
    await setMonitors(many);
    try {
      const shot = await captureWithOriginal(source!);
      expect(source!.monitors).toBe(MAX_FRAME_VIEWS + 1);
      expect(shot.views).toHaveLength(1);
      expect(Buffer.from(shot.views[0]).equals(Buffer.from(await preprocessScreen({ data: shot.rgb, width: WIDTH, height: HEIGHT, channels: 3 })))).toBe(true);
    } finally {
      await deleteMonitors(many.length);
    }
    // Xvfb's own automatic monitor is back: one monitor, one view, the bytes of the old whole-desktop frame
    const single = await captureWithOriginal(source!);
    expect(source!.monitors).toBe(1);
    expect(single.views).toHaveLength(1);
    expect(single.views[0]).toHaveLength(FRAME_BYTES);
    expect(Buffer.from(single.views[0]).equals(Buffer.from(await preprocessScreen({ data: single.rgb, width: WIDTH, height: HEIGHT, channels: 3 })))).toBe(true);
  });
});
