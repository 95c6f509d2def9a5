import { describe, expect, it } from 'vitest';
import { isLabwatchError } from '../core/errors.js';
import { agentSocketUrl, parseAgentCliOptions } from './options.js';

describe('labwatch agent options', () => {
  it('lists every problem at once', () => {
    try {
      parseAgentCliOptions({ server: 'ftp://x', intervalMs: 'soon', bufferFrames: '0' }, {});
      expect.unreachable();
    } catch (err) {
      expect(isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')).toBe(true);
      const msg = (err as Error).message;
      for (const part of ['--server', '--token', '--interval-ms', '--buffer-frames']) expect(msg).toContain(part);
    }
  });

  it('takes the server and token from the environment and applies defaults', () => {
    const o = parseAgentCliOptions({}, { LABWATCH_SERVER: 'http://10.8.0.1:8080', LABWATCH_TOKEN: 'abc' });
    expect(o).toMatchObject({ serverUrl: 'http://10.8.0.1:8080', token: 'abc', intervalMs: 1000, bufferFrames: 600 });
  });

  it('turns the instructor-given URL into the agent WebSocket endpoint', () => {
    expect(agentSocketUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/agent');
    expect(agentSocketUrl('https://exam.example.org/lw/')).toBe('wss://exam.example.org/lw/agent');
    expect(agentSocketUrl('ws://h:1/agent')).toBe('ws://h:1/agent');
  });
});
