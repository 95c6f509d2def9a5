import { fork, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { FrameJob, FrameSettings } from './frame-writer.js';

/**
 * A pool of render processes (render-child.ts). Each process renders one batch
 * at a time, one frame at a time, so librsvg/pango/cairo/fontconfig never run
 * on two threads of one process at once (they are not reliably thread-safe:
 * worker threads crashed the whole run with SIGSEGV), and a native crash kills
 * one child, not the run.
 *
 * A batch whose process dies (a signal, a non-zero exit, a lost IPC channel) or
 * reports a render error is retried once in a fresh process. A batch that
 * crashes its process again is skipped: its frames are deleted and reported,
 * and the run goes on. A render error on the retry (a JavaScript error such as
 * a full disk) aborts the run, and so do three skipped batches before any batch
 * succeeded (the child cannot work at all): nothing loops forever.
 */

/** What the parent sends a render process. */
export interface RenderRequest {
  id: number;
  jobs: FrameJob[];
  settings: FrameSettings;
  /** Test hook: the process kills itself (SIGKILL) before rendering job `crashAt`. */
  crashAt?: number;
}

/** What a render process answers, once per request. */
export type RenderReply = { id: number; ok: true } | { id: number; ok: false; error: string };

export interface RenderPoolOptions {
  /** The child entry module (render-child.js). */
  entry: string;
  processes: number;
  batches: FrameJob[][];
  settings: FrameSettings;
  /** Called with a batch's frame count when it is written or skipped. */
  progress: (frames: number) => void;
  log: (line: string) => void;
  /** Test hook: the job of batch `batch` on which its process crashes at this attempt (0 first, 1 retry). */
  crashAt?: (batch: number, attempt: number) => number | undefined;
}

export interface RenderPoolResult {
  /** Indexes of the batches skipped after crashing their process twice, ascending. */
  skipped: number[];
}

interface Task {
  id: number;
  attempt: 0 | 1;
}

export function renderInProcesses(o: RenderPoolOptions): Promise<RenderPoolResult> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let live = 0;
    let succeeded = 0;
    let settled = false;
    const skipped: number[] = [];
    const children = new Set<ChildProcess>();
    const deletions: Promise<unknown>[] = [];
    const take = (): Task | undefined => (next < o.batches.length ? { id: next++, attempt: 0 } : undefined);
    const describe = (id: number) => `session ${path.basename(path.dirname(o.batches[id][0].file))} (${o.batches[id].length} frames)`;

    const finish = (err?: Error) => {
      if (settled) return;
      if (err) {
        settled = true;
        for (const c of children) c.kill('SIGKILL');
        reject(err);
        return;
      }
      if (live > 0) return;
      settled = true;
      Promise.all(deletions).then(() => resolve({ skipped: skipped.sort((a, b) => a - b) }), reject);
    };

    const failure = (task: Task, reason: string, crashed: boolean, detail?: string) => {
      const what = `render process ${reason} while rendering ${describe(task.id)}`;
      if (task.attempt === 0) {
        o.log(`synth: ${what}; retrying it in a fresh process`);
        start({ id: task.id, attempt: 1 });
        return;
      }
      if (!crashed) return finish(new Error(`${what} (second attempt)${detail ? `\n${detail}` : ''}`));
      skipped.push(task.id);
      o.log(`synth: ${what} again; skipping its frames`);
      deletions.push(Promise.all(o.batches[task.id].map((j) => rm(j.file, { force: true }))));
      o.progress(o.batches[task.id].length);
      if (skipped.length >= 3 && succeeded === 0) return finish(new Error(`render processes crashed twice on each of the first ${skipped.length} batches, none succeeded: giving up`));
      start();
    };

    const start = (first?: Task) => {
      if (settled) return;
      const task = first ?? take();
      if (!task) return finish();
      live += 1;
      // no inherited node flags (--inspect would clash): a render process needs none
      const child = fork(o.entry, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.add(child);
      let current: Task | undefined;
      let over = false;
      const end = () => {
        over = true;
        children.delete(child);
        live -= 1;
      };
      const failed = (reason: string, crashed: boolean, detail?: string) => {
        if (over || settled) return;
        end();
        child.kill('SIGKILL');
        // died between batches: nothing lost, replace it
        if (!current) return start();
        failure(current, reason, crashed, detail);
      };
      const send = (t: Task | undefined) => {
        current = t;
        if (!t) {
          end();
          // idle: it exits when the channel closes
          child.disconnect();
          return finish();
        }
        const request: RenderRequest = { id: t.id, jobs: o.batches[t.id], settings: o.settings, crashAt: o.crashAt?.(t.id, t.attempt) };
        child.send(request, (err) => {
          if (err) failed(`could not be reached (${err.message})`, true);
        });
      };
      child.on('message', (msg: RenderReply) => {
        if (over || settled || !current || msg.id !== current.id) return;
        if (msg.ok) {
          succeeded += 1;
          o.progress(o.batches[msg.id].length);
          send(take());
        } else {
          failed(`reported an error (${msg.error.split('\n')[0]})`, false, msg.error);
        }
      });
      child.on('exit', (code, signal) => failed(signal ? `was killed by ${signal}` : `exited with code ${code}`, true));
      child.on('error', (err) => failed(`failed (${err.message})`, true));
      send(task);
    };

    for (let i = 0; i < o.processes; i++) start();
  });
}
