/**
 * Scene descriptions: plain, serialisable data that says what is on one
 * simulated screen. The session simulator produces them, the renderer draws
 * them, and the live demo reuses both. Renderers derive stable details (file
 * names, page layout, faces) from each window's `seed`, and changing details
 * (typed code, scroll, new output) from its `state`, so consecutive frames of
 * a session look like one continuous screen.
 */
export type OsStyle = 'win10' | 'win11' | 'macos' | 'gnome' | 'kde' | 'openbox';
export type Theme = 'light' | 'dark';
export type PanelPosition = 'bottom' | 'top' | 'left' | 'right';

export const PERMITTED_KINDS = ['ide', 'terminal', 'file-explorer', 'text-editor', 'pdf-viewer'] as const;
export const PROHIBITED_KINDS = ['browser', 'ai-chat', 'messaging', 'video-call', 'remote-desktop'] as const;
export type AppKind = (typeof PERMITTED_KINDS)[number] | (typeof PROHIBITED_KINDS)[number];

/** What a browser tab shows. `web-ide` in a kiosk (chrome-less) window is permitted. */
export const PAGE_KINDS = ['search', 'qa', 'docs', 'video', 'article', 'ai-chat', 'messaging', 'video-call', 'pdf', 'web-ide', 'webmail', 'social', 'news'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Wallpaper =
  | { kind: 'solid'; color: string }
  /** The X root window's default black/white weave (Xvfb without -br). */
  | { kind: 'weave' }
  | { kind: 'gradient'; colors: string[]; angle: number }
  | { kind: 'photo'; colors: string[]; seed: string }
  | { kind: 'shapes'; colors: string[]; seed: string };

export interface DesktopStyle {
  os: OsStyle;
  theme: Theme;
  /** Accent colour of the system (selection, focused title, buttons). */
  accent: string;
  /** UI scaling factor, 1 = 100 %. */
  scale: number;
  uiFont: string;
  monoFont: string;
  wallpaper: Wallpaper;
  panel: { position: PanelPosition; autoHide: boolean; thickness: number } | null;
  desktopIcons: number;
  seed: string;
}

/** Changing state of a window's content; meaning depends on the app kind. */
export interface WindowState {
  /** Monotonic progress: characters typed, output lines, messages, answer length... */
  progress: number;
  /** Scroll position in lines (text) or in hundredths of a page. */
  scroll: number;
  /** Sub-mode: IDE bottom pane, debugger on/off, selected item, speaker... */
  mode: number;
  /** Active tab (browser, IDE, chat conversation). */
  tab: number;
}

export interface SceneWindow {
  id: number;
  kind: AppKind;
  /** Look-alike family inside the kind (vscode, intellij, chrome, whatsapp...). */
  flavor: string;
  seed: string;
  rect: Rect;
  maximized: boolean;
  minimized: boolean;
  focused: boolean;
  theme: Theme;
  title: string;
  /** Browser only: what the active tab shows. */
  page?: PageKind;
  /** Browser only: full-screen without any chrome (kiosk / F11). */
  kiosk?: boolean;
  /** Browser only: an app window (Chromium --app): window title bar, no tabs or address bar. */
  appMode?: boolean;
  /** Small always-on-top popup (chat head, mini player, notification window). */
  popup?: boolean;
  state: WindowState;
}

/** An OS notification banner: not a window, it does not make a frame prohibited. */
export interface Toast {
  app: string;
  title: string;
  body: string;
  rect: Rect;
}

export interface Scene {
  sessionId: string;
  /** Seconds since the session started. */
  t: number;
  width: number;
  height: number;
  /** One or two monitors side by side; a two-monitor capture is one wide image. */
  monitors: Rect[];
  desktop: DesktopStyle;
  /** Bottom to top. */
  windows: SceneWindow[];
  toast: Toast | null;
}
