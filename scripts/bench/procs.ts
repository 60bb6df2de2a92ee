/**
 * Child processes of the benchmark (simulator, service) and what is measured about them from /proc:
 * resident memory (VmRSS sampled, VmHWM at the end) and CPU time (utime + stime).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync, WriteStream } from 'node:fs';
import { createServer } from 'node:net';

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** the last lines of stdout/stderr, for error messages */
  tail(): string;
  exited(): boolean;
  stop(graceMs?: number): Promise<void>;
}

export interface ChildOptions {
  name: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  logFile?: string;
  /** called for every line of stdout */
  onLine?: (line: string) => void;
}

/** Spawns `node <args>` directly (no npx/shell in between), so the pid is the measured node process. */
export function startNode(opts: ChildOptions): Child {
  const proc = spawn(process.execPath, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`${opts.name}: could not start`);
  const log: WriteStream | null = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
  const lines: string[] = [];
  let exited = false;
  let buffered = '';
  const keep = (text: string) => {
    for (const line of text.split('\n')) {
      if (line === '') continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  proc.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    log?.write(text);
    buffered += text;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      keep(line);
      opts.onLine?.(line);
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    log?.write(text);
    keep(text);
  });
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      exited = true;
      log?.end();
      resolve();
    }),
  );
  return {
    name: opts.name,
    proc,
    pid: proc.pid,
    tail: () => lines.join('\n'),
    exited: () => exited,
    stop: async (graceMs = 10_000) => {
      if (exited) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) proc.kill('SIGKILL');
      }, graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function statusField(pid: number, field: string): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resident set size now, bytes (null once the process is gone). */
export const rssBytes = (pid: number) => statusField(pid, 'VmRSS');
/** Peak resident set size over the process's life, bytes. */
export const hwmBytes = (pid: number) => statusField(pid, 'VmHWM');

const TICKS = 100; // USER_HZ on Linux

/** utime + stime of a process, seconds (null when it is gone). */
export function cpuSeconds(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields after the command: state(3) ... utime(14) stime(15) → indexes 11 and 12 of `rest`
    return (Number(rest[11]) + Number(rest[12])) / TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds of every process called `postgres` (server and backends), by pid. */
export function postgresCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'postgres') continue;
      const cpu = cpuSeconds(pid);
      if (cpu !== null) out.set(pid, cpu);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * Samples a process's RSS every `everyMs` and tracks CPU of postgres processes (including backends that
 * come and go while it runs: the last reading of each is kept).
 */
export class Sampler {
  peakRss = 0;
  samples = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly pgStart: Map<number, number>;
  private readonly pgLast = new Map<number, number>();
  private pgTick = 0;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 200,
  ) {
    this.pgStart = postgresCpu();
  }

  start(): void {
    this.timer = setInterval(() => {
      const rss = rssBytes(this.pid);
      if (rss !== null) {
        this.samples++;
        if (rss > this.peakRss) this.peakRss = rss;
      }
      // postgres CPU once a second: enough to catch backends before they exit
      if (++this.pgTick % Math.max(1, Math.round(1000 / this.everyMs)) === 0) this.readPostgres();
    }, this.everyMs);
    this.timer.unref();
  }

  private readPostgres(): void {
    for (const [pid, cpu] of postgresCpu()) this.pgLast.set(pid, cpu);
  }

  stop(): { postgresCpuSeconds: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.readPostgres();
    let total = 0;
    for (const [pid, cpu] of this.pgLast) total += cpu - (this.pgStart.get(pid) ?? 0);
    return { postgresCpuSeconds: total };
  }
}
