import { hashPassword, verifyPassword } from './password-hash';

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery', 10);
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password!', 10)).not.toBe(await hashPassword('same password!', 10));
  });

  it('keeps verifying hashes made with another cost', async () => {
    const stored = await hashPassword('a long passphrase', 11);
    expect(await verifyPassword('a long passphrase', stored)).toBe(true);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$x$8$1$aa$bb', 'bcrypt$10$8$1$aa$bb', 'scrypt$99$8$1$aa$bb']) {
      expect(await verifyPassword('anything', bad)).toBe(false);
    }
  });
});
