import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssistant, type Assistant } from '../assistant/assistant.js';
import type { WindowClassifier } from '../assistant/classifier.js';
import { RawAgent, solidFrame } from './panel-agent.js';

/**
 * The instructor panel (assistant/public/) in real Chromium against a real
 * assistant (SQLite in a temp dir) fed by real WebSocket agents.
 */

// Deterministic stand-in for the CNN+RNN through the assistant's `classifier`
// option: a window is suspicious when its newest frame is mostly red.
const redScreenClassifier: WindowClassifier<number> = {
  threshold: 0.5,
  embedFrames: (frames) =>
    frames.map((f) => {
      let sum = 0;
      for (let i = 0; i < f.length; i += 3) sum += f[i] - (f[i + 1] + f[i + 2]) / 2;
      return Math.max(0, sum / (f.length / 3) / 255);
    }),
  scoreWindows: (windows) => Float32Array.from(windows.map((w) => w[w.length - 1])),
};

const RED = solidFrame(230, 20, 20);
const WORK = [solidFrame(30, 90, 160), solidFrame(40, 160, 90), solidFrame(20, 120, 120)];
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'];
const ROSTER = [
  { name: 'Ana', surname: 'García', studentId: 'S001' },
  { name: 'Luis', surname: 'López', studentId: 'S002' },
  { name: 'Marta', surname: 'Fernández', studentId: 'S003' },
  { name: 'Pablo', surname: 'Ortín', studentId: 'S004' },
  { name: 'Sara', surname: 'Rodríguez', studentId: 'S005' },
];
const BIG = 200;

let dir: string;
let assistant: Assistant;
let url: string;
let port = 0;
let ctx: BrowserContext;
let page: Page;
let examId: string;
let bigExamId: string;
const tokens = new Map<string, string>();
const bigTokens = new Map<string, string>();
const agents = new Map<string, RawAgent>();
const bigAgents: RawAgent[] = [];
/** Big-exam students whose screen shows something else than their default colour. */
const bigScreens = new Map<number, Uint8Array>();
let ticker: NodeJS.Timeout;
const liveSockets: { url: string; openedAt: number; closedAt?: number }[] = [];

async function startAssistant(): Promise<void> {
  assistant = await buildAssistant({
    dataDir: dir, classifier: redScreenClassifier, port, batchDeadlineMs: 20,
    liveFlushMs: 250, livePingMs: 500, livePongTimeoutMs: 2000, logger: () => undefined,
  });
  url = (await assistant.listen()).url;
  port = Number(new URL(url).port);
}

/** Students of the small exam whose screen is red (a prohibited app) rather than their work. */
const cheating = new Set<string>();
/** Students of the small exam with two monitors: the IDE on the left one, their work or the red app on the right one. */
const twoMonitors = new Set<string>();

function screenOf(studentId: string): Uint8Array {
  const i = ROSTER.findIndex((s) => s.studentId === studentId);
  const own = cheating.has(studentId) ? RED : WORK[i % WORK.length];
  if (!twoMonitors.has(studentId)) return own;
  const both = new Uint8Array(2 * own.length);
  both.set(WORK[2]);
  both.set(cheating.has(studentId) ? RED : WORK[1], own.length);
  return both;
}

/** The screen turns red: windows [work, work, red] and [work, red, red] are suspicious; the second raises one alert (the default rule confirms a run). */
function cheat(studentId: string): void {
  cheating.add(studentId);
  agents.get(studentId)!.frame(screenOf(studentId));
}

async function signIn(): Promise<void> {
  await page.fill('#login-username', 'prof');
  await page.fill('#login-password', 'correct horse');
  await page.click('#login-submit');
  await page.locator('#exam-view').waitFor();
}

async function openExam(id: string): Promise<void> {
  await page.selectOption('#exam-picker', id);
  await page.waitForFunction((want) => location.hash === `#exam=${want}`, id);
}

const item = (studentId: string, state = 'open') => page.locator(`.alert-item.state-${state}[data-student-id="${studentId}"]`);

/** LABWATCH_PANEL_SCREENSHOTS=dir keeps pictures of the panel to look at. */
async function screenshot(name: string): Promise<void> {
  const dir = process.env.LABWATCH_PANEL_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `panel-${name}.png`) });
}

async function waitUntilAsync(cond: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitUntil(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'labwatch-panel-'));
  await startAssistant();
  assistant.createInstructor('prof', 'correct horse');
  const exam = assistant.createExam('Programming I — final', ROSTER);
  examId = exam.examId;
  for (const t of exam.tokens) tokens.set(t.studentId, t.token);
  const big = assistant.createExam('Big lecture hall', Array.from({ length: BIG }, (_, i) => ({
    name: `Student${i}`, surname: `Surname${String(i).padStart(3, '0')}`, studentId: `B${String(i).padStart(3, '0')}`,
  })));
  bigExamId = big.examId;
  for (const t of big.tokens) bigTokens.set(t.studentId, t.token);
  // S004 and S005 never start their agent: they stay offline
  for (const [i, s] of ROSTER.slice(0, 3).entries()) {
    const agent = await RawAgent.connect(url, tokens.get(s.studentId)!);
    agents.set(s.studentId, agent);
    agent.frame(WORK[i]);
    agent.frame(WORK[i]);
  }
  ticker = setInterval(() => {
    for (const s of ROSTER) agents.get(s.studentId)?.frame(screenOf(s.studentId));
    for (const [i, a] of bigAgents.entries()) a.frame(bigScreens.get(i) ?? solidFrame(10 + (i % 90), 40 + ((i * 37) % 200), 40 + ((i * 91) % 200)));
  }, 1000);

  ctx = await chromium.launchPersistentContext(path.join(dir, 'chromium'), {
    executablePath: '/usr/bin/chromium', headless: true, args: LAUNCH_ARGS, viewport: { width: 1440, height: 900 },
  });
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('websocket', (ws) => {
    const rec: { url: string; openedAt: number; closedAt?: number } = { url: ws.url(), openedAt: Date.now() };
    liveSockets.push(rec);
    ws.on('close', () => (rec.closedAt = Date.now()));
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
});

afterAll(async () => {
  clearInterval(ticker);
  for (const a of [...agents.values(), ...bigAgents]) a.close();
  await ctx?.close();
  await assistant?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('instructor panel in Chromium', () => {
  it('requires signing in, and refuses a wrong password', async () => {
    await page.goto(url);
    await page.locator('#login-form').waitFor();
    expect(await page.locator('#exam-view').isHidden()).toBe(true);
    const status = await page.evaluate(async () => (await fetch('/api/exams')).status);
    expect(status).toBe(401);

    await page.fill('#login-username', 'prof');
    await page.fill('#login-password', 'wrong');
    await page.click('#login-submit');
    await page.locator('#login-error', { hasText: 'Wrong username or password' }).waitFor();
    expect(await page.locator('#exam-view').isHidden()).toBe(true);

    await signIn();
    expect(await page.textContent('#user')).toBe('prof');
  });

  it('shows every student of the exam with state and latest frame', async () => {
    await openExam(examId);
    await page.waitForFunction(() => document.querySelectorAll('#grid .tile').length === 5);
    const luis = page.locator('.tile[data-student-id="S002"]');
    expect(await luis.locator('.name').textContent()).toBe('López, Luis');
    expect(await luis.locator('.sid').textContent()).toBe('S002');
    await page.locator('.tile.state-online').nth(2).waitFor();
    expect(await page.locator('.tile[data-student-id="S004"]').getAttribute('class')).toContain('state-offline');
    // the grid paints each agent's live frame into its canvas
    await page.waitForFunction((want) => {
      const c = document.querySelector<HTMLCanvasElement>('.tile[data-student-id="S002"] canvas')!;
      const [r, g, b] = c.getContext('2d')!.getImageData(25, 25, 1, 1).data;
      return r === want[0] && g === want[1] && b === want[2];
    }, [...WORK[1].slice(0, 3)]);
    expect(await page.textContent('#summary')).toContain('5 students · 3 online');
  });

  it('marks the tile of a student whose agent reports dropped frames', async () => {
    const marta = page.locator('.tile[data-student-id="S003"]');
    expect(await marta.locator('.drops').isHidden()).toBe(true);
    agents.get('S003')!.heartbeat({ dropped: 4, skippedTicks: 1, captureErrors: 0 });
    await marta.locator('.drops', { hasText: '4 lost' }).waitFor();
    expect(await marta.getAttribute('class')).toContain('has-drops');
    expect(await marta.getAttribute('title')).toContain('4 frames lost while offline');
    // skipped ticks alone are no loss the instructor must act on
    agents.get('S002')!.heartbeat({ dropped: 0, skippedTicks: 3, captureErrors: 0 });
    await page.waitForTimeout(600);
    expect(await page.locator('.tile[data-student-id="S002"] .drops').isHidden()).toBe(true);
    await screenshot('drops');
  });

  it('lists a new alert with name, surname and ID, beeps and counts it', async () => {
    const beepsBefore = await page.evaluate(() => (window as unknown as { __labwatchBeeps: number }).__labwatchBeeps);
    cheat('S001');
    const alert = item('S001');
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain('García, Ana');
    expect(text).toContain('S001');
    expect(text).toContain('Prohibited activity');
    expect(await alert.locator('.alert-time').textContent()).toMatch(/\d\d:\d\d:\d\d/);
    const beeps = await page.evaluate(() => (window as unknown as { __labwatchBeeps: number }).__labwatchBeeps);
    expect(beeps).toBe(beepsBefore + 1);
    expect(await page.textContent('#new-alerts')).toBe('1 new alert');
    await page.locator('.tile[data-student-id="S001"] .badge', { hasText: '1' }).waitFor();
    await page.locator('.tile[data-student-id="S001"].verdict-suspicious').waitFor();
    cheating.delete('S001');
  });

  it('opens the alert: its three frames large, then the full-size evidence as it arrives', async () => {
    await item('S001').click();
    await page.locator('#alert-detail[open]').waitFor();
    expect(await page.textContent('#detail-title')).toBe('Ana García (S001)');
    await page.waitForFunction(() => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('#detail-frames img'));
      return imgs.length === 3 && imgs.every((i) => i.complete && i.naturalWidth === 50);
    });
    // the oldest frame shows the student's work, the two newest the red screen that raised the alert
    const colours = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('#detail-frames img')).map((img) => {
        const c = document.createElement('canvas');
        c.width = 50;
        c.height = 50;
        const g = c.getContext('2d')!;
        g.drawImage(img, 0, 0);
        return [...g.getImageData(25, 25, 1, 1).data.slice(0, 3)];
      }));
    expect(colours).toEqual([[...WORK[0].slice(0, 3)], [...RED.slice(0, 3)], [...RED.slice(0, 3)]]);
    await page.waitForFunction(() => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('#detail-evidence img'));
      return imgs.length === 3 && imgs.every((i) => i.complete && i.naturalWidth === 320);
    });
    expect(await page.textContent('#detail-trail')).toContain('alert raised');
    await screenshot('alert');
  });

  it('dismisses the alert (buttons locked while in flight), and the state survives a reload', async () => {
    // hold the request briefly so the in-flight state can be seen
    await page.route('**/dismiss', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.click('#act-dismiss');
    expect(await page.locator('#act-warn').isDisabled()).toBe(true);
    expect(await page.locator('#act-escalate').isDisabled()).toBe(true);
    await page.locator('#detail-state', { hasText: 'dismissed' }).waitFor();
    expect(await page.locator('#act-dismiss').isEnabled()).toBe(true);
    expect(await page.textContent('#detail-trail')).toContain('prof dismissed');
    await page.unroute('**/dismiss');
    await page.keyboard.press('Escape');
    expect(await page.locator('#alert-detail').isHidden()).toBe(true);
    expect(await item('S001').count()).toBe(0); // the list shows open alerts by default

    await page.reload();
    await page.locator('#exam-view').waitFor(); // the session cookie keeps us signed in
    // no sign-in click this time: audio waits for a gesture, and the panel says so
    expect(await page.textContent('#sound')).toBe('Click to enable sound');
    await page.click('#sound');
    await page.locator('#sound', { hasText: 'Sound on' }).waitFor();
    await page.selectOption('#alert-filter', 'dismissed');
    await item('S001', 'dismissed').waitFor();
    expect(await item('S001', 'dismissed').locator('.alert-state').textContent()).toBe('dismissed');
  });

  it('sends the edited warning, which reaches the student agent as a pop-up', async () => {
    await page.selectOption('#alert-filter', 'open');
    cheat('S002');
    await item('S002').waitFor();
    // keyboard only: focus the alert and open it with Enter
    await item('S002').focus();
    await page.keyboard.press('Enter');
    await page.locator('#alert-detail[open]').waitFor();
    expect(await page.inputValue('#warn-text')).toContain('not permitted during this exam');
    const text = 'Luis, please close the chat window now. — the supervisor';
    await page.fill('#warn-text', text);
    await page.click('#act-warn');
    await page.locator('#detail-state', { hasText: 'warned' }).waitFor();
    await waitUntil(() => agents.get('S002')!.popups.some((p) => p.text === text), 'the pop-up at the agent');
    expect(await page.textContent('#detail-trail')).toContain(text);
    await page.keyboard.press('Escape');
  });

  it('escalates an alert with a note', async () => {
    cheat('S003');
    await item('S003').click();
    await page.locator('#alert-detail[open]').waitFor();
    await page.fill('#escalate-note', 'Second time today');
    await page.click('#act-escalate');
    await page.locator('#detail-state', { hasText: 'escalated' }).waitFor();
    const escalated = await page.evaluate(async (id) => (await fetch(`/api/exams/${id}/alerts?state=escalated`)).json(), examId);
    expect(escalated.map((a: { studentId: string }) => a.studentId)).toEqual(['S003']);
    await page.keyboard.press('Escape');
  });

  it('shows a two-monitor student side by side, and alerts on a prohibited app on the second monitor', async () => {
    twoMonitors.add('S005');
    const agent = await RawAgent.connect(url, tokens.get('S005')!, 2);
    agents.set('S005', agent);
    agent.frame(screenOf('S005'));
    agent.frame(screenOf('S005'));
    const pixelsAt = (xs: number[]) => page.evaluate((xs) => {
      const c = document.querySelector<HTMLCanvasElement>('.tile[data-student-id="S005"] canvas')!;
      return { width: c.width, colours: xs.map((x) => [...c.getContext('2d')!.getImageData(x, 25, 1, 1).data.slice(0, 3)]) };
    }, xs);
    const rgbOf = (f: Uint8Array) => [...f.slice(0, 3)];
    await waitUntilAsync(async () => JSON.stringify(await pixelsAt([25, 75])) === JSON.stringify({ width: 100, colours: [rgbOf(WORK[2]), rgbOf(WORK[1])] }), 'the two-monitor tile');
    cheat('S005');
    await item('S005').click();
    await page.locator('#alert-detail[open]').waitFor();
    await page.waitForFunction(() => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('#detail-frames img'));
      return imgs.length === 3 && imgs.every((i) => i.complete && i.naturalWidth === 100 && i.naturalHeight === 50);
    });
    expect(await page.textContent('#detail-meta')).toContain('on monitor 2 of 2');
    // the newest frame: the IDE on the left monitor, the prohibited app on the right one
    const newest = await page.evaluate(() => {
      const img = Array.from(document.querySelectorAll<HTMLImageElement>('#detail-frames img')).at(-1)!;
      const c = document.createElement('canvas');
      c.width = 100;
      c.height = 50;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      return [[...g.getImageData(25, 25, 1, 1).data.slice(0, 3)], [...g.getImageData(75, 25, 1, 1).data.slice(0, 3)]];
    });
    expect(newest).toEqual([rgbOf(WORK[2]), rgbOf(RED)]);
    await screenshot('two-monitors');
    await page.keyboard.press('Escape');
    cheating.delete('S005');
  });

  it('keeps an alert row in place across repaints, so a click during an update is not lost', async () => {
    cheating.delete('S002'); // warned earlier: back to work, then a new episode
    await page.locator('.tile[data-student-id="S002"].verdict-permitted').waitFor();
    cheat('S002');
    await item('S002').waitFor();
    await item('S002').evaluate((b) => b.setAttribute('data-probe', 'first-render'));
    // its evidence arriving and two filter changes all repaint the list
    await page.selectOption('#alert-filter', 'all');
    await page.selectOption('#alert-filter', 'open');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.locator('.alert-item[data-probe="first-render"]').getAttribute('data-student-id')).toBe('S002');
    cheating.delete('S002');
  });

  it('shows the server’s error when an action fails', async () => {
    await page.locator('.tile[data-student-id="S001"].verdict-permitted').waitFor();
    cheat('S001');
    await item('S001').click();
    await page.locator('#alert-detail[open]').waitFor();
    // the session ends behind the panel's back (e.g. signed out in another tab)
    await page.evaluate(() => fetch('/api/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    await page.click('#act-escalate');
    await page.locator('#detail-error', { hasText: 'LABWATCH_ERR_AUTH_REQUIRED' }).waitFor();
    expect(await page.locator('#act-escalate').isEnabled()).toBe(true);
    await page.reload();
    await signIn();
  });

  it('answers pings and reconnects after the assistant restarts', async () => {
    const live = () => liveSockets.filter((s) => s.url.includes('/api/live'));
    await page.locator('.tile.state-online').nth(2).waitFor();
    await new Promise((r) => setTimeout(r, 2500));
    // still the same socket after longer than the server's pong timeout
    const current = live().at(-1)!;
    expect(current.closedAt).toBeUndefined();
    expect(Date.now() - current.openedAt).toBeGreaterThan(2000);

    for (const a of agents.values()) a.close();
    agents.clear();
    await assistant.close();
    await page.locator('#banner', { hasText: 'Reconnect' }).waitFor();
    await startAssistant();
    await page.locator('#banner').waitFor({ state: 'hidden', timeout: 20_000 });
    expect(live().length).toBeGreaterThan(2);

    const agent = await RawAgent.connect(url, tokens.get('S004')!);
    agents.set('S004', agent);
    agent.frame(WORK[0]);
    agent.frame(WORK[0]);
    await page.locator('.tile[data-student-id="S004"].state-online').waitFor();
    const beepsBefore = await page.evaluate(() => (window as unknown as { __labwatchBeeps: number }).__labwatchBeeps);
    cheat('S004');
    await item('S004').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __labwatchBeeps: number }).__labwatchBeeps)).toBe(beepsBefore + 1);
  });

  it(`stays smooth with ${BIG} students streaming frames`, async () => {
    bigAgents.push(...(await Promise.all([...bigTokens.values()].map((token) => RawAgent.connect(url, token)))));
    await openExam(bigExamId);
    await page.waitForFunction((n) => document.querySelectorAll('#grid .tile').length === n, BIG);
    // tiles on screen show their student's live frame; off-screen ones get it when scrolled to
    const painted = (ids: string[]) => page.waitForFunction((want) => want.every((id) => {
      const c = document.querySelector<HTMLCanvasElement>(`.tile[data-student-id="${id}"] canvas`)!;
      const [r, g, b] = c.getContext('2d')!.getImageData(25, 25, 1, 1).data;
      return r + g + b > 0;
    }), ids, { timeout: 20_000 });
    await painted(['B000', 'B001', 'B019']);
    await page.locator('.tile[data-student-id="B199"]').scrollIntoViewIfNeeded();
    await painted(['B199', 'B198']);
    await page.locator('.tile[data-student-id="B000"]').scrollIntoViewIfNeeded();

    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metrics();
    const seconds = 5;
    const frames = await page.evaluate(async (ms) => {
      (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
      const gaps: number[] = [];
      let last = performance.now();
      const end = last + ms;
      await new Promise<void>((resolve) => {
        const step = (t: number) => {
          gaps.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      });
      gaps.sort((a, b) => a - b);
      const q = (p: number) => Math.round(gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))]);
      const long = (window as unknown as { __longTasks: number[] }).__longTasks;
      return { fps: Math.round(gaps.length / (ms / 1000)), p50: q(0.5), p95: q(0.95), max: q(1), longTasks: long.length, longestTask: Math.round(Math.max(0, ...long)) };
    }, seconds * 1000);
    const after = await metrics();
    const perSecond = (k: string) => Math.round(((after[k] - before[k]) / seconds) * 1000);
    const figures = {
      students: BIG, ...frames,
      mainThreadMsPerS: perSecond('TaskDuration'), scriptMsPerS: perSecond('ScriptDuration'),
      layoutMsPerS: perSecond('LayoutDuration'), layoutsPerS: Math.round((after.LayoutCount - before.LayoutCount) / seconds),
      loadAverage: os.loadavg()[0].toFixed(1),
    };
    console.log(`panel with ${BIG} streaming students: ${JSON.stringify(figures)}`);
    // speed is measured above and reported, not asserted (shared machine); a grid that re-lays out per frame is a bug
    expect(figures.layoutsPerS).toBeLessThan(30);

    // an open alert among many students, for the eye
    bigScreens.set(7, RED);
    bigAgents[7].frame(RED);
    await item('B007').waitFor();
    await page.locator('.tile[data-student-id="B007"].verdict-suspicious .badge', { hasText: '1' }).waitFor();
    await screenshot('grid');
  });
});
