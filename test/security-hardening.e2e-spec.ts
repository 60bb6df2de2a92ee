import request from 'supertest';
import { UsersService } from '../src/identity/users.service';
import { createTestDatabase } from './support/test-database';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';

/**
 * The hardening around the API: the queue dashboard behind the API's credentials, security headers, bounded
 * bodies with clear 4xx answers, and the login limiter's 429s.
 */
describe('security hardening', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let operator: Api;
  let officer: Api;
  let auditor: Api;
  const prefix = testQueuePrefix();
  const anon = () => request(app.url);
  const PASSWORD = 'correct horse battery staple';

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api', LOGIN_MAX_ATTEMPTS: '3', LOGIN_WINDOW_SECONDS: '600' });
    [operator, officer, auditor] = await Promise.all([app.as('operator'), app.as('officer', '79'), app.as('auditor')]);
  });
  afterAll(async () => {
    await app?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  /** a bearer token of a new user, from POST /auth/login */
  async function login(username: string, role: 'admin' | 'operator' | 'officer' | 'auditor', provinceCode?: string): Promise<string> {
    await app.app.get(UsersService).create({ username, password: PASSWORD, role, provinceCode: provinceCode ?? null });
    const res = await anon().post('/auth/login').send({ username, password: PASSWORD }).expect(200);
    return res.body.token;
  }

  describe('queue dashboard at /admin/queues', () => {
    it('refuses callers without a credential or with a bad one (401, JSON)', async () => {
      for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/images/logo.svg']) {
        const none = await anon().get(path).expect(401);
        expect(none.headers['content-type']).toMatch(/application\/json/);
        expect(none.body).toMatchObject({ statusCode: 401, message: [expect.stringMatching(/authentication required/)] });
        const garbage = await anon().get(path).set('Authorization', 'Bearer peh_at_not-a-real-token').expect(401);
        expect(garbage.body).toMatchObject({ statusCode: 401, message: ['invalid or expired credentials'] });
        await anon().get(path).set('X-API-Key', 'nonsense').expect(401);
      }
      // mutating calls of the board are behind the same check
      await anon().put('/admin/queues/api/queues/fetch/pause').expect(401);
      await anon().put('/admin/queues/api/queues/fetch/empty').set('Authorization', 'Bearer junk').expect(401);
    });

    it('refuses roles without queues.dashboard (403 for officer and auditor)', async () => {
      for (const agent of [officer, auditor]) {
        const page = await agent.get('/admin/queues').expect(403);
        expect(page.body).toMatchObject({ statusCode: 403, message: [expect.stringMatching(/queues\.dashboard/)] });
        await agent.get('/admin/queues/api/queues').expect(403);
        await agent.get('/admin/queues/static/images/logo.svg').expect(403);
        await agent.put('/admin/queues/api/queues/fetch/pause').expect(403);
      }
    });

    it('serves the page, its static files and its API to operator and admin, over every catalogued queue', async () => {
      for (const agent of [operator, app.api]) {
        const page = await agent.get('/admin/queues').expect(200);
        expect(page.headers['content-type']).toMatch(/text\/html/);
        expect(page.text).toContain('<base href="/admin/queues/"');
        expect(page.text).toContain('PAR Evidence Hub queues');
        const css = /href="(static\/css\/[^"]+\.css)"/.exec(page.text)?.[1];
        const js = /src="(static\/js\/main[^"]+\.js)"/.exec(page.text)?.[1];
        expect(css && js).toBeTruthy();
        await agent.get(`/admin/queues/${css}`).expect(200).expect('content-type', /text\/css/);
        await agent.get(`/admin/queues/${js}`).expect(200).expect('content-type', /javascript/);
        const api = await agent.get('/admin/queues/api/queues').expect(200);
        expect((api.body.queues as Array<{ name: string }>).map((q) => q.name).sort()).toEqual(['evidence', 'fetch', 'scoring']);
      }
      // a bearer token from a password login works like an API key
      const token = await login('queue-operator', 'operator');
      await anon().get('/admin/queues/api/queues').set('Authorization', `Bearer ${token}`).expect(200);
      await anon().get('/admin/queues/api/queues').set('X-API-Key', token).expect(200);
    });

    it('exchanges ?token= once for an HttpOnly, SameSite=Strict cookie limited to /admin/queues, then accepts the cookie', async () => {
      const token = await login('browser-operator', 'operator');
      const exchange = await anon().get(`/admin/queues/queue/fetch?status=failed&token=${token}`).redirects(0).expect(303);
      expect(exchange.headers.location).toBe('/admin/queues/queue/fetch?status=failed');
      const setCookie = ([] as string[]).concat(exchange.headers['set-cookie'] ?? []);
      expect(setCookie).toHaveLength(1);
      const cookie = setCookie[0];
      expect(cookie).toMatch(new RegExp(`^peh_queues=${token};`));
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).toMatch(/; Path=\/admin\/queues(;|$)/);
      expect(exchange.headers['cache-control']).toBe('no-store');

      const jar = `peh_queues=${token}`;
      await anon().get('/admin/queues').set('Cookie', jar).expect(200).expect('content-type', /text\/html/);
      await anon().get('/admin/queues/queue/fetch?status=failed').set('Cookie', jar).set('Sec-Fetch-Site', 'none').expect(200);
      const api = await anon().get('/admin/queues/api/queues').set('Cookie', jar).set('Sec-Fetch-Site', 'same-origin').expect(200);
      expect(api.body.queues).toHaveLength(3);
      // not from another origin, and the cookie is no credential anywhere else
      await anon().put('/admin/queues/api/queues/fetch/pause').set('Cookie', jar).set('Sec-Fetch-Site', 'same-site').expect(401);
      await anon().get('/auth/me').set('Cookie', jar).expect(401);

      // a redirect follows through to the page with the cookie (as a browser would)
      const agent = request.agent(app.url);
      const followed = await agent.get(`/admin/queues?token=${token}`).redirects(1).expect(200);
      expect(followed.text).toContain('PAR Evidence Hub queues');

      // the cookie dies with the token: after logout it is refused and cleared
      await anon().post('/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
      const revoked = await anon().get('/admin/queues').set('Cookie', jar).expect(401);
      expect(([] as string[]).concat(revoked.headers['set-cookie'] ?? []).join()).toMatch(/peh_queues=;.*Max-Age=0/);
    });

    it('hands no cookie for a bad token or a role without the permission', async () => {
      const bad = await anon().get('/admin/queues?token=peh_at_garbage').redirects(0).expect(401);
      expect(bad.headers['set-cookie']).toBeUndefined();
      const officerToken = await login('officer-79', 'officer', '79');
      const refused = await anon().get(`/admin/queues?token=${officerToken}`).redirects(0).expect(403);
      expect(refused.headers['set-cookie']).toBeUndefined();
      // ?token= is only exchanged on page loads, never accepted on API writes
      const operatorToken = await login('writer-operator', 'operator');
      await anon().put(`/admin/queues/api/queues/fetch/pause?token=${operatorToken}`).expect(401);
    });

    it('is not part of the OpenAPI document', async () => {
      const doc = await anon().get('/docs/openapi.json').expect(200);
      expect(Object.keys(doc.body.paths).some((p) => p.startsWith('/admin'))).toBe(false);
      expect(JSON.stringify(doc.body)).not.toContain('/admin/queues');
    });
  });

  describe('security headers', () => {
    const expectHardened = (res: request.Response) => {
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      const csp: string = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).not.toMatch(/script-src [^;]*'unsafe-(inline|eval)'/);
      expect(csp).not.toContain('upgrade-insecure-requests');
      return csp;
    };

    it('are on API answers, errors, health and 404s', async () => {
      expectHardened(await app.api.get('/connectors').expect(200));
      expectHardened(await anon().get('/health/live').expect(200));
      expectHardened(await anon().get('/connectors').expect(401));
      expectHardened(await app.api.get('/no-such-route').expect(404));
      expectHardened(await app.api.post('/connectors').set('content-type', 'application/json').send('{').expect(400));
    });

    it('let the Swagger UI render', async () => {
      const page = await anon().get('/docs').redirects(1).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expectHardened(page);
      // its scripts are files from this origin, which the policy allows
      const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/);
      for (const src of scripts) {
        const res = await anon().get(new URL(src, `${app.url}/docs`).pathname).expect(200);
        expect(res.headers['content-type']).toMatch(/javascript/);
      }
    });

    it('are on the dashboard too, with the few extra sources it needs', async () => {
      const csp = expectHardened(await operator.get('/admin/queues').expect(200));
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).toContain('https://fonts.googleapis.com');
      expectHardened(await operator.get('/admin/queues/api/queues').expect(200));
      expectHardened(await anon().get('/admin/queues').expect(401));
      expectHardened(await operator.get('/admin/queues/static/images/logo.svg').expect(200));
    });
  });

  describe('request bodies', () => {
    const LIMIT = 256 * 1024; // HTTP_BODY_LIMIT_KB default

    it('answers an oversize JSON body with 413 and a message (authenticated or not)', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(LIMIT + 10) });
      for (const agent of [app.api, anon()]) {
        const res = await agent.post('/connectors').set('content-type', 'application/json').send(big).expect(413);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: ['request body too large: the limit is 256 KB'] });
      }
    });

    it('reads a body just under the limit (validation answers, not the size check)', async () => {
      const res = await app.api.post('/connectors').send({ name: 'x'.repeat(LIMIT - 1000) });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/kind/)]));
    });

    it('limits form bodies the same way', async () => {
      const res = await app.api
        .post('/connectors')
        .set('content-type', 'application/x-www-form-urlencoded')
        .send(`name=${'x'.repeat(LIMIT + 10)}`)
        .expect(413);
      expect(res.body.message.join()).toMatch(/too large/);
    });

    it('answers malformed JSON with 400 and a message', async () => {
      for (const raw of ['notjson', '{"name": ', '{"a":1}}']) {
        const res = await app.api.post('/connectors').set('content-type', 'application/json').send(raw).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, message: [expect.stringMatching(/^malformed JSON body: /)] });
      }
    });

    it('answers an unsupported charset with 415, not 5xx', async () => {
      const res = await app.api.post('/connectors').set('content-type', 'application/json; charset=koi8-r').send('{}').expect(415);
      expect(res.body.message.join()).toMatch(/charset/);
    });

    it('keeps the 5 MB limit of CSV uploads (413)', async () => {
      const res = await app.api
        .post('/imports/file')
        .field('source', 'too big')
        .attach('file', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'), { filename: 'big.csv', contentType: 'text/csv' });
      expect(res.status).toBe(413);
      expect(res.body.message).toBeTruthy();
    });
  });

  describe('login rate limiting (LOGIN_MAX_ATTEMPTS=3)', () => {
    it('answers 429 with Retry-After after three failures, even to the right password, and for other names from the address', async () => {
      await app.app.get(UsersService).create({ username: 'limited-admin', password: PASSWORD, role: 'admin' });
      for (let i = 0; i < 3; i++) {
        const res = await anon().post('/auth/login').send({ username: 'limited-admin', password: `wrong-${i}` }).expect(401);
        expect(res.body.message).toEqual(['wrong user name or password']);
      }
      const blocked = await anon().post('/auth/login').send({ username: 'limited-admin', password: PASSWORD }).expect(429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(blocked.body).toMatchObject({ statusCode: 429, message: [expect.stringMatching(/too many failed sign-ins/)] });
      expect(blocked.body.token).toBeUndefined();

      // the address's budget is spent: another user name from the same address is limited too
      const other = await anon().post('/auth/login').send({ username: 'someone-else', password: 'whatever' }).expect(429);
      expect(Number(other.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
