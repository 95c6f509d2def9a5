import { spawn, type ChildProcess } from 'node:child_process';
import { killChild, sleep, waitFor } from './desktop.js';
import { run } from './exec.js';

/**
 * Starts real applications on one X desktop and drives them with xdotool. Every
 * process it starts gets its own process group, remembered and stopped as a
 * group in stopAll(), so helpers the app forked are stopped too.
 */
export class Driver {
  private readonly children: ChildProcess[] = [];

  constructor(readonly env: NodeJS.ProcessEnv, private readonly log: (line: string) => void = () => {}) {}

  /** Start a program in the background (its output is discarded). */
  start(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd?: string): ChildProcess {
    const child = spawn(cmd, args, { env: { ...this.env, ...extraEnv }, stdio: 'ignore', cwd, detached: true });
    child.on('error', (err) => this.log(`${cmd}: ${err.message}`));
    this.children.push(child);
    return child;
  }

  /** Run a short command to completion (e.g. `chromium URL` handing a tab to the running browser). */
  async runOnce(cmd: string, args: string[], timeoutMs = 15_000): Promise<void> {
    await run(cmd, args, { env: this.env, allowFail: true, timeoutMs });
  }

  async xdo(...args: string[]): Promise<string> {
    return (await run('xdotool', args, { env: this.env, allowFail: true })).stdout.trim();
  }

  /** Visible windows whose WM_CLASS matches (xdotool regex, case-insensitive). */
  async windows(classPattern: string): Promise<string[]> {
    const out = await this.xdo('search', '--onlyvisible', '--class', classPattern);
    return out === '' ? [] : out.split('\n');
  }

  /** Wait for a visible window of that class that was not in `before`; returns its id. */
  async waitNewWindow(classPattern: string, before: string[] = [], timeoutMs = 20_000): Promise<string> {
    let found = '';
    await waitFor(async () => {
      const now = await this.windows(classPattern);
      found = now.find((w) => !before.includes(w)) ?? '';
      return found !== '';
    }, timeoutMs, `no ${classPattern} window appeared`);
    return found;
  }

  /** Raise and focus a window (un-minimising it); openbox handles _NET_ACTIVE_WINDOW. */
  async activate(id: string): Promise<void> {
    await this.xdo('windowmap', id);
    await this.xdo('windowactivate', '--sync', id);
    await this.xdo('windowraise', id);
  }

  async minimize(id: string): Promise<void> {
    await this.xdo('windowminimize', '--sync', id);
  }

  /** Minimise every visible window: the bare desktop. */
  async showDesktop(): Promise<void> {
    const all = await this.xdo('search', '--onlyvisible', '--name', '.');
    for (const id of all.split('\n').filter(Boolean)) await this.xdo('windowminimize', id);
    await sleep(200);
  }

  /** Type text into the focused window at a human pace. */
  async type(text: string, delayMs = 45): Promise<void> {
    if (text === '') return;
    await run('xdotool', ['type', '--clearmodifiers', '--delay', String(delayMs), '--', text], {
      env: this.env,
      allowFail: true,
      timeoutMs: 10_000 + text.length * (delayMs + 30),
    });
  }

  async key(...keys: string[]): Promise<void> {
    await this.xdo('key', '--clearmodifiers', ...keys);
  }

  async stopAll(): Promise<void> {
    for (const child of this.children.splice(0).reverse()) await killChild(child, { group: true });
  }
}
