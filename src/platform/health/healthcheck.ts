/**
 * Container health check for every role (`node dist/platform/health/healthcheck.js`): the api role is probed on
 * its HTTP port (/health/live); worker and scheduler, which serve no HTTP, by the freshness of their heartbeat
 * file. Exit 0 healthy, 1 not (with the reason on stderr).
 */
import { stat } from 'node:fs/promises';
import { loadConfig } from '../config/app-config';
import { healthProbe, heartbeatVerdict } from './heartbeat';

export async function checkHealth(env: NodeJS.ProcessEnv, now = Date.now()): Promise<{ healthy: boolean; reason: string }> {
  const probe = healthProbe(loadConfig(env, { requireSecrets: false }));
  if (probe.kind === 'http') {
    try {
      const res = await fetch(probe.url, { signal: AbortSignal.timeout(3000) });
      return { healthy: res.ok, reason: `${probe.url} answered ${res.status}` };
    } catch (error) {
      return { healthy: false, reason: `${probe.url}: ${(error as Error).message}` };
    }
  }
  const writtenAt = await stat(probe.file).then(
    (s) => s.mtimeMs,
    () => null,
  );
  return heartbeatVerdict(writtenAt, now, probe.maxAgeMs);
}

if (require.main === module) {
  checkHealth(process.env).then(
    ({ healthy, reason }) => {
      (healthy ? process.stdout : process.stderr).write(`${reason}\n`);
      process.exit(healthy ? 0 : 1);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
