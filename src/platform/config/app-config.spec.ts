import { ConfigValidationError, hasRole, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('works with no environment on a developer machine', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/par_evidence_hub');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.APP_ROLE).toEqual(['all']);
    expect(hasRole(config, 'worker')).toBe(true);
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
    const config = loadConfig({ APP_ROLE: 'api, scheduler' });
    expect(hasRole(config, 'api')).toBe(true);
    expect(hasRole(config, 'scheduler')).toBe(true);
    expect(hasRole(config, 'worker')).toBe(false);
  });
});
