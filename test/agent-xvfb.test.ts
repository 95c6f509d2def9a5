import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgent, type Agent } from '../agent/agent.js';
import { captureDesktop } from '../agent/capture.js';
import { buildDesktopSource } from '../agent/desktop-source.js';
import { buildDesktopNotifier } from '../agent/popup.js';
import { buildAssistant, type Assistant } from '../assistant/assistant.js';
import type { WindowClassifier } from '../assistant/classifier.js';
import { killChild, startDesktop, waitFor, type Desktop } from '../training/recorder/desktop.js';
import { run } from '../training/recorder/exec.js';
import { brightnessClassifier, login, until } from './helpers/assistant-fixture.js';

/**
 * The real agent capturing a real X desktop (Xvfb + openbox + a maximised white
 * xterm) and streaming to a real assistant on 127.0.0.1. The test classifier
 * flags bright screens, so the white terminal raises an alert; the assistant
 * asks for evidence (full-size originals) and the instructor's warning must
 * appear as a zenity window on that desktop.
 */
const WIDTH = 1024;
const HEIGHT = 768;

let desktop: Desktop;
let xterm: ChildProcess;
let assistant: Assistant;
let url: string;
let dataDir: string;
let agent: Agent;
const alerts: { id: string; kind: string; studentId: string }[] = [];
const updated: { id: string; evidence: { width: number; height: number; sha256: string }[] }[] = [];
const frames: number[] = [];
let savedDisplay: string | undefined;

beforeAll(async () => {
  desktop = await startDesktop({ width: WIDTH, height: HEIGHT });
  savedDisplay = process.env.DISPLAY;
  process.env.DISPLAY = desktop.display; // node-screenshots reads the display from the environment
  xterm = spawn('xterm', ['-bg', 'white', '-fg', 'black', '-e', 'sleep 600'], { env: desktop.env, stdio: 'ignore' });
  // wait until the maximised white terminal is really painted, so every captured frame shows it
  await waitFor(async () => {
    const screen = await captureDesktop();
    return (await sharp(screen.data, { raw: { width: screen.width, height: screen.height, channels: screen.channels } }).stats()).channels[0].mean > 200;
  }, 15_000, 'the white xterm did not fill the screen');

  dataDir = mkdtempSync(path.join(tmpdir(), 'lw-agent-xvfb-'));
  assistant = await buildAssistant({ dataDir, port: 0, classifier: brightnessClassifier as WindowClassifier, logger: () => undefined });
  ({ url } = await assistant.listen());
  assistant.events.on('alert', (a) => alerts.push(a));
  assistant.events.on('alert-updated', (a) => updated.push(a));
  assistant.events.on('frame', (f: { seq: number }) => frames.push(f.seq));
});

afterAll(async () => {
  await agent?.stop();
  await assistant?.close();
  if (xterm) await killChild(xterm);
  await desktop?.stop();
  if (savedDisplay === undefined) delete process.env.DISPLAY;
  else process.env.DISPLAY = savedDisplay;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('agent on a real X desktop', () => {
  it('streams the desktop, answers evidence requests and shows the warning as a zenity window', async () => {
    const { tokens } = assistant.createExam('Xvfb exam', [{ name: 'Grace', surname: 'Hopper', studentId: 'G1' }]);
    assistant.createInstructor('prof', 'correct horse');
    const popups: { method: string }[] = [];
    agent = buildAgent({
      serverUrl: url, token: tokens[0].token, capture: await buildDesktopSource(),
      notifier: buildDesktopNotifier({ env: desktop.env, methods: ['zenity'] }),
      evidenceFrames: 5, logger: { info: () => undefined, warn: () => undefined },
    });
    agent.events.on('popup', (p) => popups.push(p));
    expect(agent.disclosure).toContain(url);
    expect(agent.disclosure).toMatch(/whole desktop.*all monitors/);
    agent.start();

    // frames of the white desktop flow, the window is flagged, evidence follows
    const alert = await until(() => alerts.find((a) => a.kind === 'suspicious'), 20_000);
    expect(alert.studentId).toBe('G1');
    const withEvidence = await until(() => updated.find((u) => u.id === alert.id && u.evidence.length === 3), 20_000);
    expect(withEvidence.evidence.every((e) => e.width === WIDTH && e.height === HEIGHT)).toBe(true);
    expect(frames.slice(0, 3)).toEqual([1, 2, 3]);

    // the evidence image is the real screen: mostly the white terminal
    const cookie = await login(url, 'prof', 'correct horse');
    const png = Buffer.from(await (await fetch(`${url}/api/alerts/${alert.id}/evidence/0`, { headers: { cookie } })).arrayBuffer());
    const stats = await sharp(png).stats();
    expect(stats.channels[0].mean).toBeGreaterThan(200);

    // the instructor warns: a zenity window appears on the student's desktop
    const res = await fetch(`${url}/api/alerts/${alert.id}/warn`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Please close the other window.' }),
    });
    expect(res.status).toBe(200);
    await until(() => popups[0], 15_000);
    expect(popups[0].method).toBe('zenity');
    const search = () => run('xdotool', ['search', '--name', 'message from your instructor'], { env: desktop.env, allowFail: true });
    await waitFor(async () => (await search()).stdout.trim() !== '', 15_000, 'no zenity window on the desktop');
  });
});
