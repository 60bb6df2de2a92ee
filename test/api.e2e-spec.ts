import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';

const SECRET = 'top-secret-value-123';

describe('HTTP API: validation, connectors, write-only credentials, health, OpenAPI', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api' });
  });
  afterAll(async () => {
    await app?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  const valid = {
    name: 'hanoi-oss',
    kind: 'one-stop-shop',
    baseUrl: 'http://127.0.0.1:9',
    provinceCode: '01',
    credentials: { clientId: 'client-a', clientSecret: SECRET },
    schedule: '0 2 * * *',
    options: { pageSize: 500, initialSyncFrom: '2025-01-01' },
  };

  it('answers liveness and readiness (PostgreSQL and Redis up)', async () => {
    await app.api.get('/health/live').expect(200);
    const ready = await app.api.get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('rejects unknown fields and bad values with field-level 400s', async () => {
    const res = await app.api
      .post('/connectors')
      .send({ ...valid, surprise: true, provinceCode: 'HN', baseUrl: 'not a url' })
      .expect(400);
    const messages: string[] = res.body.message;
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('surprise'),
        expect.stringContaining('provinceCode'),
        expect.stringContaining('baseUrl'),
      ]),
    );
  });

  it('rejects what only the domain knows: unknown kind, former province, bad cron, missing credentials, bad options', async () => {
    const res = await app.api
      .post('/connectors')
      .send({ ...valid, kind: 'nope', provinceCode: '99', schedule: 'every day', credentials: {}, options: { lagSeconds: -5 } })
      .expect(400);
    const text = (res.body.message as string[]).join('\n');
    expect(text).toMatch(/kind must be one of: one-stop-shop, vnpost-bcci/);
    expect(text).toMatch(/provinceCode 99/);
    expect(text).toMatch(/schedule/);
    expect(text).toMatch(/options.lagSeconds/);
    const missing = await app.api.post('/connectors').send({ ...valid, credentials: {} }).expect(400);
    expect((missing.body.message as string[]).join('\n')).toMatch(/credentials.clientSecret is required/);
  });

  it('creates, reads, updates and disables a connector, never returning or storing credentials in the clear', async () => {
    const created = await app.api.post('/connectors').send(valid).expect(201);
    expect(created.body).toMatchObject({ name: 'hanoi-oss', provinceCode: '01', enabled: true, configVersion: 1, credentialsSet: ['clientId', 'clientSecret'] });
    expect(created.body.credentials).toBeUndefined();
    const id = created.body.id;

    await app.api.post('/connectors').send(valid).expect(409);

    const updated = await app.api.patch(`/connectors/${id}`).send({ schedule: '*/30 * * * *' }).expect(200);
    expect(updated.body).toMatchObject({ schedule: '*/30 * * * *', configVersion: 2, credentialsSet: ['clientId', 'clientSecret'] });
    const disabled = await app.api.post(`/connectors/${id}/disable`).expect(200);
    expect(disabled.body).toMatchObject({ enabled: false, configVersion: 3 });
    await app.api.post(`/connectors/${id}/runs`).expect(400);

    const all = [
      JSON.stringify((await app.api.get('/connectors').expect(200)).body),
      JSON.stringify((await app.api.get(`/connectors/${id}`).expect(200)).body),
      JSON.stringify(created.body),
      JSON.stringify(updated.body),
    ].join('');
    expect(all).not.toContain(SECRET);

    // the credentials are stored sealed under the active key (no plaintext), and not in the config history
    const { rows } = await app.pool.query('SELECT credentials, credentials_key_id, row_to_json(connector)::text AS everything FROM connector WHERE id = $1', [id]);
    expect(rows[0].credentials).toEqual({});
    expect(rows[0].credentials_key_id).toBe('test-1');
    expect(rows[0].everything).not.toContain(SECRET);
    const history = await app.pool.query('SELECT config::text AS c FROM connector_config_version WHERE connector_id = $1 ORDER BY version', [id]);
    expect(history.rows).toHaveLength(3);
    expect(history.rows.map((r) => r.c).join('')).not.toContain(SECRET);
  });

  it('validates backfill windows', async () => {
    const created = await app.api.post('/connectors').send({ ...valid, name: 'hue-oss', provinceCode: '46' }).expect(201);
    const bad = await app.api.post(`/connectors/${created.body.id}/backfill`).send({ from: 'yesterday', to: '2025-02-01T00:00:00+07:00' }).expect(400);
    expect((bad.body.message as string[]).join()).toMatch(/from/);
    const reversed = await app.api
      .post(`/connectors/${created.body.id}/backfill`)
      .send({ from: '2025-03-01T00:00:00+07:00', to: '2025-02-01T00:00:00+07:00' })
      .expect(400);
    expect((reversed.body.message as string[]).join()).toMatch(/before/);
  });

  it('answers 404 / 400 for unknown or malformed ids and params, never 500', async () => {
    await app.api.get('/connectors/not-a-uuid').expect(404);
    await app.api.get('/connectors/00000000-0000-4000-8000-000000000000').expect(404);
    await app.api.get('/runs/xyz').expect(404);
    await app.api.get('/raw-payloads/abc').expect(404);
    await app.api.get(`/raw-payloads/${'0'.repeat(64)}`).expect(404);
    await app.api.get('/scores/12345/lineage').expect(404);
    await app.api.get('/scores/abc/lineage').expect(400);
    const bad = await app.api.get('/provinces/7/years/20x5/evidence').expect(400);
    expect((bad.body.message as string[]).join()).toMatch(/provinceCode.*|year/);
    await app.api.get('/scoreboard').expect(400);
    await app.api.get('/quarantine?limit=abc').expect(400);
  });

  it('lists the 34 provincial units in force with their predecessors', async () => {
    const res = await app.api.get('/units/provinces').expect(200);
    expect(res.body).toHaveLength(34);
  });

  it('serves an OpenAPI document covering the API', async () => {
    const res = await app.api.get('/docs/openapi.json').expect(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/connectors',
      '/connectors/{id}/runs',
      '/connectors/{id}/backfill',
      '/runs/{id}',
      '/quarantine',
      '/provinces/{provinceCode}/years/{year}/evidence',
      '/provinces/{provinceCode}/years/{year}/scorecard',
      '/scores/{id}/lineage',
      '/raw-payloads/{digest}',
      '/health/ready',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
