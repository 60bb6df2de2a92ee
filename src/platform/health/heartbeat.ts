import { AppRole } from '../config/app-config';

/** What a container's health check probes: the HTTP port for the api role, a heartbeat file for the others. */
export type HealthProbe = { kind: 'http'; url: string } | { kind: 'heartbeat'; file: string; maxAgeMs: number };

export function healthProbe(config: { APP_ROLE: AppRole[]; PORT: number; HEARTBEAT_FILE: string; HEARTBEAT_INTERVAL_MS: number }): HealthProbe {
  const serves = config.APP_ROLE.includes('api') || config.APP_ROLE.includes('all');
  if (serves) return { kind: 'http', url: `http://127.0.0.1:${config.PORT}/health/live` };
  // three missed beats in a row make the container unhealthy
  return { kind: 'heartbeat', file: config.HEARTBEAT_FILE, maxAgeMs: 3 * config.HEARTBEAT_INTERVAL_MS };
}

/** Whether a heartbeat written at `writtenAtMs` (null: never) is fresh enough at `nowMs`; the reason when not. */
export function heartbeatVerdict(writtenAtMs: number | null, nowMs: number, maxAgeMs: number): { healthy: boolean; reason: string } {
  if (writtenAtMs === null) return { healthy: false, reason: 'no heartbeat yet' };
  const age = nowMs - writtenAtMs;
  if (age > maxAgeMs) return { healthy: false, reason: `last heartbeat ${Math.round(age / 1000)} s ago (limit ${Math.round(maxAgeMs / 1000)} s)` };
  return { healthy: true, reason: `heartbeat ${Math.round(age / 1000)} s ago` };
}
