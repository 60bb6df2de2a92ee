import request from 'supertest';
import { createTestDatabase } from './support/test-database';
import { TestApp, apiWith, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';

const PASSWORD = 'correct horse battery staple';

describe('authentication: passwords, bearer tokens, API keys, first administrator', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  const prefix = testQueuePrefix();
  const others: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api', BOOTSTRAP_ADMIN_USERNAME: 'first.admin', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  });
  afterAll(async () => {
    for (const o of others) await o.close();
    await app?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  const login = (username: string, password: string) => request(app.url).post('/auth/login').send({ username, password });

  it('creates the first administrator from the environment once, stored as a scrypt hash', async () => {
    // a second replica starting with another password changes nothing: users exist already
    others.push(await startTestApp(db.url, prefix, { APP_ROLE: 'api', BOOTSTRAP_ADMIN_USERNAME: 'first.admin', BOOTSTRAP_ADMIN_PASSWORD: 'a different passphrase' }));
    const { rows } = await app.pool.query(`SELECT username, role, password_hash FROM app_user`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ username: 'first.admin', role: 'admin' });
    expect(rows[0].password_hash).toMatch(/^scrypt\$/);
    expect(rows[0].password_hash).not.toContain(PASSWORD);
    expect((await login('first.admin', 'a different passphrase')).status).toBe(401);
    const { rows: audit } = await app.pool.query(`SELECT action, outcome FROM audit_event WHERE action = 'first-admin.create'`);
    expect(audit).toEqual([{ action: 'first-admin.create', outcome: 'succeeded' }]);
  });

  it('signs in with the right password only, and the token works until logout', async () => {
    expect((await login('first.admin', 'wrong password here')).status).toBe(401);
    expect((await login('nobody.here', PASSWORD)).status).toBe(401);
    const ok = await login('first.admin', PASSWORD).expect(200);
    expect(ok.body.tokenType).toBe('Bearer');
    expect(new Date(ok.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await apiWith(app.url, ok.body.token).get('/auth/me').expect(200);
    expect(me.body).toMatchObject({ kind: 'user', name: 'first.admin', role: 'admin', provinceCode: null });
    // only a hash of the token is stored
    const { rows } = await app.pool.query(`SELECT encode(token_hash, 'hex') AS h FROM auth_token`);
    expect(JSON.stringify(rows)).not.toContain(ok.body.token);
    await apiWith(app.url, ok.body.token).post('/auth/logout').expect(204);
    expect((await apiWith(app.url, ok.body.token).get('/auth/me')).status).toBe(401);
  });

  it('refuses expired tokens, and ends sessions when a user is disabled or changes role', async () => {
    const officer = await app.api.post('/users').send({ username: 'officer.hcm', password: PASSWORD, role: 'officer', provinceCode: '79' }).expect(201);
    expect(officer.body).not.toHaveProperty('passwordHash');
    const token = (await login('officer.hcm', PASSWORD).expect(200)).body.token as string;
    await apiWith(app.url, token).get('/provinces/79/years/2025/scorecard').expect(200);
    await app.pool.query(`UPDATE auth_token SET expires_at = now() - interval '1 second'`);
    expect((await apiWith(app.url, token).get('/auth/me')).status).toBe(401);

    const second = (await login('officer.hcm', PASSWORD).expect(200)).body.token as string;
    await app.api.patch(`/users/${officer.body.id}`).send({ role: 'auditor', provinceCode: null }).expect(200);
    expect((await apiWith(app.url, second).get('/auth/me')).status).toBe(401);
    const third = (await login('officer.hcm', PASSWORD).expect(200)).body.token as string;
    expect((await apiWith(app.url, third).get('/auth/me').expect(200)).body.role).toBe('auditor');
    await app.api.patch(`/users/${officer.body.id}`).send({ disabled: true }).expect(200);
    expect((await apiWith(app.url, third).get('/auth/me')).status).toBe(401);
    expect((await login('officer.hcm', PASSWORD)).status).toBe(401);
  });

  it('binds officers to exactly one province and keeps one administrator', async () => {
    const noProvince = await app.api.post('/users').send({ username: 'officer.none', password: PASSWORD, role: 'officer' });
    expect(noProvince.status).toBe(400);
    expect(JSON.stringify(noProvince.body)).toContain('provinceCode is required for a province officer');
    const unknown = await app.api.post('/users').send({ username: 'officer.x', password: PASSWORD, role: 'officer', provinceCode: '99' });
    expect(unknown.status).toBe(400);
    const auditorWithProvince = await app.api.post('/users').send({ username: 'auditor.x', password: PASSWORD, role: 'auditor', provinceCode: '79' });
    expect(auditorWithProvince.status).toBe(400);
    const short = await app.api.post('/users').send({ username: 'short.pw', password: 'short', role: 'auditor' });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toContain('password');
    const taken = await app.api.post('/users').send({ username: 'first.admin', password: PASSWORD, role: 'auditor' });
    expect(taken.status).toBe(409);
    const admin = (await app.api.get('/users').expect(200)).body.find((u: { username: string }) => u.username === 'first.admin');
    const demote = await app.api.patch(`/users/${admin.id}`).send({ disabled: true });
    expect(demote.status).toBe(409);
  });

  it('takes API keys as bearer or X-API-Key, shows them once, and stops them when revoked or expired', async () => {
    const created = await app.api.post('/api-keys').send({ name: 'sipas-uploader', role: 'officer', provinceCode: '01' }).expect(201);
    const key = created.body.key as string;
    expect(key.startsWith(created.body.prefix)).toBe(true);
    const listed = await app.api.get('/api-keys').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    await request(app.url).get('/auth/me').set('X-API-Key', key).expect(200);
    expect((await apiWith(app.url, key).get('/auth/me').expect(200)).body).toMatchObject({ kind: 'api-key', role: 'officer', provinceCode: '01' });
    expect((await apiWith(app.url, key).get('/provinces/79/years/2025/scorecard')).status).toBe(403);

    await app.api.post(`/api-keys/${created.body.id}/revoke`).expect(201);
    expect((await apiWith(app.url, key).get('/auth/me')).status).toBe(401);

    const expiring = await app.api.post('/api-keys').send({ name: 'short-lived', role: 'auditor', expiresAt: new Date(Date.now() + 60_000).toISOString() }).expect(201);
    await apiWith(app.url, expiring.body.key).get('/auth/me').expect(200);
    await app.pool.query(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.body.id]);
    expect((await apiWith(app.url, expiring.body.key).get('/auth/me')).status).toBe(401);
    const past = await app.api.post('/api-keys').send({ name: 'already-expired', role: 'auditor', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
  });

  it('answers 401 with a message for missing, malformed and unknown credentials', async () => {
    for (const header of [undefined, 'Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer peh_at_unknown', `Bearer ${'x'.repeat(600)}`]) {
      const req = request(app.url).get('/connectors');
      const res = await (header ? req.set('Authorization', header) : req);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: [expect.any(String)] });
    }
  });
});
