// Thin client for the instructor HTTP API and the live WebSocket
// (contract: docs/architecture.md, "Live monitoring").

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** JSON request; throws ApiError carrying the server's coded message so the UI can show it as is. */
export async function request(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, undefined, 'Cannot reach the labwatch assistant. Check that it is running and try again.');
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const err = data && typeof data === 'object' ? (data.error && typeof data.error === 'object' ? data.error : data) : {};
    const message = typeof err.message === 'string' ? err.message : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, typeof err.code === 'string' ? err.code : undefined, message);
  }
  return data;
}

const enc = encodeURIComponent;

export const api = {
  login: (username, password) => request('POST', '/api/login', { username, password }),
  logout: () => request('POST', '/api/logout', {}),
  session: () => request('GET', '/api/session'),
  exams: () => request('GET', '/api/exams'),
  students: (examId) => request('GET', `/api/exams/${enc(examId)}/students`),
  alerts: (examId, state) => request('GET', `/api/exams/${enc(examId)}/alerts?state=${enc(state)}`),
  frameUrl: (examId, studentId) => `/api/exams/${enc(examId)}/students/${enc(studentId)}/frame.png`,
  dismiss: (alertId) => request('POST', `/api/alerts/${enc(alertId)}/dismiss`, {}),
  warn: (alertId, text) => request('POST', `/api/alerts/${enc(alertId)}/warn`, { text }),
  escalate: (alertId, note) => request('POST', `/api/alerts/${enc(alertId)}/escalate`, note ? { note } : {}),
};

const MAX_BACKOFF_MS = 10_000;
// The server pings every 10 s; silence for longer than this means a half-open connection.
const SILENCE_LIMIT_MS = 35_000;

/**
 * Keeps the live connection of one exam open: answers pings, reconnects with
 * exponential backoff (with jitter, so 150 panels do not return in lock-step
 * after a server restart) and reports its status.
 * onStatus(status, info): 'connecting' | 'live' | 'reconnecting' {attempt, delayMs}
 */
export function connectLive(examId, { onMessage, onStatus }) {
  let ws = null;
  let attempt = 0;
  let retryTimer = 0;
  let watchdog = 0;
  let stopped = false;

  const armWatchdog = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => ws && ws.close(), SILENCE_LIMIT_MS);
  };

  const open = () => {
    const url = new URL(`/api/live?exam=${enc(examId)}`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    onStatus(attempt === 0 ? 'connecting' : 'reconnecting', { attempt, delayMs: 0 });
    const socket = new WebSocket(url);
    ws = socket;
    socket.onopen = armWatchdog;
    socket.onmessage = (ev) => {
      armWatchdog();
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (!msg || typeof msg.type !== 'string') return;
      if (msg.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong', t: msg.t }));
        return;
      }
      if (msg.type === 'hello') {
        attempt = 0;
        onStatus('live', { attempt: 0, delayMs: 0 });
      }
      onMessage(msg);
    };
    socket.onclose = () => {
      clearTimeout(watchdog);
      if (stopped || ws !== socket) return;
      attempt += 1;
      const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 1));
      const delayMs = Math.round(base * (0.75 + Math.random() * 0.5));
      onStatus('reconnecting', { attempt, delayMs });
      retryTimer = setTimeout(open, delayMs);
    };
  };

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(watchdog);
      if (ws) ws.close();
    },
  };
}
