import path from 'node:path';
import type { Label } from '../../core/dataset/manifest.js';
import type { SetContent, RecordSet } from './content.js';
import { sleep } from './desktop.js';
import type { Driver } from './driver.js';

/** The applications a session may start; each gets one window. */
export type AppName = 'xterm' | 'mousepad' | 'geany' | 'pcmanfm' | 'mupdf' | 'browser' | 'ide' | 'side-chat';

/** Everything a step needs to drive the session's desktop. */
export interface SessionContext {
  driver: Driver;
  set: RecordSet;
  content: SetContent;
  /** The session's $HOME (holds the exam files). */
  home: string;
  examPdf: string;
  /** Local page URL: page('search', { theme: 'dark' }). */
  page(name: string, params?: Record<string, string | number>): string;
  /** Window id of each started app. */
  windows: Map<AppName, string>;
  /** URLs already open in the browser (the first one is opened at start-up). */
  opened: Set<string>;
  /** Per-session variety (xterm colours, scroll pace). */
  variant: number;
  /** Chromium's profile folder per app. */
  profileDir(app: 'browser' | 'ide' | 'side-chat'): string;
}

/**
 * One phase of a scripted session. `label` is what the screen shows once enter()
 * has finished: the recorder never captures while enter() runs, so every frame's
 * label is the visible state at capture time.
 */
export interface Step {
  activity: string;
  label: Label;
  seconds: number;
  /** Apps that must be running (started before the first capture). */
  apps: AppName[];
  /** The URL its browser-based app opens at start-up, when this is the app's first step. */
  startUrl?(ctx: SessionContext): string;
  enter(ctx: SessionContext): Promise<void>;
  /** Keeps the screen alive (typing, scrolling) until `until` (ms epoch). */
  during?(ctx: SessionContext, until: number): Promise<void>;
  /** Undo what must not stay visible (a floating chat window). */
  leave?(ctx: SessionContext): Promise<void>;
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--test-type', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--password-store=basic',
  '--disable-features=Translate,MediaRouter', '--autoplay-policy=no-user-gesture-required',
];

async function focus(ctx: SessionContext, app: AppName): Promise<void> {
  const id = ctx.windows.get(app);
  if (!id) throw new Error(`${app} has no window`);
  await ctx.driver.activate(id);
}

const left = (until: number) => until - Date.now();

async function idle(until: number): Promise<void> {
  const ms = left(until);
  if (ms > 0) await sleep(ms);
}

export function terminal(kind: 'c' | 'python' | 'java', seconds: number): Step {
  return {
    activity: `xterm:${kind}`, label: 0, seconds, apps: ['xterm'],
    enter: (ctx) => focus(ctx, 'xterm'),
    async during(ctx, until) {
      const cmds = ctx.content.terminal[kind];
      for (let i = 0; left(until) > 2500; i++) {
        if (i > 0 && i % cmds.length === 0) await ctx.driver.type('clear\n', 30);
        await ctx.driver.type(cmds[i % cmds.length], 40);
        await ctx.driver.key('Return');
        await sleep(Math.min(left(until), 1800 + ((i * 977) % 1500)));
      }
      await idle(until);
    },
  };
}

export function editor(app: 'mousepad' | 'geany', lang: 'c' | 'python', seconds: number): Step {
  return {
    activity: app, label: 0, seconds, apps: [app],
    enter: (ctx) => focus(ctx, app),
    async during(ctx, until) {
      const lines = ctx.content.typing[lang].split('\n');
      await ctx.driver.key('ctrl+End');
      await ctx.driver.key('Return');
      for (const line of lines) {
        if (left(until) < 1500) break;
        // Leading spaces are left to the editor's auto-indent, as when a person types.
        await ctx.driver.type(line.trimStart(), 55 + (ctx.variant % 3) * 20);
        await ctx.driver.key('Return');
        await sleep(300);
      }
      // Read the file back: scroll up and down.
      for (let i = 0; left(until) > 1500; i++) {
        await ctx.driver.key(i % 4 === 0 ? 'ctrl+Home' : i % 4 === 3 ? 'Prior' : 'Next');
        await sleep(Math.min(left(until), 1700));
      }
      await idle(until);
    },
  };
}

export function files(seconds: number): Step {
  return {
    activity: 'pcmanfm', label: 0, seconds, apps: ['pcmanfm'],
    enter: (ctx) => focus(ctx, 'pcmanfm'),
    async during(ctx, until) {
      for (let i = 0; left(until) > 2500; i++) {
        const folder = path.join(ctx.home, ctx.content.folders[i % ctx.content.folders.length]);
        await ctx.driver.key('ctrl+l');
        await ctx.driver.type(`${folder}\n`, 20);
        await sleep(Math.min(left(until), 2500));
      }
      await idle(until);
    },
  };
}

export function pdf(seconds: number): Step {
  return {
    activity: 'mupdf', label: 0, seconds, apps: ['mupdf'],
    enter: (ctx) => focus(ctx, 'mupdf'),
    async during(ctx, until) {
      const keys = ['Down', 'Down', 'Down', 'Next', 'Down', 'Down', 'Prior', 'plus', 'Down', 'Down', 'minus', 'Next'];
      for (let i = 0; left(until) > 1500; i++) {
        await ctx.driver.key(keys[i % keys.length]);
        await sleep(Math.min(left(until), 1200 + (i % 3) * 600));
      }
      await idle(until);
    },
  };
}

export function desktop(seconds: number): Step {
  return {
    activity: 'desktop', label: 0, seconds, apps: [],
    enter: (ctx) => ctx.driver.showDesktop(),
  };
}

/** A prohibited web page in the browser (normal window: tabs and address bar). */
export function web(pageName: string, seconds: number, params: Record<string, string | number> = {}): Step {
  return {
    activity: `chromium:${pageName}`, label: 1, seconds, apps: ['browser'],
    startUrl: (ctx) => ctx.page(pageName, params),
    async enter(ctx) {
      const url = ctx.page(pageName, params);
      if (!ctx.opened.has(url)) {
        ctx.opened.add(url);
        // A second `chromium URL` hands the URL to the running browser as a new tab.
        await ctx.driver.runOnce('chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${ctx.profileDir('browser')}`, '--class=lw-browser', url]);
        await sleep(900);
      }
      await focus(ctx, 'browser');
      await sleep(300);
    },
    async during(ctx, until) {
      const scrolls = ['search', 'qa', 'docs'].includes(pageName);
      for (let i = 0; left(until) > 1500; i++) {
        if (scrolls) await (i % 5 === 4 ? ctx.driver.key('Prior') : ctx.driver.key('Down', 'Down', 'Down', 'Down'));
        await sleep(Math.min(left(until), 1600 + (i % 3) * 500));
      }
      await idle(until);
    },
  };
}

/** A web IDE in Chromium's --app mode (no tabs, no address bar): permitted exam work. */
export function webIde(seconds: number, theme: 'light' | 'dark'): Step {
  return {
    activity: 'chromium-app:ide', label: 0, seconds, apps: ['ide'],
    startUrl: (ctx) => ctx.page('ide', { theme }),
    enter: (ctx) => focus(ctx, 'ide'),
  };
}

/** A small chat window floating over the maximised editor: prohibited although the editor fills the screen. */
export function sideChat(seconds: number, theme: 'light' | 'dark'): Step {
  return {
    activity: 'geany+side-chat', label: 1, seconds, apps: ['geany', 'side-chat'],
    startUrl: (ctx) => ctx.page('messaging', { theme, compact: 1 }),
    async enter(ctx) {
      await focus(ctx, 'geany');
      await focus(ctx, 'side-chat');
      await sleep(300);
    },
    async during(ctx, until) {
      await sleep(Math.min(left(until), 4000));
      // Back to typing in the editor with the chat still in view.
      await focus(ctx, 'geany');
      for (const line of ctx.content.typing.python.split('\n')) {
        if (left(until) < 1500) break;
        await ctx.driver.type(line.trimStart(), 70);
        await ctx.driver.key('Return');
      }
      await idle(until);
    },
    async leave(ctx) {
      const id = ctx.windows.get('side-chat');
      if (id) await ctx.driver.minimize(id);
    },
  };
}
