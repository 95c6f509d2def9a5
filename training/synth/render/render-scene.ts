import type { Scene, SceneWindow } from '../scene.js';
import { renderAiChat } from './ai-chat.js';
import { renderBrowser } from './browser-chrome.js';
import { renderDesktopIcons, renderPanel, renderToast, renderWallpaper } from './desktop.js';
import { renderFileExplorer } from './file-explorer.js';
import { greekText } from './greek-text.js';
import { renderIde } from './ide.js';
import { renderMessaging } from './messaging.js';
import { renderPdfViewer } from './pdf-viewer.js';
import { renderRemoteDesktop } from './remote-desktop.js';
import { workArea } from '../desktop-style.js';
import { appContext, rect, type AppContext, type AppRender } from './svg.js';
import { renderTerminal } from './terminal.js';
import { renderTextEditor } from './text-editor.js';
import { renderVideoCall } from './video-call.js';
import { frameWindow, placeContent, windowShadow } from './window-frame.js';

/** Scene -> SVG at the scene's full resolution (pure), and SVG -> pixels through sharp. */
const APPS: Record<SceneWindow['kind'], (ctx: AppContext, w: number, h: number) => AppRender> = {
  ide: renderIde,
  terminal: renderTerminal,
  'file-explorer': renderFileExplorer,
  'text-editor': renderTextEditor,
  'pdf-viewer': renderPdfViewer,
  browser: renderBrowser,
  'ai-chat': renderAiChat,
  messaging: renderMessaging,
  'video-call': renderVideoCall,
  'remote-desktop': renderRemoteDesktop,
};

function renderWindow(win: SceneWindow, scene: Scene): string {
  const ctx = appContext(win, scene.desktop, scene.t);
  // a first pass tells whether the app draws its own title bar; the frame then gives the content size
  const probe = frameless(win, scene);
  const frame = frameWindow(ctx, '', probe);
  const app = APPS[win.kind](ctx, frame.content.w, frame.content.h);
  const titled = probe ? frame : frameWindow(ctx, app.title, false);
  return windowShadow(win, scene.desktop) + placeContent(win, titled, app.body);
}

function frameless(win: SceneWindow, scene: Scene): boolean {
  if (win.kind === 'browser') {
    if (win.kiosk) return true;
    // app windows get the window manager's title bar; Firefox on Linux sometimes too
    if (win.appMode) return false;
    return !(win.flavor === 'firefox' && scene.desktop.os !== 'win10' && scene.desktop.os !== 'win11' && win.seed.length % 3 === 0);
  }
  if (win.kind === 'ide' && win.flavor === 'vscode') return scene.desktop.os === 'win10' || scene.desktop.os === 'win11';
  return false;
}

function monitorHidden(scene: Scene, index: number): boolean {
  const area = workArea(scene.desktop, scene.monitors[index], index === 0);
  return scene.windows.some((w) => !w.minimized && w.rect.x <= area.x && w.rect.y <= area.y && w.rect.x + w.rect.w >= area.x + area.w && w.rect.y + w.rect.h >= area.y + area.h);
}

function covered(scene: Scene, index: number): boolean {
  const r = scene.windows[index].rect;
  return scene.windows.slice(index + 1).some((w) => !w.minimized && w.rect.x <= r.x && w.rect.y <= r.y && w.rect.x + w.rect.w >= r.x + r.w && w.rect.y + w.rect.h >= r.y + r.h);
}

export function sceneToSvg(scene: Scene): string {
  const parts: string[] = [];
  // a wallpaper hidden by a maximised window is drawn flat: gradients over a whole monitor are costly
  scene.monitors.forEach((m, i) => parts.push(monitorHidden(scene, i) ? rect(m.x, m.y, m.w, m.h, '#000000') : renderWallpaper(scene.desktop, m, i)));
  parts.push(renderDesktopIcons(scene.desktop, scene.monitors[0]));
  // windows entirely covered by others are not drawn: they cost render time and show nothing
  scene.windows.forEach((win, i) => {
    if (!win.minimized && !covered(scene, i)) parts.push(renderWindow(win, scene));
  });
  // a focused kiosk (full-screen) window hides the panel
  if (!scene.windows.some((w) => w.kiosk && w.focused && !w.minimized)) parts.push(renderPanel(scene));
  if (scene.toast) parts.push(renderToast(scene.desktop, scene.toast));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}">${parts.join('')}</svg>`;
}

/**
 * How text is drawn: 'glyphs' (real fonts, readable at full size) or 'blocks'
 * (greek-text.ts: one block per word with the glyphs' measured width and ink;
 * 2-3x faster to render, and the same to within a fraction of a grey level once
 * shrunk to the model's 50x50). Only what a person looks at at full size needs glyphs.
 */
export type TextMode = 'glyphs' | 'blocks';
export const TEXT_MODES: readonly TextMode[] = ['blocks', 'glyphs'];

export interface RenderOptions {
  /** Default 'glyphs'. */
  text?: TextMode;
}

/** Full-resolution RGBA pixels of a scene. */
export async function renderSceneRaw(scene: Scene, options: RenderOptions = {}): Promise<{ data: Buffer; width: number; height: number }> {
  const { default: sharp } = await import('sharp');
  const svg = options.text === 'blocks' ? greekText(sceneToSvg(scene)) : sceneToSvg(scene);
  const { data, info } = await sharp(Buffer.from(svg), { density: 72, limitInputPixels: false }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Full-resolution PNG of a scene. */
export async function renderScene(scene: Scene, options: RenderOptions = {}): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const { data, width, height } = await renderSceneRaw(scene, options);
  return sharp(data, { raw: { width, height, channels: 4 } }).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
}

/** The model's 50x50 RGB input for a scene: full resolution first, then the shared preprocessing. */
export async function renderSceneFrame(scene: Scene, options: RenderOptions = {}): Promise<Uint8Array> {
  const { preprocessScreen } = await import('../../../models/preprocess.js');
  const { data, width, height } = await renderSceneRaw(scene, options);
  return preprocessScreen({ data, width, height, channels: 4 });
}
