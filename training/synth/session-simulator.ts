import { pickFlavor, PROHIBITED_PAGES } from './app-catalog.js';
import { pickDesktopStyle, pickOs, pickScreen, workArea, type ScreenGeometry } from './desktop-style.js';
import { prohibitedScreenShare, sceneKinds } from './labels.js';
import { buildRng, type Rng } from './prng.js';
import { CHAT_LINES, personName } from './text-corpus.js';
import type { AppKind, DesktopStyle, PageKind, Rect, Scene, SceneWindow, Theme, Toast } from './scene.js';

/**
 * A cheap, seeded simulation of one student's exam session, one scene per
 * simulated second: code grows as it is typed, panes scroll, the terminal gets
 * new output, the student alt-tabs between windows, visits a prohibited app for
 * a few seconds (sometimes for long stretches) and comes back.
 */
export interface SessionSimulatorOptions {
  seed: string | number;
  /** Scales how eagerly students leave the exam tools; the default 0.45 gives ~35 % prohibited frames. */
  prohibitedShare?: number;
  sessionId?: string;
  /**
   * Every session starts with this permitted app tiled beside the main work
   * window (default: none, the usual mix). For sets aimed at one hard case,
   * e.g. a file manager beside the IDE; without it the scenes are unchanged.
   */
  tiledCompanion?: TiledCompanion;
  /**
   * Every prohibited window opened is this kind of app: its desktop app or its
   * web version, half each (default: none, the usual mix). For sets that balance
   * a permitted hard case with the prohibited scene it is confused with, e.g.
   * light AI-chat pages beside a set rich in light file managers.
   */
  prohibitedFocus?: ProhibitedFocus;
  /**
   * "small": every visit to a prohibited app opens it in a pop-up or tiled
   * beside the work (on either monitor of a multi-monitor desktop), never
   * maximised (default: the usual mix). The apps stay the usual small-window
   * mix (chats, AI chat, calls, phone mirrors, app-mode pages), so a set aimed at
   * small windows does not teach that one app is the only prohibited one.
   */
  prohibitedLayout?: ProhibitedLayout;
  /** Every desktop has two monitors side by side (default: about 10 % do); for `--per-monitor` sets. */
  twoMonitors?: boolean;
}

/** Values `prohibitedLayout` accepts. */
export const PROHIBITED_LAYOUTS = ['small'] as const;
export type ProhibitedLayout = (typeof PROHIBITED_LAYOUTS)[number];

/** Prohibited apps `prohibitedFocus` accepts: each has a desktop app and a web page. */
export const PROHIBITED_FOCUSES = ['ai-chat', 'messaging', 'video-call'] as const;
export type ProhibitedFocus = (typeof PROHIBITED_FOCUSES)[number];

/** Permitted apps `tiledCompanion` accepts. */
export const TILED_COMPANIONS = ['terminal', 'pdf-viewer', 'file-explorer', 'text-editor'] as const;
export type TiledCompanion = (typeof TILED_COMPANIONS)[number];

export interface SimulatedFrame {
  scene: Scene;
  label: 0 | 1;
  /** What is visible, e.g. "ide+browser-qa". */
  kind: string;
  /** Screen share of the largest visible prohibited window (0 when permitted); the label is derived from it. */
  screenShare: number;
}

export interface SessionSimulator {
  readonly sessionId: string;
  next(): SimulatedFrame;
}

type Layout = 'max' | 'left' | 'right' | 'float' | 'split-main' | 'split-side' | 'popup' | 'monitor2';

interface Activity {
  type: 'work' | 'visit' | 'stretch' | 'desktop';
  target: number;
  remaining: number;
  returnTo?: number;
  /** During a popup visit the student keeps typing in the work window. */
  keepFocus?: number;
}

const PROHIBITED_APPS: readonly (readonly [AppKind, number])[] = [
  ['browser', 14], ['ai-chat', 3], ['messaging', 3], ['video-call', 1.2], ['remote-desktop', 1],
];

export function buildSessionSimulator(options: SessionSimulatorOptions): SessionSimulator {
  const rng = buildRng(`session:${options.seed}`);
  const sessionId = options.sessionId ?? `s${String(options.seed)}`;
  const os = pickOs(rng.fork('os'));
  const screen = pickScreen(rng.fork('screen'), os, options.twoMonitors);
  const style = pickDesktopStyle(rng.fork('style'), os, screen.width);
  const share = options.prohibitedShare ?? 0.45;
  // how eager this student is to leave the exam tools (0 = honest)
  const eagerness = rng.chance(0.15) ? 0 : Math.min(1, rng.range(0.4, 1.1) * (share / 0.45));
  const sim = new Simulation(rng, style, screen, sessionId, eagerness, options.tiledCompanion, options.prohibitedFocus, options.prohibitedLayout);
  return { sessionId, next: () => sim.step() };
}

class Simulation {
  private t = 0;
  private nextId = 1;
  private windows: SceneWindow[] = [];
  private activity: Activity;
  private toast: { toast: Toast; until: number } | null = null;
  private readonly workIds: number[] = [];
  private readonly usesSecondMonitor: boolean;

  constructor(
    private readonly rng: Rng,
    private readonly style: DesktopStyle,
    private readonly screen: ScreenGeometry,
    private readonly sessionId: string,
    private readonly eagerness: number,
    tiledCompanion?: TiledCompanion,
    private readonly prohibitedFocus?: ProhibitedFocus,
    private readonly prohibitedLayout?: ProhibitedLayout,
  ) {
    this.usesSecondMonitor = screen.monitors.length > 1;
    const main = rng.weighted<AppKind | 'web-ide'>([['ide', 78], ['text-editor', 15], ['web-ide', 7]]);
    const kiosk = rng.chance(0.5);
    const mainWin = main === 'web-ide' ? this.open('browser', { page: 'web-ide', kiosk, appMode: !kiosk }) : this.open(main);
    this.workIds.push(mainWin.id);
    if (main !== 'ide' || rng.chance(0.55)) this.workIds.push(this.open('terminal').id);
    if (rng.chance(0.75)) this.workIds.push(this.open('pdf-viewer').id);
    if (rng.chance(0.3)) this.workIds.push(this.open('file-explorer').id);
    // some students start the exam with a prohibited app already open (minimised or behind)
    if (eagerness > 0 && rng.chance(0.4)) {
      const w = this.openProhibited();
      w.minimized = rng.chance(0.6);
      this.windows = [w, ...this.windows.filter((x) => x !== w)];
    }
    for (const w of this.windows) this.place(w, rng.chance(0.7) ? 'max' : 'float');
    // many students tile the exam statement or a terminal beside the IDE for the whole exam:
    // side-by-side windows must not mean "prohibited" (they were 29% of permitted frames, 44% of prohibited)
    const companion = this.windows.find((w) => w !== mainWin && (w.kind === 'pdf-viewer' || w.kind === 'terminal') && this.workIds.includes(w.id));
    if (companion && rng.chance(0.3)) {
      this.focus(mainWin, 'max');
      this.focus(companion, 'split-side');
    }
    // after every draw above, so that sessions without the option stay as they were
    if (tiledCompanion) {
      const tiled = this.windows.find((w) => w !== mainWin && w.kind === tiledCompanion) ?? this.open(tiledCompanion);
      if (!this.workIds.includes(tiled.id)) this.workIds.push(tiled.id);
      tiled.minimized = false;
      this.focus(mainWin, 'max');
      this.focus(tiled, 'split-side');
    }
    if (this.usesSecondMonitor) {
      const pdf = this.windows.find((w) => w.kind === 'pdf-viewer');
      if (pdf && rng.chance(0.6)) this.place(pdf, 'monitor2');
    }
    this.activity = { type: 'work', target: mainWin.id, remaining: rng.int(3, 20) };
    this.focus(mainWin, 'keep');
  }

  step(): SimulatedFrame {
    if (this.t > 0) this.advance();
    const scene: Scene = {
      sessionId: this.sessionId,
      t: this.t,
      width: this.screen.width,
      height: this.screen.height,
      monitors: this.screen.monitors.map((m) => ({ ...m })),
      desktop: this.style,
      windows: this.windows.map((w) => ({ ...w, rect: { ...w.rect }, state: { ...w.state } })),
      toast: this.toast ? { ...this.toast.toast, rect: { ...this.toast.toast.rect } } : null,
    };
    this.t++;
    const screenShare = prohibitedScreenShare(scene);
    return { scene, label: screenShare > 0 ? 1 : 0, kind: sceneKinds(scene), screenShare };
  }

  private advance(): void {
    const rng = this.rng;
    this.activity.remaining--;
    if (this.activity.remaining <= 0) this.chooseActivity();
    const focused = this.windows.find((w) => w.focused);
    const typing = this.activity.keepFocus !== undefined ? this.byId(this.activity.keepFocus) : focused;
    if (typing) this.evolve(typing, true);
    for (const w of this.windows) if (w !== typing && (w.kind === 'video-call' || w.kind === 'messaging' || w.kind === 'terminal')) this.evolve(w, false);
    if (this.toast && this.t >= this.toast.until) this.toast = null;
    if (!this.toast && rng.chance(0.012)) this.toast = { toast: this.makeToast(), until: this.t + rng.int(3, 6) };
  }

  private chooseActivity(): void {
    const rng = this.rng;
    const prev = this.activity;
    const workWins = this.workIds.map((id) => this.byId(id)).filter((w): w is SceneWindow => w !== undefined);
    if (prev.type === 'visit' || prev.type === 'stretch') this.leave(this.byId(prev.target), prev);
    if (prev.type === 'desktop') for (const w of this.windows) if (this.workIds.includes(w.id)) w.minimized = false;
    const r = rng.next();
    if (prev.type === 'work' && r < this.eagerness) {
      const stretch = rng.chance(0.35);
      const returnTo = this.windows.find((w) => w.focused)?.id;
      const layout =
        this.prohibitedLayout === 'small'
          ? rng.weighted<Layout>([['split-side', 1], ['popup', 1]])
          : rng.weighted<Layout>([['max', 55], ['float', 12], ['split-side', 12], ['popup', stretch ? 2 : 10], ['monitor2', this.usesSecondMonitor ? 15 : 0]]);
      // a small window beside the work is a chat, a call or a phone, not a full browser
      const small = layout === 'popup' || layout === 'split-side';
      const target = small ? this.openSmallProhibited() : this.pickProhibitedWindow();
      this.place(target, layout);
      const keepFocus = layout === 'popup' || (layout === 'split-side' && rng.chance(0.5)) || layout === 'monitor2' ? returnTo : undefined;
      this.focus(target, 'keep');
      if (keepFocus !== undefined) this.focus(this.byId(keepFocus)!, 'keep', target);
      this.activity = { type: stretch ? 'stretch' : 'visit', target: target.id, remaining: stretch ? rng.int(15, 80) : rng.int(2, 10), returnTo, keepFocus };
      return;
    }
    if (rng.chance(0.04)) {
      for (const w of this.windows) w.minimized = true;
      this.activity = { type: 'desktop', target: 0, remaining: rng.int(1, 4) };
      return;
    }
    const target = rng.weighted(workWins.map((w, i) => [w, i === 0 ? 6 : 2] as const));
    // small and side-by-side windows are not only chats: a terminal, the PDF or an editor beside or over the IDE too
    let layout = rng.weighted<Layout | 'keep'>([['keep', 45], ['max', 17], ['left', 7], ['right', 7], ['float', 8], ['split-side', 10], ['popup', 6]]);
    if (target === workWins[0] && (layout === 'popup' || layout === 'split-side')) layout = 'max';
    this.focus(target, layout);
    this.activity = { type: 'work', target: target.id, remaining: rng.int(3, 25) };
  }

  /** Back from a prohibited app: minimise or close it, or just alt-tab (it may stay visible). */
  private leave(win: SceneWindow | undefined, prev: Activity): void {
    if (!win) return;
    const r = this.rng.next();
    if (r < 0.45) win.minimized = true;
    else if (r < 0.6) this.windows = this.windows.filter((w) => w !== win);
    const back = prev.returnTo !== undefined ? this.byId(prev.returnTo) : undefined;
    if (back) this.focus(back, this.rng.chance(0.8) ? 'keep' : 'max');
  }

  private pickProhibitedWindow(): SceneWindow {
    const existing = this.windows.filter((w) => !this.workIds.includes(w.id));
    if (existing.length > 0 && this.rng.chance(0.7)) return this.rng.pick(existing);
    return this.openProhibited();
  }

  private openProhibited(): SceneWindow {
    if (this.prohibitedFocus) return this.openFocused(this.prohibitedFocus);
    const kind = this.rng.weighted(PROHIBITED_APPS);
    if (kind === 'browser') {
      const page = this.rng.weighted(PROHIBITED_PAGES);
      const appMode = (page === 'ai-chat' || page === 'messaging' || page === 'video-call') && this.rng.chance(0.3);
      return this.open('browser', { page, appMode });
    }
    return this.open(kind);
  }

  private openSmallProhibited(): SceneWindow {
    const rng = this.rng;
    const existing = this.windows.filter((w) => w.popup && !this.workIds.includes(w.id));
    if (existing.length > 0 && rng.chance(0.6)) return rng.pick(existing);
    if (this.prohibitedFocus) return this.openFocused(this.prohibitedFocus);
    const choice = rng.weighted([['messaging', 4], ['ai-chat', 3], ['video-call', 1.5], ['phone', 1], ['app', 3]] as const);
    if (choice === 'phone') {
      const w = this.open('remote-desktop');
      w.flavor = 'phone-mirror';
      return w;
    }
    if (choice === 'app') return this.open('browser', { page: rng.pick(['ai-chat', 'messaging', 'messaging', 'video-call', 'search', 'docs'] as const), appMode: true });
    return this.open(choice);
  }

  /** The desktop app or, half the time, its web version (in an app-mode window 30 % of those). */
  private openFocused(kind: ProhibitedFocus): SceneWindow {
    if (this.rng.chance(0.5)) return this.open(kind);
    return this.open('browser', { page: kind, appMode: this.rng.chance(0.3) });
  }

  private open(kind: AppKind, extra: { page?: PageKind; kiosk?: boolean; appMode?: boolean } = {}): SceneWindow {
    const rng = this.rng;
    const theme: Theme = rng.chance(0.75) ? this.style.theme : this.style.theme === 'dark' ? 'light' : 'dark';
    const win: SceneWindow = {
      id: this.nextId++,
      kind,
      flavor: pickFlavor(rng, kind, this.style.os),
      seed: `${this.sessionId}:${kind}:${rng.int(0, 1e9)}`,
      rect: { x: 0, y: 0, w: 100, h: 100 },
      maximized: false,
      minimized: false,
      focused: false,
      theme,
      title: kind,
      ...extra,
      state: { progress: rng.int(0, 400), scroll: 0, mode: rng.int(0, 3), tab: 0 },
    };
    this.windows.push(win);
    this.place(win, rng.chance(0.7) ? 'max' : 'float');
    return win;
  }

  private place(win: SceneWindow, layout: Layout | 'keep'): void {
    if (layout === 'keep') return;
    const rng = this.rng;
    const mons = this.screen.monitors;
    const monIndex = layout === 'monitor2' && mons.length > 1 ? 1 : mons.length > 1 && rng.chance(0.3) ? 1 : 0;
    const area = workArea(this.style, mons[monIndex], monIndex === 0);
    win.maximized = false;
    win.popup = false;
    const s = this.style.scale;
    if (layout === 'max' || layout === 'monitor2') {
      win.rect = { ...area };
      win.maximized = true;
    } else if (layout === 'left' || layout === 'right' || layout === 'split-main' || layout === 'split-side') {
      const share = layout === 'left' || layout === 'right' ? 0.5 : layout === 'split-main' ? rng.range(0.6, 0.72) : rng.range(0.28, 0.42);
      const w = Math.round(area.w * share);
      const right = layout === 'right' || layout === 'split-side';
      win.rect = { x: right ? area.x + area.w - w : area.x, y: area.y, w, h: area.h };
      if (layout === 'split-side') {
        const main = this.windows.find((x) => x.focused && x !== win);
        if (main) main.rect = { x: area.x, y: area.y, w: area.w - w, h: area.h };
      }
    } else if (layout === 'popup') {
      const w = Math.round(rng.range(260, 420) * s);
      const h = Math.round(rng.range(300, 560) * s);
      const cw = Math.min(w, area.w * 0.4);
      const ch = Math.min(h, area.h * 0.7);
      win.rect = { x: Math.round(area.x + area.w - cw - rng.range(8, 60) * s), y: Math.round(area.y + area.h - ch - rng.range(8, 60) * s), w: Math.round(cw), h: Math.round(ch) };
      win.popup = true;
    } else {
      const small = win.kind === 'terminal' || win.kind === 'file-explorer';
      const w = Math.round(area.w * (small ? rng.range(0.35, 0.65) : rng.range(0.45, 0.9)));
      const h = Math.round(area.h * (small ? rng.range(0.35, 0.7) : rng.range(0.5, 0.92)));
      win.rect = { x: area.x + rng.int(0, area.w - w), y: area.y + rng.int(0, area.h - h), w, h };
    }
    if (win.kiosk) {
      // kiosk / F11: the whole monitor, over the panel
      win.rect = { ...mons[monIndex] };
      win.maximized = true;
    }
    if (win.kind === 'remote-desktop' && win.flavor === 'phone-mirror' && !win.popup) {
      // scrcpy-like windows keep the phone's shape
      const h = Math.round(area.h * rng.range(0.8, 0.97));
      const w = Math.round(h / rng.range(2, 2.2));
      win.rect = { x: area.x + rng.int(0, Math.max(0, area.w - w)), y: area.y + Math.round((area.h - h) / 2), w, h };
      win.maximized = false;
    }
  }

  /** Raise and focus a window; `below` keeps that window on top (a popup that stays over the work). */
  private focus(win: SceneWindow, layout: Layout | 'keep', below?: SceneWindow): void {
    this.place(win, layout);
    win.minimized = false;
    for (const w of this.windows) w.focused = w === win;
    const rest = this.windows.filter((w) => w !== win);
    if (below) {
      const others = rest.filter((w) => w !== below);
      this.windows = [...others, win, below];
    } else {
      this.windows = [...rest, win];
    }
  }

  private evolve(w: SceneWindow, active: boolean): void {
    const rng = this.rng;
    const st = w.state;
    switch (w.kind) {
      case 'ide':
      case 'text-editor':
        if (rng.chance(0.75)) st.progress += rng.int(4, 45);
        if (rng.chance(0.1)) st.scroll = Math.max(0, st.scroll + rng.int(-8, 12));
        if (rng.chance(0.04)) st.mode = rng.int(0, 4);
        if (rng.chance(0.06)) {
          const term = this.windows.find((x) => x.kind === 'terminal');
          if (term) term.state.progress += rng.int(2, 12);
        }
        break;
      case 'terminal':
        if (active ? rng.chance(0.5) : rng.chance(0.05)) st.progress += rng.int(1, 6);
        break;
      case 'pdf-viewer':
      case 'file-explorer':
        if (rng.chance(0.3)) st.scroll = Math.max(0, st.scroll + rng.int(-3, 10));
        if (rng.chance(0.1)) st.mode = rng.int(0, 9);
        break;
      case 'browser':
        if (w.page === 'web-ide') { if (rng.chance(0.75)) st.progress += rng.int(4, 40); break; }
        if (rng.chance(0.35)) st.scroll = Math.max(0, st.scroll + rng.int(-5, 25));
        if (rng.chance(0.5)) st.progress += rng.int(3, 60);
        if (rng.chance(0.03)) st.tab = rng.int(0, 5);
        break;
      case 'ai-chat':
        st.progress += rng.int(10, 90);
        if (rng.chance(0.15)) st.scroll += rng.int(1, 8);
        break;
      case 'messaging':
        if (rng.chance(active ? 0.35 : 0.1)) st.progress += 1;
        break;
      case 'video-call':
        st.progress += 1;
        if (rng.chance(0.15)) st.mode = rng.int(0, 11);
        break;
      case 'remote-desktop':
        if (rng.chance(0.7)) st.progress += rng.int(3, 30);
        break;
    }
  }

  private makeToast(): Toast {
    const rng = this.rng;
    const s = this.style.scale;
    const area = workArea(this.style, this.screen.monitors[0], true);
    const w = Math.round(360 * s);
    const h = Math.round(rng.range(70, 110) * s);
    const top = this.style.os === 'macos' || this.style.os === 'gnome';
    const x = this.style.os === 'gnome' ? Math.round(area.x + (area.w - w) / 2) : area.x + area.w - w - Math.round(12 * s);
    const y = top ? area.y + Math.round(10 * s) : area.y + area.h - h - Math.round(12 * s);
    if (rng.chance(0.35)) {
      // a chat notification banner: still not a window on screen (see labels.ts)
      return { app: rng.pick(['WhatsApp', 'Telegram', 'Discord', 'Slack', 'Teams']), title: personName(rng), body: rng.pick(CHAT_LINES), rect: { x, y, w, h } };
    }
    return {
      app: rng.pick(['Updates', 'Battery', 'Mail', 'Calendar', 'Security', 'Network', 'OneDrive', 'Software Updater']),
      title: rng.pick(['Updates are available', 'Battery low (15%)', 'Wi-Fi connected', 'Reminder: exam ends at 12:00', 'Virus definitions updated', 'Sync paused']),
      body: rng.pick(['Click to view details', 'Plug in your PC soon.', 'Connected to eduroam', 'Restart required to finish installing.', 'Scan completed: no threats found']),
      rect: { x, y, w, h },
    };
  }

  private byId(id: number): SceneWindow | undefined {
    return this.windows.find((w) => w.id === id);
  }
}

export type { Rect };
