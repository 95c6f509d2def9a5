import { randomColor } from '../desktop-style.js';
import { paragraph, personName, sentence, words } from '../text-corpus.js';
import { circle, fit, mix, rect, text, type AppContext } from './svg.js';

/**
 * Generic websites with a random brand (colour, header, column layout, fonts):
 * a social feed and a news / shop front page. Real browsing shows endless
 * designs; randomising them keeps the model on "a web page in a browser"
 * rather than on one site's look.
 */
interface Site {
  dark: boolean;
  bg: string;
  fg: string;
  muted: string;
  brand: string;
  card: string;
  font: string;
  headerH: number;
}

function site(ctx: AppContext): Site {
  const r = ctx.rng.fork('site-style');
  const dark = ctx.dark ? r.chance(0.8) : r.chance(0.1);
  const brand = r.chance(0.7) ? r.pick(['#ff4500', '#1d9bf0', '#c4302b', '#1877f2', '#e1306c', '#052962', '#bb1919', '#ff9900', '#0a7d3b', '#6441a5']) : randomColor(r, [30, 55]);
  return {
    dark,
    bg: dark ? r.pick(['#000000', '#15202b', '#1a1a1b', '#18191a', '#121212']) : r.pick(['#ffffff', '#f0f2f5', '#dae0e6', '#fafafa', '#f6f6ef']),
    fg: dark ? '#e7e9ea' : '#0f1419',
    muted: dark ? '#8b98a5' : '#536471',
    brand,
    card: dark ? r.pick(['#1a1a1b', '#242526', '#16181c']) : '#ffffff',
    font: r.pick([ctx.ui, 'Liberation Sans, sans-serif', 'DejaVu Sans, sans-serif', 'Liberation Serif, serif', 'Noto Sans, sans-serif']),
    headerH: r.range(48, 72) * ctx.s,
  };
}

function header(ctx: AppContext, S: Site, w: number, name: string): string {
  const { s, rng } = ctx;
  const r = rng.fork('hdr');
  const filled = r.chance(0.5);
  const out = [rect(0, 0, w, S.headerH, filled ? S.brand : S.card), rect(0, S.headerH, w, 1, mix(S.bg, S.fg, 0.15))];
  const fg = filled ? '#ffffff' : S.brand;
  out.push(text(24 * s, S.headerH * 0.64, name, { size: 22 * s, fill: fg, font: S.font, weight: 'bold' }));
  if (r.chance(0.6)) out.push(rect(w * 0.3, S.headerH * 0.2, w * 0.35, S.headerH * 0.6, filled ? '#ffffff' : mix(S.card, S.fg, 0.08), `rx="${S.headerH * 0.3}"`));
  let x = w * 0.7;
  for (const item of r.shuffle(['Home', 'Popular', 'News', 'Sport', 'Deals', 'Log in', 'Sign up', 'Explore']).slice(0, r.int(2, 5))) {
    if (x > w - 60 * s) break;
    out.push(text(x, S.headerH * 0.62, item, { size: 14 * s, fill: filled ? '#ffffff' : S.fg, font: S.font }));
    x += (item.length * 8 + 28) * s;
  }
  return out.join('');
}

export function socialPage(ctx: AppContext, w: number, h: number, scroll: number): string {
  const { s, rng } = ctx;
  const S = site(ctx);
  const out: string[] = [rect(0, 0, w, h, S.bg)];
  const colW = Math.min(620 * s, w - 40 * s);
  const x0 = (w - colW) / 2 - (w > 1200 * s ? 60 * s : 0);
  let y = S.headerH + 16 * s - scroll;
  for (let i = 0; y < h; i++) {
    const r = rng.fork(`post${i}`);
    const lines = paragraph(r, r.int(1, 2), Math.floor((colW - 90 * s) / (15 * s * 0.52))).slice(0, 4);
    const img = r.chance(0.45) ? colW * r.range(0.4, 0.7) : 0;
    const ph = 70 * s + lines.length * 22 * s + img + 40 * s;
    out.push(rect(x0, y, colW, ph, S.card, `rx="${r.pick([0, 8, 12]) * s}"`));
    out.push(circle(x0 + 30 * s, y + 32 * s, 18 * s, r.pick(['#f4a261', '#2a9d8f', '#e76f51', '#8ab17d', '#6d597a', '#457b9d'])));
    out.push(text(x0 + 58 * s, y + 30 * s, personName(r), { size: 14 * s, fill: S.fg, font: S.font, weight: 'bold' }), text(x0 + 58 * s, y + 48 * s, `@${r.pick(['dev', 'code', 'uni', 'news'])}${r.int(1, 999)} · ${r.int(1, 23)}h`, { size: 12.5 * s, fill: S.muted, font: S.font }));
    lines.forEach((l, j) => out.push(text(x0 + 20 * s, y + 80 * s + j * 22 * s, l, { size: 15 * s, fill: S.fg, font: S.font })));
    if (img > 0) {
      const iy = y + 70 * s + lines.length * 22 * s;
      out.push(rect(x0 + 20 * s, iy, colW - 40 * s, img - 10 * s, r.pick(['#a8dadc', '#e9c46a', '#264653', '#f4a261', '#9d8189', '#adb5bd']), `rx="${10 * s}"`));
      out.push(circle(x0 + colW * r.range(0.3, 0.7), iy + img * 0.45, img * 0.2, r.pick(['#ffffff55', '#00000033'])));
    }
    out.push(text(x0 + 20 * s, y + ph - 14 * s, `♡ ${r.int(0, 9999)}    💬 ${r.int(0, 999)}    ⇄ ${r.int(0, 500)}`, { size: 13 * s, fill: S.muted, font: S.font }));
    y += ph + 12 * s;
  }
  if (w > 1200 * s) {
    const sx = x0 + colW + 24 * s;
    out.push(rect(sx, S.headerH + 16 * s, Math.min(320 * s, w - sx - 20 * s), 360 * s, S.card, `rx="${12 * s}"`));
    out.push(text(sx + 16 * s, S.headerH + 46 * s, rng.pick(['Trending', "What's happening", 'Popular communities']), { size: 17 * s, fill: S.fg, font: S.font, weight: 'bold' }));
    for (let i = 0; i < 6; i++) out.push(text(sx + 16 * s, S.headerH + 86 * s + i * 48 * s, fit(words(rng.fork(`tr${i}`), 3), 280 * s, 14 * s), { size: 14 * s, fill: S.fg, font: S.font }));
  }
  out.push(header(ctx, S, w, rng.pick(['reddit', 'X', 'Instagram', 'facebook', 'Mastodon'])));
  return out.join('');
}

export function newsPage(ctx: AppContext, w: number, h: number, scroll: number): string {
  const { s, rng } = ctx;
  const S = site(ctx);
  const shop = rng.fork('shop').chance(0.35);
  const out: string[] = [rect(0, 0, w, h, S.bg)];
  const margin = Math.max(20 * s, (w - 1200 * s) / 2);
  let y = S.headerH + 24 * s - scroll;
  if (!shop) {
    const heroH = Math.min(360 * s, w * 0.25);
    const r = rng.fork('hero');
    out.push(rect(margin, y, (w - 2 * margin) * 0.62, heroH, r.pick(['#3d5a80', '#98c1d9', '#293241', '#ee6c4d', '#606c38', '#bc6c25'])));
    out.push(text(margin + (w - 2 * margin) * 0.65, y + 30 * s, fit(sentence(r), (w - 2 * margin) * 0.35, 24 * s), { size: 24 * s, fill: S.fg, font: S.font, weight: 'bold' }));
    paragraph(r, 2, Math.floor(((w - 2 * margin) * 0.34) / (14 * s * 0.52))).slice(0, 6).forEach((l, j) => out.push(text(margin + (w - 2 * margin) * 0.65, y + 64 * s + j * 21 * s, l, { size: 14 * s, fill: S.muted, font: S.font })));
    y += heroH + 30 * s;
  }
  const cols = Math.max(2, Math.min(shop ? 5 : 4, Math.floor((w - 2 * margin) / (250 * s))));
  const cw = (w - 2 * margin - (cols - 1) * 20 * s) / cols;
  for (let i = 0; y < h; i++) {
    const r = rng.fork(`card${i}`);
    const cx = margin + (i % cols) * (cw + 20 * s);
    const imgH = cw * (shop ? 0.9 : 0.56);
    out.push(rect(cx, y, cw, imgH, shop ? '#ffffff' : r.pick(['#8d99ae', '#2b2d42', '#edf2f4', '#ef233c', '#adc178', '#dde5b6', '#6c757d'])));
    if (shop) out.push(rect(cx + cw * 0.2, y + imgH * 0.2, cw * 0.6, imgH * 0.55, r.pick(['#222222', '#c0c0c0', '#1d3557', '#e63946']), `rx="${6 * s}"`));
    out.push(text(cx, y + imgH + 24 * s, fit(shop ? `${words(r, 4)} ${r.int(8, 64)}GB` : words(r, r.int(4, 8)), cw, 15 * s), { size: 15 * s, fill: S.fg, font: S.font, weight: 'bold' }));
    out.push(text(cx, y + imgH + 46 * s, fit(shop ? `${r.int(9, 1299)},${r.int(10, 99)} €   ★★★★☆ ${r.int(10, 9000)}` : sentence(r), cw, 13 * s), { size: 13 * s, fill: shop ? S.brand : S.muted, font: S.font }));
    if (i % cols === cols - 1) y += imgH + 80 * s;
  }
  out.push(header(ctx, S, w, rng.pick(shop ? ['amazon', 'PcComponentes', 'eBay', 'AliExpress'] : ['BBC NEWS', 'EL PAÍS', 'The Guardian', 'MARCA', 'CNN'])));
  return out.join('');
}
