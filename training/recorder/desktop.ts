import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lwError } from '../../core/errors.js';
import { processAlive } from '../../core/process-alive.js';
import { run } from './exec.js';

/** A real X desktop (Xvfb + openbox) that tests and the recorder drive. */
export interface Desktop {
  /** ":N" */
  display: string;
  width: number;
  height: number;
  /** process.env with DISPLAY set to this desktop. */
  env: NodeJS.ProcessEnv;
  /** Stops openbox and Xvfb by their PIDs and removes the temp folder. */
  stop(): Promise<void>;
}

export interface DesktopOptions {
  width?: number;
  height?: number;
  /** Start openbox (default true): window listing and activation need a window manager. */
  windowManager?: boolean;
  /** Openbox <applications> rules: maximise every new window (default true). */
  maximizeWindows?: boolean;
  /** Root window colour (xsetroot -solid), e.g. '#3a6ea5'; default: X's black. */
  background?: string;
}

/** Throws LABWATCH_ERR_RECORDER_TOOL_MISSING when a program is not on PATH. */
export function requireTools(...tools: string[]): void {
  for (const tool of tools) {
    const found = (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
      try {
        accessSync(path.join(dir, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (!found) throw lwError('LABWATCH_ERR_RECORDER_TOOL_MISSING', { tool });
  }
}

const OPENBOX_RC = (maximize: boolean) => `<?xml version="1.0" encoding="UTF-8"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <focus><focusNew>yes</focusNew><followMouse>no</followMouse></focus>
  <placement><policy>Smart</policy></placement>
  <desktops><number>1</number></desktops>
  <applications>
    ${maximize ? '<application class="*"><maximized>yes</maximized></application>' : ''}
    <application class="lw-side*"><maximized>no</maximized><layer>above</layer></application>
  </applications>
</openbox_config>
`;

/**
 * Start Xvfb on a free display number (Xvfb picks it: -displayfd) and openbox on it.
 * Nothing is global: the caller gets the display in `env` and stops it with stop().
 */
export async function startDesktop(options: DesktopOptions = {}): Promise<Desktop> {
  const width = options.width ?? 1280;
  const height = options.height ?? 800;
  requireTools('Xvfb', ...(options.windowManager === false ? [] : ['openbox', 'xprop']));
  const dir = await mkdtemp(path.join(tmpdir(), 'lw-desktop-'));
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const children: ChildProcess[] = [xvfb];
  const stop = async () => {
    for (const child of children.reverse()) await killChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const display = await readDisplayNumber(xvfb);
    const env = { ...process.env, DISPLAY: display };
    if (options.windowManager !== false) {
      const rc = path.join(dir, 'rc.xml');
      await writeFile(rc, OPENBOX_RC(options.maximizeWindows ?? true));
      const openbox = spawn('openbox', ['--config-file', rc], { env, stdio: 'ignore' });
      children.push(openbox);
      await waitFor(async () => (await run('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], { env, allowFail: true })).stdout.includes('window id'), 10_000, 'openbox did not start');
    }
    if (options.background) await run('xsetroot', ['-solid', options.background], { env, allowFail: true });
    return { display, width, height, env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function readDisplayNumber(xvfb: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display number in 10 s: ${stderr}`)), 10_000);
    xvfb.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const fd3 = xvfb.stdio[3] as NodeJS.ReadableStream | null;
    fd3?.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /^(\d+)\n/.exec(text);
      if (m) { clearTimeout(timer); resolve(`:${m[1]}`); }
    });
    xvfb.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited (${code}): ${stderr.trim()}`)); });
    xvfb.on('error', (err) => { clearTimeout(timer); reject(err); });
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${what} (waited ${timeoutMs} ms)`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * SIGTERM, SIGKILL after 3 s. With `group`, the child must have been spawned
 * `detached` (its own process group): the whole group is signalled and waited
 * for, even when the leader has already exited. Chromium's zygote, renderers
 * and crash handler outlive the browser process by a moment and keep writing
 * its profile, so removing the profile right after the parent exits failed
 * with ENOTEMPTY.
 */
export async function killChild(child: ChildProcess, options: { group?: boolean } = {}): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const target = options.group ? -pid : pid;
  const leaderRunning = child.exitCode === null && child.signalCode === null;
  if (!leaderRunning && !(options.group && processAlive(target))) return;
  const send = (sig: NodeJS.Signals): void => {
    try { process.kill(target, sig); } catch { /* already gone */ }
  };
  const exited = leaderRunning ? new Promise<void>((r) => child.once('exit', () => r())) : Promise.resolve();
  send('SIGTERM');
  const timer = setTimeout(() => send('SIGKILL'), 3000);
  await exited;
  const end = Date.now() + GROUP_EXIT_TIMEOUT_MS;
  while (options.group && processAlive(target) && Date.now() < end) await sleep(50);
  clearTimeout(timer);
}

/** How long the rest of a process group may take to exit after its leader (SIGKILL comes at 3 s). */
export const GROUP_EXIT_TIMEOUT_MS = 5000;
