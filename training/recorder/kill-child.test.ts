import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../../core/process-alive.js';
import { killChild, sleep } from './desktop.js';

describe('killChild with group', () => {
  it('stops the helpers an app left behind, even after the app itself has exited', async () => {
    // the leader forks a long-lived helper (as Chromium does) and exits at once
    const child = spawn('sh', ['-c', 'sleep 30 & exit 0'], { detached: true, stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    await sleep(100);
    expect(processAlive(-child.pid!)).toBe(true);
    await killChild(child, { group: true });
    expect(processAlive(-child.pid!)).toBe(false);
  });
});
