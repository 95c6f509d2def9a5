import { lwError } from '../core/errors.js';
import { DEFAULT_EVIDENCE_FRAMES } from './evidence-ring.js';
import { DEFAULT_BUFFER_FRAMES } from './outbox.js';

/** `labwatch agent` options after validation. */
export interface AgentCliOptions {
  serverUrl: string;
  token: string;
  intervalMs: number;
  bufferFrames: number;
  evidenceFrames: number;
}

export interface RawAgentCliOptions {
  server?: string;
  token?: string;
  intervalMs?: string;
  bufferFrames?: string;
  evidenceFrames?: string;
}

/** Validate every option at once and list every problem (LABWATCH_ERR_CONFIG_INVALID). */
export function parseAgentCliOptions(raw: RawAgentCliOptions, env: NodeJS.ProcessEnv = process.env): AgentCliOptions {
  const problems: string[] = [];
  const server = raw.server ?? env.LABWATCH_SERVER;
  const token = raw.token ?? env.LABWATCH_TOKEN;
  let serverUrl = '';
  if (!server) problems.push('--server is required (the URL your instructor gave you, e.g. http://10.8.0.1:8080)');
  else {
    try {
      const u = new URL(server);
      if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) problems.push(`--server "${server}" must start with http://, https://, ws:// or wss://`);
      else serverUrl = server;
    } catch {
      problems.push(`--server "${server}" is not a URL (e.g. http://10.8.0.1:8080)`);
    }
  }
  if (!token) problems.push('--token is required (your personal exam token from your instructor)');
  const int = (name: string, value: string | undefined, dflt: number, min: number, max: number) => {
    if (value === undefined) return dflt;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`--${name} "${value}" must be an integer from ${min} to ${max}`);
      return dflt;
    }
    return n;
  };
  const intervalMs = int('interval-ms', raw.intervalMs, 1000, 100, 60_000);
  const bufferFrames = int('buffer-frames', raw.bufferFrames, DEFAULT_BUFFER_FRAMES, 1, 86_400);
  const evidenceFrames = int('evidence-frames', raw.evidenceFrames, DEFAULT_EVIDENCE_FRAMES, 0, 120);
  if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.map((p) => `  - ${p}`).join('\n') });
  return { serverUrl, token: token!, intervalMs, bufferFrames, evidenceFrames };
}

/** The agent WebSocket endpoint for a server URL the instructor gave (http(s) or ws(s)). */
export function agentSocketUrl(serverUrl: string): string {
  const u = new URL(serverUrl);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  if (!u.pathname.endsWith('/agent')) u.pathname = `${u.pathname.replace(/\/$/, '')}/agent`;
  return u.toString();
}
