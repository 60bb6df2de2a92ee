import { API_KEY_PREFIX, TOKEN_PREFIX, displayPrefix, newSecret, secretHash } from './secret-tokens';

describe('secret tokens', () => {
  it('are random, prefixed and hashed to 32 bytes', () => {
    const a = newSecret(TOKEN_PREFIX);
    const b = newSecret(TOKEN_PREFIX);
    expect(a).not.toBe(b);
    expect(a.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(a.length).toBeGreaterThanOrEqual(TOKEN_PREFIX.length + 43);
    expect(secretHash(a)).toHaveLength(32);
    expect(secretHash(a).equals(secretHash(a))).toBe(true);
  });

  it('show only a short prefix of an API key', () => {
    const key = newSecret(API_KEY_PREFIX);
    expect(displayPrefix(key)).toHaveLength(API_KEY_PREFIX.length + 6);
    expect(key.startsWith(displayPrefix(key))).toBe(true);
  });
});
