/** Pieces both ingest benchmarks share: the one-stop-shop simulator child and the clean-up of a queue prefix. */
import Redis from 'ioredis';
import { Child, startNode } from './procs';

export interface SimulatorChildOptions {
  args: string[];
  root: string;
  logFile?: string;
  seed: number | string;
  provinces: string[];
  perProvince: number;
  malformedRate: number;
  year: number;
  timeoutMs?: number;
}

/** Starts the one-stop-shop simulator as a child process and resolves once it listens (its URL). */
export async function startSimulatorChild(o: SimulatorChildOptions): Promise<{ child: Child; url: string }> {
  let url = '';
  const child = startNode({
    name: 'simulator',
    args: o.args,
    cwd: o.root,
    logFile: o.logFile,
    env: {
      SIM_PORT: '0',
      SIM_HOST: '127.0.0.1',
      SIM_SEED: String(o.seed),
      SIM_PROVINCES: o.provinces.join(','),
      SIM_DOSSIERS_PER_PROVINCE: String(o.perProvince),
      SIM_MALFORMED_RATE: String(o.malformedRate),
      SIM_YEAR: String(o.year),
    },
    onLine: (line) => {
      try {
        const msg = JSON.parse(line) as { msg?: string; url?: string };
        if (msg.msg?.includes('listening') && msg.url) url = msg.url;
      } catch {
        // not JSON
      }
    },
  });
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  while (!url) {
    if (child.exited()) throw new Error(`simulator exited:\n${child.tail()}`);
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`simulator did not start in time:\n${child.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url };
}

/** Deletes every Redis key of a queue prefix; returns how many. */
export async function clearRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
