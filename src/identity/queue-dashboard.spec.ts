import { DASHBOARD_COOKIE, cookieAllowed, dashboardCookie, dashboardPath, overHttps, readCookie, tokenParam, withoutTokenParam } from './queue-dashboard';

describe('queue dashboard helpers', () => {
  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie(`a=1; ${DASHBOARD_COOKIE}=peh_at_abc-_9; b=2`, DASHBOARD_COOKIE)).toBe('peh_at_abc-_9');
    expect(readCookie(`${DASHBOARD_COOKIE}="quoted"`, DASHBOARD_COOKIE)).toBe('quoted');
    expect(readCookie(`x${DASHBOARD_COOKIE}=no; other=1`, DASHBOARD_COOKIE)).toBeNull();
    expect(readCookie(`${DASHBOARD_COOKIE}=%E0%A4%A`, DASHBOARD_COOKIE)).toBe('%E0%A4%A');
    expect(readCookie(undefined, DASHBOARD_COOKIE)).toBeNull();
    expect(readCookie('', DASHBOARD_COOKIE)).toBeNull();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie limited to the dashboard path', () => {
    expect(dashboardCookie('peh_at_abc', { secure: false })).toBe(`${DASHBOARD_COOKIE}=peh_at_abc; Path=/admin/queues; HttpOnly; SameSite=Strict`);
    expect(dashboardCookie('peh_key_x', { secure: true })).toMatch(/; Secure$/);
    expect(dashboardCookie(null, { secure: false })).toBe(`${DASHBOARD_COOKIE}=; Path=/admin/queues; HttpOnly; SameSite=Strict; Max-Age=0`);
  });

  it('never writes a value that could break out of the cookie', () => {
    expect(() => dashboardCookie('a; Path=/', { secure: false })).toThrow();
    expect(() => dashboardCookie('a\r\nSet-Cookie: x=1', { secure: false })).toThrow();
    expect(() => dashboardCookie('', { secure: false })).toThrow();
  });

  it('finds exactly one ?token= and strips it, keeping the rest of the query', () => {
    expect(tokenParam('/admin/queues?token=peh_at_1')).toBe('peh_at_1');
    expect(tokenParam('/admin/queues?token=a&token=b')).toBeNull();
    expect(tokenParam('/admin/queues?token=')).toBeNull();
    expect(tokenParam('/admin/queues')).toBeNull();
    expect(withoutTokenParam('/admin/queues?token=peh_at_1')).toBe('/admin/queues');
    expect(withoutTokenParam('/admin/queues/queue/fetch?status=failed&token=x&page=2')).toBe('/admin/queues/queue/fetch?status=failed&page=2');
  });

  it('only ever redirects to a path on this host', () => {
    expect(withoutTokenParam('//evil.example/x?token=1')).toBe('/x');
    for (const url of ['///evil.example?token=1', '/\\evil.example?token=1', '/admin/queues//evil.example?token=1']) {
      const location = withoutTokenParam(url);
      expect(location).toMatch(/^\/(?![\/\\])/);
      expect(location).not.toContain('token');
    }
  });

  it('accepts the cookie on same-origin and typed-in requests, and from clients without Sec-Fetch-Site', () => {
    expect(cookieAllowed('same-origin')).toBe(true);
    expect(cookieAllowed('none')).toBe(true);
    expect(cookieAllowed(undefined)).toBe(true);
    expect(cookieAllowed('same-site')).toBe(false);
    expect(cookieAllowed('cross-site')).toBe(false);
  });

  it('marks the cookie Secure over TLS, directly or behind a proxy that says so', () => {
    expect(overHttps(true, undefined)).toBe(true);
    expect(overHttps(false, 'https')).toBe(true);
    expect(overHttps(false, 'HTTPS, http')).toBe(true);
    expect(overHttps(false, 'http')).toBe(false);
    expect(overHttps(false, undefined)).toBe(false);
  });

  it('audits the real path of a dashboard request (never doubled)', () => {
    expect(dashboardPath('/admin/queues/api/queues/fetch/pause?x=1')).toBe('/admin/queues/api/queues/fetch/pause');
    expect(dashboardPath('/admin/queues')).toBe('/admin/queues');
  });
});
