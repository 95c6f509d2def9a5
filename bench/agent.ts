import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WindowClassifier } from '../assistant/classifier.js';
import { packageRoot } from '../core/paths.js';

/**
 * How light the student agent is: the built `labwatch agent` process captures a
 * real Xvfb desktop (a busy terminal scrolling output) and streams to a local
 * assistant through a byte-counting relay; we sample its CPU time and RSS from
 * /proc and the bytes it sends upstream. Targets: <= 2 % of one core,
 * <= 100 MB RSS, <= 10 KB/s upstream.
 *
 * With `monitors` > 1 the Xvfb screen is `monitors` x `width` wide and split
 * into that many RandR monitors side by side (`xrandr --setmonitor`), so the
 * agent sends one 50x50 view per monitor; each monitor gets its own scrolling
 * terminal (openbox maximises it on its monitor). Each view is DEFLATE-compressed
 * on its own, without reference to the previous frame, so upstream depends on
 * what a screen shows, not on whether it moves.
 */
export interface AgentBenchOptions {
  seconds?: number;
  /** One monitor's size. */
  width?: number;
  height?: number;
  /** RandR monitors side by side (default 1). */
  monitors?: number;
  /** The `labwatch` CLI to run (default: this checkout's dist/cli/labwatch.js), e.g. another build for a before/after series. */
  agentCli?: string;
  /** Extra `labwatch agent` options, e.g. ['--evidence-frames', '0']. */
  agentArgs?: string[];
  log?: (line: string) => void;
}

export interface AgentBenchReport {
  seconds: number;
  screen: string;
  monitors: number;
  agent_cli: string;
  agent_args: string[];
  frames: number;
  cpu_percent_of_one_core: number;
  rss_mb_median: number;
  rss_mb_max: number;
  upstream_bytes_per_s: number;
  downstream_bytes_per_s: number;
  /** The shared machine during the run: CPU time of this VM taken by the host (steal) inflates per-process CPU figures. */
  machine: { load_average_1min: number; steal_percent: number };
  targets: { cpu_percent: 2; rss_mb: 100; upstream_bytes_per_s: 10240 };
}

/** Dark screens score 0: the bench measures steady streaming, without alerts or evidence uploads. */
const brightness: WindowClassifier<number> = {
  threshold: 0.5,
  embedFrames: (frames) => frames.map((f) => f.reduce((a, b) => a + b, 0) / (f.length * 255)),
  scoreWindows: (windows) => Float32Array.from(windows.map((w) => (w[0] + w[1] + w[2]) / 3)),
};

export async function runAgentBench(o: AgentBenchOptions = {}): Promise<AgentBenchReport> {
  const seconds = o.seconds ?? 20;
  const monitors = o.monitors ?? 1;
  const monitorWidth = o.width ?? 1920;
  const width = monitorWidth * monitors;
  const height = o.height ?? 1080;
  const log = o.log ?? (() => undefined);
  if (!Number.isInteger(monitors) || monitors < 1) throw new RangeError(`monitors must be a positive integer, got ${monitors}`);
  const { startDesktop, killChild, waitFor, sleep } = await import('../training/recorder/desktop.js');
  const { run } = await import('../training/recorder/exec.js');
  const { buildAssistant } = await import('../assistant/assistant.js');
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    const desktop = await startDesktop({ width, height });
    cleanups.push(() => desktop.stop());
    // the first monitor takes Xvfb's only output, so no automatic whole-screen monitor remains
    const mm = (px: number) => Math.round((px * 25.4) / 96); // a 96 dpi monitor
    for (let m = 0; m < monitors && monitors > 1; m++) {
      const geometry = `${monitorWidth}/${mm(monitorWidth)}x${height}/${mm(height)}+${m * monitorWidth}+0`;
      await run('xrandr', ['--setmonitor', `bench${m}`, geometry, m === 0 ? 'screen' : 'none'], { env: desktop.env });
    }
    const dirs = ['/usr/bin /usr/lib', '/usr/share', '/etc /var/lib', '/usr/sbin /usr/libexec'];
    for (let m = 0; m < monitors; m++) {
      const script = `while true; do ls -la ${dirs[m % dirs.length]} | head -c 200000; sleep 0.5; done`;
      // openbox maximises each terminal on the monitor it is placed on
      const term = spawn('xterm', ['-bg', 'black', '-fg', 'gray', '-geometry', `+${m * monitorWidth + 40}+40`, '-e', script], { env: desktop.env, stdio: 'ignore' });
      cleanups.push(() => killChild(term));
    }

    const dataDir = mkdtempSync(path.join(tmpdir(), 'lw-bench-agent-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const assistant = await buildAssistant({ dataDir, port: 0, classifier: brightness as WindowClassifier, logger: () => undefined });
    cleanups.push(() => assistant.close());
    const { url } = await assistant.listen();
    const { tokens } = assistant.createExam('Agent bench', [{ name: 'Bench', surname: 'Mark', studentId: 'B1' }]);
    let frames = 0;
    assistant.events.on('frame', () => { frames += 1; });

    const relay = await byteCountingRelay(Number(new URL(url).port));
    cleanups.push(() => relay.close());
    const cli = o.agentCli ?? path.join(packageRoot(), 'dist', 'cli', 'labwatch.js');
    const agent: ChildProcess = spawn(process.execPath, [cli, 'agent', '--server', relay.url, '--token', tokens[0].token, ...(o.agentArgs ?? [])], {
      env: desktop.env, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let agentLog = '';
    agent.stderr?.on('data', (d: Buffer) => { agentLog += d.toString(); });
    cleanups.push(() => killChild(agent));
    await waitFor(async () => frames >= 3, 30_000, `the agent sent no frames: ${agentLog}`);
    await sleep(2000); // past start-up (module loading, first connection)

    const pid = agent.pid!;
    const cpu0 = cpuSeconds(pid);
    const up0 = relay.upstream;
    const down0 = relay.downstream;
    const frames0 = frames;
    const stat0 = cpuStat();
    const t0 = Date.now();
    const rss: number[] = [];
    while (Date.now() - t0 < seconds * 1000) {
      await sleep(1000);
      rss.push(rssMb(pid));
    }
    const elapsed = (Date.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const stat1 = cpuStat();
    rss.sort((a, b) => a - b);
    const report: AgentBenchReport = {
      seconds: Math.round(elapsed * 10) / 10,
      screen: `${width}x${height}`,
      monitors,
      agent_cli: cli,
      agent_args: o.agentArgs ?? [],
      frames: frames - frames0,
      cpu_percent_of_one_core: Math.round((cpu / elapsed) * 1000) / 10,
      rss_mb_median: Math.round(rss[Math.floor(rss.length / 2)] * 10) / 10,
      rss_mb_max: Math.round(rss[rss.length - 1] * 10) / 10,
      upstream_bytes_per_s: Math.round((relay.upstream - up0) / elapsed),
      downstream_bytes_per_s: Math.round((relay.downstream - down0) / elapsed),
      machine: {
        load_average_1min: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
        steal_percent: Math.round((1000 * (stat1.steal - stat0.steal)) / Math.max(1, stat1.total - stat0.total)) / 10,
      },
      targets: { cpu_percent: 2, rss_mb: 100, upstream_bytes_per_s: 10240 },
    };
    log(`agent bench: ${JSON.stringify(report)}`);
    return report;
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

/** utime + stime of a process, in seconds (/proc/PID/stat fields 14 and 15). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** The machine's CPU time (all cores) and the part the hypervisor gave to others (steal), in ticks. */
function cpuStat(): { total: number; steal: number } {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function byteCountingRelay(targetPort: number) {
  const sockets = new Set<net.Socket>();
  const counts = { upstream: 0, downstream: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d) => { counts.upstream += d.length; upstream.write(d); });
    upstream.on('data', (d) => { counts.downstream += d.length; client.write(d); });
    const end = () => { client.destroy(); upstream.destroy(); };
    for (const s of [client, upstream]) { s.on('close', end); s.on('error', end); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    get upstream() { return counts.upstream; },
    get downstream() { return counts.downstream; },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
