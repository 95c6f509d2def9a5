import { spawn } from 'node:child_process';

/**
 * Shows the instructor's warning on the student's desktop. On Linux a zenity
 * modal window is the most visible choice (it stays until the student clicks
 * OK); notify-send needs a session D-Bus and a notification daemon; on macOS
 * and Windows node-notifier drives the system's own notifications; a message
 * on the agent's terminal is the last resort so a warning is never lost.
 */
export type PopupMethod = 'zenity' | 'notify-send' | 'node-notifier' | 'terminal';

export interface Notifier {
  show(text: string): Promise<{ method: PopupMethod }>;
  /** Close any pop-up window this notifier still has open. */
  close(): void;
}

export interface DesktopNotifierOptions {
  /** Methods to try, in order (default zenity, notify-send, terminal). */
  methods?: PopupMethod[];
  env?: NodeJS.ProcessEnv;
  /** Where the terminal fallback writes (default stderr). */
  write?: (text: string) => void;
  title?: string;
}

const TITLE = 'labwatch: message from your instructor';

export function buildDesktopNotifier(options: DesktopNotifierOptions = {}): Notifier {
  const env = options.env ?? process.env;
  const write = options.write ?? ((t: string) => void process.stderr.write(t));
  const title = options.title ?? TITLE;
  const methods = options.methods ?? defaultMethods(process.platform);
  const open = new Set<ReturnType<typeof spawn>>();

  const tryZenity = (text: string) =>
    new Promise<boolean>((resolve) => {
      if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return resolve(false);
      const child = spawn('zenity', ['--warning', '--no-markup', '--title', title, '--text', text, '--width', '480'], {
        env,
        stdio: 'ignore',
      });
      open.add(child);
      // zenity stays open until the student clicks OK; if it is still alive
      // after a short while it managed to open its window.
      const timer = setTimeout(() => resolve(true), 800);
      child.on('error', () => {
        clearTimeout(timer);
        open.delete(child);
        resolve(false);
      });
      child.on('exit', (code) => {
        open.delete(child);
        clearTimeout(timer);
        resolve(code === 0);
      });
    });

  const tryNotifySend = (text: string) =>
    new Promise<boolean>((resolve) => {
      const child = spawn('notify-send', ['--urgency=critical', '--expire-time=0', title, text], { env, stdio: 'ignore' });
      const timer = setTimeout(() => {
        child.kill();
        resolve(false);
      }, 3000);
      child.on('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });

  const tryNodeNotifier = async (text: string) => {
    try {
      // a variable specifier: node-notifier ships no types, only `notify` is used
      const specifier = 'node-notifier';
      const mod = (await import(specifier)) as { default: NodeNotifier };
      return await new Promise<boolean>((resolve) => {
        mod.default.notify({ title, message: text, sound: true, wait: false }, (err) => resolve(!err));
      });
    } catch {
      return false;
    }
  };

  return {
    async show(text) {
      for (const method of methods) {
        if (method === 'zenity' && (await tryZenity(text))) return { method };
        if (method === 'notify-send' && (await tryNotifySend(text))) return { method };
        if (method === 'node-notifier' && (await tryNodeNotifier(text))) return { method };
        if (method === 'terminal') break;
      }
      const line = '!'.repeat(72);
      write(`\u0007\n${line}\n${title}\n\n${text}\n${line}\n\n`);
      return { method: 'terminal' };
    },
    close() {
      for (const child of open) child.kill();
      open.clear();
    },
  };
}

/** The part of node-notifier (no type package) that is used here. */
interface NodeNotifier {
  notify(options: { title: string; message: string; sound?: boolean; wait?: boolean }, callback: (err: Error | null) => void): void;
}

export function defaultMethods(platform: NodeJS.Platform): PopupMethod[] {
  return platform === 'darwin' || platform === 'win32' ? ['node-notifier', 'terminal'] : ['zenity', 'notify-send', 'terminal'];
}
