import { MAX_FRAME_VIEWS } from '../core/protocol.js';

/**
 * What the agent tells the student when it starts. The same wording is in the
 * README ("What the agent captures"); keep them in step.
 */
export interface DisclosureFacts {
  serverUrl: string;
  intervalMs: number;
  evidenceFrames: number;
}

export function disclosureText({ serverUrl, intervalMs, evidenceFrames }: DisclosureFacts): string {
  const every = intervalMs === 1000 ? 'once per second' : `once every ${(intervalMs / 1000).toFixed(intervalMs % 1000 === 0 ? 0 : 1)} s`;
  const seconds = Math.round((evidenceFrames * intervalMs) / 1000);
  return [
    'labwatch student agent — what it captures and where it goes:',
    `  * A screenshot of your whole desktop (all monitors), ${every}, while this agent runs.`,
    `  * On this computer each monitor is shrunk separately to 50x50 pixels (more than ${MAX_FRAME_VIEWS} monitors: the whole`,
    `    desktop to one); only these tiny images are sent, ${every}.`,
    `  * They are sent to your instructor's exam assistant at ${serverUrl}.`,
    evidenceFrames > 0
      ? `  * Full-size copies of the last ${evidenceFrames} screenshots (~${seconds} s) are kept in memory only (never on disk) ` +
        "and sent only when the instructor's assistant flags them as evidence of a possibly prohibited activity."
      : '  * No full-size copies are kept (--evidence-frames 0).',
    '  * Nothing else is captured: no camera, microphone, keystrokes, files or browsing history.',
    '  * Stop the agent (Ctrl+C) to stop capturing; your instructor will see that the agent went silent.',
  ].join('\n');
}
