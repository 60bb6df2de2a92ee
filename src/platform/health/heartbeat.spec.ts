import { healthProbe, heartbeatVerdict } from './heartbeat';

describe('container health probe', () => {
  const base = { PORT: 3000, HEARTBEAT_FILE: '/tmp/hb', HEARTBEAT_INTERVAL_MS: 10_000 };

  it('probes HTTP only for roles that serve it; worker and scheduler use the heartbeat file', () => {
    expect(healthProbe({ ...base, APP_ROLE: ['api'] })).toEqual({ kind: 'http', url: 'http://127.0.0.1:3000/health/live' });
    expect(healthProbe({ ...base, APP_ROLE: ['all'] }).kind).toBe('http');
    expect(healthProbe({ ...base, APP_ROLE: ['worker'] })).toEqual({ kind: 'heartbeat', file: '/tmp/hb', maxAgeMs: 30_000 });
    expect(healthProbe({ ...base, APP_ROLE: ['scheduler'] }).kind).toBe('heartbeat');
    expect(healthProbe({ ...base, APP_ROLE: ['worker', 'scheduler'] }).kind).toBe('heartbeat');
  });

  it('a heartbeat is healthy while fresh, unhealthy when missing or stale', () => {
    expect(heartbeatVerdict(null, 1_000_000, 30_000)).toEqual({ healthy: false, reason: 'no heartbeat yet' });
    expect(heartbeatVerdict(1_000_000 - 30_000, 1_000_000, 30_000).healthy).toBe(true);
    expect(heartbeatVerdict(1_000_000 - 30_001, 1_000_000, 30_000)).toEqual({ healthy: false, reason: 'last heartbeat 30 s ago (limit 30 s)' });
  });
});
