import { CSRF_COOKIE, SESSION_COOKIE, csrfSatisfied, csrfTokenFor, readCookie, sessionCookies } from './browser-session';

describe('browser session cookies and CSRF', () => {
  const token = 'peh_at_abcdef0123456789';

  it('opens a session with an HttpOnly, SameSite=Strict session cookie and a readable CSRF cookie', () => {
    const [session, csrf] = sessionCookies(token, { secure: false, expiresAt: new Date('2026-01-01T00:00:00Z') });
    expect(session).toBe(`${SESSION_COOKIE}=${token}; Path=/; SameSite=Strict; HttpOnly; Expires=Thu, 01 Jan 2026 00:00:00 GMT`);
    expect(csrf.startsWith(`${CSRF_COOKIE}=${csrfTokenFor(token)}; Path=/; SameSite=Strict;`)).toBe(true);
    expect(csrf).not.toContain('HttpOnly');
  });

  it('adds Secure over HTTPS and clears both cookies on sign-out', () => {
    expect(sessionCookies(token, { secure: true })[0]).toContain('; Secure');
    const cleared = sessionCookies(null, { secure: false });
    expect(cleared[0]).toBe(`${SESSION_COOKIE}=; Path=/; SameSite=Strict; HttpOnly; Max-Age=0`);
    expect(cleared[1]).toBe(`${CSRF_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0`);
  });

  it('lets reads through and asks writes for the CSRF token of the same session', () => {
    expect(csrfSatisfied('GET', token, undefined)).toBe(true);
    expect(csrfSatisfied('head', token, undefined)).toBe(true);
    expect(csrfSatisfied('POST', token, undefined)).toBe(false);
    expect(csrfSatisfied('POST', token, '')).toBe(false);
    expect(csrfSatisfied('POST', token, csrfTokenFor('peh_at_other'))).toBe(false);
    expect(csrfSatisfied('PATCH', token, csrfTokenFor(token))).toBe(true);
    expect(csrfSatisfied('DELETE', token, [csrfTokenFor(token)])).toBe(true);
  });

  it('derives a CSRF token that differs per session and reveals nothing of it', () => {
    expect(csrfTokenFor(token)).not.toBe(csrfTokenFor(`${token}x`));
    expect(csrfTokenFor(token)).not.toContain(token);
    expect(readCookie(`${CSRF_COOKIE}=${csrfTokenFor(token)}`, CSRF_COOKIE)).toBe(csrfTokenFor(token));
  });
});
