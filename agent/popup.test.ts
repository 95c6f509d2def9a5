import { describe, expect, it } from 'vitest';
import { buildDesktopNotifier } from './popup.js';

describe('desktop pop-up', () => {
  it('falls back to the terminal when no desktop can show a window, so a warning is never lost', async () => {
    const written: string[] = [];
    const notifier = buildDesktopNotifier({ env: { PATH: process.env.PATH }, write: (t) => written.push(t) });
    const { method } = await notifier.show('Close the chat window, please.');
    expect(method).toBe('terminal');
    expect(written.join('')).toContain('Close the chat window, please.');
    expect(written.join('')).toContain('message from your instructor');
  });
});
