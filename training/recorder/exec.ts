import { execFile } from 'node:child_process';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Run a short command (xdotool, xprop) and collect its output; rejects on failure unless allowFail. */
export function run(
  cmd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; allowFail?: boolean; timeoutMs?: number; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: options.env, timeout: options.timeoutMs ?? 15_000, cwd: options.cwd, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 1) : 0;
      if (err && !options.allowFail) {
        reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        return;
      }
      resolve({ stdout, stderr, code });
    });
  });
}
