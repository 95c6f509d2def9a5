import { personName } from '../text-corpus.js';
import { circle, fit, rect, text, type AppContext, type AppRender } from './svg.js';

/** Video calls (Zoom, Teams, Meet, Discord look-alikes): a grid of people or initials, the active speaker outlined, a control bar. */
const SKIN = ['#f1c27d', '#e0ac69', '#c68642', '#8d5524', '#ffdbac', '#d1a37c'];
const ROOMS = ['#6d5d4b', '#8a9aa5', '#d8d0c0', '#4a5a4a', '#b8a48c', '#3b3f48', '#a8b8c8', '#efe6d8'];

export function renderVideoCallContent(ctx: AppContext, w: number, h: number): string {
  const { s, rng, win } = ctx;
  const flavor = win.kind === 'video-call' ? win.flavor : rng.fork('vf').pick(['meet', 'zoom', 'teams']);
  const bg = flavor === 'meet' ? '#202124' : flavor === 'teams' ? (ctx.dark ? '#1f1f1f' : '#292929') : flavor === 'discord' ? '#000000' : '#1a1a1a';
  const out: string[] = [rect(0, 0, w, h, bg)];
  const barH = 72 * s;
  const topH = flavor === 'teams' || flavor === 'zoom' ? 40 * s : 0;
  if (topH > 0) out.push(rect(0, 0, w, topH, flavor === 'teams' ? '#141414' : '#242424'), text(14 * s, topH * 0.66, `${String(Math.floor(win.state.progress / 60) % 60).padStart(2, '0')}:${String(win.state.progress % 60).padStart(2, '0')}`, { size: 13 * s, fill: '#ffffff', font: ctx.ui }));
  const n = rng.fork('n').int(2, 12);
  const sharing = rng.fork('share').chance(0.2);
  const areaY = topH + 8 * s;
  const areaH = h - barH - areaY - 8 * s;
  let gridW = w - 16 * s;
  if (sharing) {
    // someone shares a screen: a big grey "desktop" with a code editor, people in a strip
    const sw = w * 0.78;
    out.push(rect(8 * s, areaY, sw - 8 * s, areaH, '#ffffff'));
    for (let i = 0; i < 24; i++) out.push(rect(24 * s, areaY + 20 * s + i * 20 * s, rng.fork(`sl${i}`).range(60, 500) * s, 8 * s, rng.fork(`sc${i}`).pick(['#0000ff', '#267f99', '#a31515', '#333333']), 'fill-opacity="0.7"'));
    gridW = w - sw - 16 * s;
  }
  const cols = sharing ? 1 : Math.ceil(Math.sqrt(n * (gridW / Math.max(1, areaH)) / 1.5));
  const rows = Math.ceil(n / cols);
  const tileW = gridW / cols - 8 * s;
  const tileH = Math.min(areaH / rows - 8 * s, tileW * 0.75);
  const gx = w - gridW - 8 * s + (gridW - cols * (tileW + 8 * s)) / 2;
  const speaker = win.state.mode % n;
  for (let i = 0; i < n; i++) {
    const r = rng.fork(`p${i}`);
    const x = gx + (i % cols) * (tileW + 8 * s);
    const y = areaY + Math.floor(i / cols) * (tileH + 8 * s);
    if (y + tileH > h - barH) break;
    const camOn = r.chance(0.6);
    out.push(rect(x, y, tileW, tileH, camOn ? r.pick(ROOMS) : flavor === 'meet' ? '#3c4043' : '#2d2d2d', `rx="${8 * s}"`));
    if (camOn) {
      const cx = x + tileW * r.range(0.4, 0.6);
      const headR = tileH * r.range(0.16, 0.24);
      const cy = y + tileH * 0.45;
      out.push(`<ellipse cx="${cx.toFixed(1)}" cy="${(y + tileH).toFixed(1)}" rx="${(headR * 2.1).toFixed(1)}" ry="${(tileH * 0.3).toFixed(1)}" fill="${r.pick(['#2e4a7d', '#7d2e2e', '#333333', '#5a7d2e', '#dddddd', '#6b4f9e'])}"/>`);
      out.push(circle(cx, cy, headR, r.pick(SKIN)));
      out.push(`<ellipse cx="${cx.toFixed(1)}" cy="${(cy - headR * 0.55).toFixed(1)}" rx="${(headR * 1.02).toFixed(1)}" ry="${(headR * 0.55).toFixed(1)}" fill="${r.pick(['#2b1d0e', '#5a3a1a', '#111111', '#c8a165', '#8b4513'])}"/>`);
    } else {
      const name = personName(r);
      out.push(circle(x + tileW / 2, y + tileH / 2, Math.min(tileW, tileH) * 0.18, r.pick(['#7e57c2', '#26a69a', '#ef6c00', '#5c6bc0', '#8d6e63'])));
      out.push(text(x + tileW / 2, y + tileH / 2 + Math.min(tileW, tileH) * 0.06, name.split(' ').map((p) => p[0]).join(''), { size: Math.min(tileW, tileH) * 0.14, fill: '#ffffff', font: ctx.ui, anchor: 'middle' }));
    }
    out.push(text(x + 10 * s, y + tileH - 10 * s, fit(personName(r), tileW - 20 * s, 12 * s), { size: 12 * s, fill: '#ffffff', font: ctx.ui }));
    if (i === speaker) out.push(rect(x, y, tileW, tileH, 'none', `rx="${8 * s}" stroke="${flavor === 'zoom' ? '#23d959' : flavor === 'meet' ? '#8ab4f8' : '#7f85f5'}" stroke-width="${3 * s}"`));
  }
  // control bar
  const by = h - barH;
  out.push(rect(0, by, w, barH, flavor === 'zoom' ? '#1a1a1a' : bg));
  const buttons = flavor === 'zoom' ? 8 : 6;
  const bw = 56 * s;
  const bx0 = (w - buttons * bw) / 2;
  for (let i = 0; i < buttons; i++) {
    const leave = i === buttons - 1;
    if (flavor === 'zoom') {
      out.push(rect(bx0 + i * bw + 16 * s, by + 14 * s, 22 * s, 18 * s, leave ? '#e02828' : '#d0d0d0', `rx="${3 * s}"`), text(bx0 + i * bw + 27 * s, by + 52 * s, ['Mute', 'Video', 'Security', 'Participants', 'Chat', 'Share', 'Record', 'End'][i], { size: 10 * s, fill: leave ? '#e02828' : '#d0d0d0', font: ctx.ui, anchor: 'middle' }));
    } else out.push(leave ? rect(bx0 + i * bw, by + 16 * s, 64 * s, 40 * s, '#ea4335', `rx="${20 * s}"`) : circle(bx0 + i * bw + 20 * s, by + 36 * s, 20 * s, i === 1 && rng.chance(0.3) ? '#ea4335' : '#3c4043'));
  }
  if (flavor === 'meet') out.push(text(20 * s, by + 42 * s, `${rng.pick(['10:32', '11:05', '09:47'])} | abc-${rng.pick(['defg', 'mnop', 'qrst'])}-hij`, { size: 14 * s, fill: '#e8eaed', font: ctx.ui }));
  return out.join('');
}

export function renderVideoCall(ctx: AppContext, w: number, h: number): AppRender {
  const name = { zoom: 'Zoom Meeting', teams: 'Meeting with Study Group | Microsoft Teams', meet: 'Meet', discord: 'Discord' }[ctx.win.flavor] ?? 'Call';
  return { body: renderVideoCallContent(ctx, w, h), title: name };
}
