import { ConfigValidationError, hasRole, loadConfig } from './app-config';

const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

describe('loadConfig', () => {
  it('works with no environment on a developer machine', () => {
    const config = loadConfig({ CREDENTIALS_KEYS: KEYS });
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/par_evidence_hub');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.APP_ROLE).toEqual(['all']);
    expect(hasRole(config, 'worker')).toBe(true);
  });

  it('allows no private egress by default, and validates EGRESS_ALLOW entries by name', () => {
    expect(loadConfig({ CREDENTIALS_KEYS: KEYS }).EGRESS_ALLOW).toBe('');
    expect(loadConfig({ CREDENTIALS_KEYS: KEYS, EGRESS_ALLOW: 'simulator:4010, 10.1.0.0/16,[::1]:4020' }).EGRESS_ALLOW).toBe('simulator:4010, 10.1.0.0/16,[::1]:4020');
    expect(() => loadConfig({ CREDENTIALS_KEYS: KEYS, EGRESS_ALLOW: 'ok.example, not a host, 10.0.0.0/40' })).toThrow(/EGRESS_ALLOW: "not a host"[\s\S]*EGRESS_ALLOW: "10.0.0.0\/40"/);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', APP_ROLE: 'api,cook', MIGRATIONS_RUN: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect(message).toContain('PORT must be a whole number');
    expect(message).toContain('DATABASE_URL must be a URL starting with postgres://');
    expect(message).toContain('APP_ROLE must be one or more of');
    expect(message).toContain('MIGRATIONS_RUN must be true or false');
  });

  it('accepts a list of roles', () => {
    const config = loadConfig({ APP_ROLE: 'api, scheduler', CREDENTIALS_KEYS: KEYS });
    expect(hasRole(config, 'api')).toBe(true);
    expect(hasRole(config, 'scheduler')).toBe(true);
    expect(hasRole(config, 'worker')).toBe(false);
  });

  it('requires the credentials key ring, checks its keys and the active key id', () => {
    expect(() => loadConfig({})).toThrow(/CREDENTIALS_KEYS is required/);
    expect(() => loadConfig({}, { requireSecrets: false })).not.toThrow();
    expect(() => loadConfig({ CREDENTIALS_KEYS: 'k1:c2hvcnQ=' })).toThrow(/key "k1" must be 32 bytes/);
    expect(() => loadConfig({ CREDENTIALS_KEYS: 'nokeyid' })).toThrow(/keyId:base64key/);
    expect(() => loadConfig({ CREDENTIALS_KEYS: KEYS, CREDENTIALS_ACTIVE_KEY_ID: 'k9' })).toThrow(/CREDENTIALS_ACTIVE_KEY_ID "k9"/);
    const two = `${KEYS},k2:${Buffer.alloc(32, 9).toString('base64')}`;
    const ring = loadConfig({ CREDENTIALS_KEYS: two, CREDENTIALS_ACTIVE_KEY_ID: 'k2' }).credentialsKeyRing!;
    expect(ring.activeKeyId).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k1', 'k2']);
    expect(loadConfig({ CREDENTIALS_KEYS: two }).credentialsKeyRing!.activeKeyId).toBe('k1');
  });

  it('takes the ledger checkpoint keys from LEDGER_SIGNING_KEYS, or derives them from the credentials keys', () => {
    const derived = loadConfig({ CREDENTIALS_KEYS: `${KEYS},k2:${Buffer.alloc(32, 8).toString('base64')}`, CREDENTIALS_ACTIVE_KEY_ID: 'k2' }).ledgerKeyRing!;
    expect([...derived.keys.keys()]).toEqual(['k1', 'k2']);
    expect(derived.activeKeyId).toBe('k2');
    expect(derived.keys.get('k1')!.equals(Buffer.alloc(32, 7))).toBe(false);
    const own = loadConfig({ CREDENTIALS_KEYS: KEYS, LEDGER_SIGNING_KEYS: `old:${Buffer.alloc(32, 1).toString('base64')},new:${Buffer.alloc(32, 2).toString('base64')}`, LEDGER_ACTIVE_KEY_ID: 'new' });
    expect(own.ledgerKeyRing).toMatchObject({ activeKeyId: 'new' });
    expect(own.ledgerKeyRing!.keys.get('old')!.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(() => loadConfig({ CREDENTIALS_KEYS: KEYS, LEDGER_SIGNING_KEYS: 'l1:c2hvcnQ=' })).toThrow(/LEDGER_SIGNING_KEYS key "l1" must be 32 bytes/);
    expect(() => loadConfig({ CREDENTIALS_KEYS: KEYS, LEDGER_SIGNING_KEYS: `l1:${Buffer.alloc(32, 1).toString('base64')}`, LEDGER_ACTIVE_KEY_ID: 'l9' })).toThrow(/LEDGER_ACTIVE_KEY_ID "l9"/);
    expect(() => loadConfig({ CREDENTIALS_KEYS: KEYS, LEDGER_ACTIVE_KEY_ID: 'l1' })).toThrow(/needs LEDGER_SIGNING_KEYS/);
    expect(() => loadConfig({ CREDENTIALS_KEYS: KEYS, LEDGER_ORIGIN: 'has space' })).toThrow(/LEDGER_ORIGIN/);
  });

  it('takes the first administrator from the environment only as a pair, never with a short password', () => {
    expect(() => loadConfig({ CREDENTIALS_KEYS: KEYS, BOOTSTRAP_ADMIN_USERNAME: 'root' })).toThrow(/must be given together/);
    expect(() => loadConfig({ CREDENTIALS_KEYS: KEYS, BOOTSTRAP_ADMIN_USERNAME: 'root', BOOTSTRAP_ADMIN_PASSWORD: 'short' })).toThrow(/at least 12/);
  });
});
