import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Response } from 'supertest';
import { ApiKeysService } from '../src/identity/api-keys.service';
import { UsersService } from '../src/identity/users.service';
import { OneStopShopSimulator, TOKEN_PATH, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { waitForSettled } from './support/pipeline';
import { createTestDatabase } from './support/test-database';
import { Api, TestApp, apiWith, clearQueues, startTestApp, testQueuePrefix, waitFor } from './support/test-app';
import { exited, startServiceProcess } from './support/worker-process';
import { dumpRedis, findLeaks, freePort, tokenRecordingProxy } from './support-fuzz/secret-scan';

const run = promisify(execFile);
const PG_DUMP = process.env.PG_DUMP ?? '/usr/bin/pg_dump';

/**
 * The service as it runs in production (one OS process, every role, debug logs) is given distinctive secrets over
 * HTTP: connector client secrets (right, wrong, replaced, refused), a user's password (right and wrong), then uses
 * a bearer token and API keys. None of them may be found, in clear or encoded, in a dump of the database, in the
 * process's logs, in Redis, or in any answer of the API (except the one answer that issues a token or a key).
 */
describe('no secret in the database, the logs, Redis or the answers', () => {
  const hex = () => randomBytes(6).toString('hex');
  const tag = hex();
  const clientId = `client-${tag}`;
  // '+' and '/' make the URL-, form- and base64-encoded forms differ from the plain one
  const secrets = {
    goodClientSecret: `S3cret-good-${hex()}+/ok`,
    firstClientSecret: `S3cret-first-${hex()}+/x`,
    wrongClientSecret: `S3cret-wrong-${hex()}+/x`,
    refusedClientSecret: `S3cret-refused-${hex()}+/x`,
    password: `Pa55 phrase+/${hex()}`,
    wrongPassword: `Wr0ng phrase+/${hex()}`,
    httpUserPassword: `Http pass+/${hex()}`,
    changedPassword: `Chang3d pass+/${hex()}`,
  };
  const issued: Record<string, string> = {};
  const names = { good: `dump-oss-good-${tag}`, wrong: `dump-oss-wrong-${tag}` };

  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let inProcess: TestApp;
  let sim: OneStopShopSimulator;
  let proxy: Awaited<ReturnType<typeof tokenRecordingProxy>>;
  let service: ReturnType<typeof startServiceProcess>;
  let serviceUrl: string;
  const prefix = testQueuePrefix();
  const inProcessPrefix = testQueuePrefix();
  const answers: Array<{ what: string; status: number; text: string }> = [];
  const places: Record<string, string> = {};
  const runs: Record<string, { status: string; error: { code: string } | null }> = {};

  /** Sends a request and keeps its answer (status, headers and body) for the scan. */
  async function keep(what: string, request: PromiseLike<Response>): Promise<Response> {
    const res = await request;
    answers.push({ what, status: res.status, text: `${JSON.stringify(res.headers)}\n${res.text ?? ''}` });
    return res;
  }

  async function runToEnd(api: Api, connectorId: string, what: string) {
    const started = await keep(`POST /connectors/:id/runs (${what})`, api.post(`/connectors/${connectorId}/runs`));
    expect(started.status).toBe(201);
    const done = await waitFor(
      async () => {
        const res = await api.get(`/runs/${started.body.id}`);
        return res.body.status === 'succeeded' || res.body.status === 'failed' ? res : undefined;
      },
      40_000,
      `the ${what} run to end`,
    );
    answers.push({ what: `GET /runs/:id (${what})`, status: done.status, text: done.text });
    return done.body;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 7, provinces: ['79', '01'], dossiersPerProvince: 60, year: 2025, clientId, clientSecret: secrets.goodClientSecret });
    proxy = await tokenRecordingProxy(sim.url, TOKEN_PATH);

    const port = await freePort();
    serviceUrl = `http://127.0.0.1:${port}`;
    service = startServiceProcess({
      APP_ROLE: 'all',
      LOG_LEVEL: 'debug',
      DATABASE_URL: db.url,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      SCHEDULER_TICK_MS: '1000',
    });
    // the in-process app shares the database: it makes the first API key and the user (as an operator would)
    inProcess = await startTestApp(db.url, inProcessPrefix, { APP_ROLE: 'api' });
    issued.adminApiKey = (await inProcess.app.get(ApiKeysService).create({ name: `dump-admin-${tag}`, role: 'admin' }, null)).key;
    await inProcess.app.get(UsersService).create({ username: `dump.user.${tag}`, password: secrets.password, role: 'operator' });
    await waitFor(
      async () => {
        const res = await fetch(`${serviceUrl}/health/ready`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      // a cold ts-node start of the whole service takes most of a minute on a loaded 2-core machine
      90_000,
      `the service process to be ready:\n${service.output().slice(-2000)}`,
    );

    const admin = apiWith(serviceUrl, issued.adminApiKey);
    // sign in: a wrong password, then the right one
    expect((await keep('POST /auth/login (wrong password)', admin.post('/auth/login').send({ username: `dump.user.${tag}`, password: secrets.wrongPassword }))).status).toBe(401);
    const login = await keep('POST /auth/login', apiWith(serviceUrl, 'none').post('/auth/login').send({ username: `dump.user.${tag}`, password: secrets.password }));
    expect(login.status).toBe(200);
    issued.bearerToken = login.body.token;
    const operator = apiWith(serviceUrl, issued.bearerToken);
    expect((await keep('GET /auth/me (token)', operator.get('/auth/me'))).status).toBe(200);

    // a user and an API key made over HTTP
    const user = await keep('POST /users', admin.post('/users').send({ username: `dump.http.${tag}`, password: secrets.httpUserPassword, role: 'auditor' }));
    expect(user.status).toBe(201);
    expect((await keep('PATCH /users/:id (password)', admin.patch(`/users/${user.body.id}`).send({ password: secrets.changedPassword }))).status).toBe(200);
    const key = await keep('POST /api-keys', admin.post('/api-keys').send({ name: `dump-key-${tag}`, role: 'operator' }));
    expect(key.status).toBe(201);
    issued.httpApiKey = key.body.key;
    const keyClient = apiWith(serviceUrl, issued.httpApiKey);

    // connectors: one that ends up with the right secret (after a change), one with a wrong secret, one refused
    const create = (name: string, provinceCode: string, clientSecret: string) =>
      operator.post('/connectors').send({
        name,
        kind: 'one-stop-shop',
        baseUrl: proxy.url,
        provinceCode,
        credentials: { clientId, clientSecret },
        schedule: null,
        options: { initialSyncFrom: '2025-01-01', lagSeconds: 0, pageSize: 50 },
      });
    const good = await keep('POST /connectors (first secret)', create(names.good, '79', secrets.firstClientSecret));
    expect(good.status).toBe(201);
    const wrong = await keep('POST /connectors (wrong secret)', create(names.wrong, '01', secrets.wrongClientSecret));
    expect(wrong.status).toBe(201);
    const refused = await keep('POST /connectors (refused)', create(`dump-refused-${tag}`, '00', secrets.refusedClientSecret));
    expect(refused.status).toBe(400);
    const changed = await keep(
      'PATCH /connectors/:id (credentials)',
      operator.patch(`/connectors/${good.body.id}`).send({ credentials: { clientId, clientSecret: secrets.goodClientSecret } }),
    );
    expect(changed.status).toBe(200);
    await keep('GET /connectors', keyClient.get('/connectors'));
    await keep('GET /connectors/:id', admin.get(`/connectors/${good.body.id}`));
    await keep('POST /connectors/:id/test', operator.post(`/connectors/${good.body.id}/test`));

    runs.good = await runToEnd(operator, good.body.id, 'right secret');
    runs.wrong = await runToEnd(admin, wrong.body.id, 'wrong secret');
    await keep('GET /runs', keyClient.get('/runs'));
    await keep('GET /connectors/:id/runs', admin.get(`/connectors/${good.body.id}/runs`));
    await keep('GET /quarantine', admin.get('/quarantine'));
    await waitForSettled(inProcess.pool, 30_000);
    await keep('POST /auth/logout', operator.post('/auth/logout'));

    // stop the process (its last log lines are written synchronously), then collect everything
    service.kill('SIGTERM');
    await exited(service, 20_000);
    places['service logs'] = service.output();
    places['database dump (data)'] = (await run(PG_DUMP, ['--data-only', '--inserts', '--no-owner', db.url], { maxBuffer: 512 * 1024 * 1024 })).stdout;
    places['database dump (schema)'] = (await run(PG_DUMP, ['--schema-only', '--no-owner', db.url], { maxBuffer: 64 * 1024 * 1024 })).stdout;
    places['redis (service queues)'] = await dumpRedis(prefix);
    for (const a of answers) places[`answer ${a.what} → ${a.status}`] = a.text;
  }, 180_000);

  afterAll(async () => {
    if (service && service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
    await inProcess?.close();
    await proxy?.close();
    await sim?.close();
    await clearQueues(prefix);
    await clearQueues(inProcessPrefix);
    await db?.drop();
  });

  it('did real work: a run with the right secret succeeded, the wrong secret failed with AUTH_FAILED, all of it is in the dump', () => {
    expect(runs.good.status).toBe('succeeded');
    expect(runs.wrong).toMatchObject({ status: 'failed', error: { code: 'AUTH_FAILED' } });
    expect(proxy.tokens.size).toBeGreaterThan(0);
    const dump = places['database dump (data)'];
    expect(dump).toContain(names.good);
    expect(dump).toContain(names.wrong);
    expect(dump).toContain(`dump.user.${tag}`);
    expect(dump).toMatch(/INSERT INTO public\.dossier(_p\d+|_other)? /); // the table is partitioned by province
    expect(places['database dump (schema)']).toContain('CREATE TABLE public.connector');
    // the process logged every request and the pipeline's work (LOG_LEVEL=debug; the code has no debug-level lines today)
    expect(places['service logs']).toContain('"msg":"request completed"');
    expect(places['service logs']).toContain('/connectors');
    expect(places['redis (service queues)'].length).toBeGreaterThan(0);
    expect(answers.length).toBeGreaterThanOrEqual(20);
    console.log(
      `scanned for ${Object.keys(secrets).length + Object.keys(issued).length + proxy.tokens.size} secrets: ` +
        Object.entries(places)
          .filter(([k]) => !k.startsWith('answer '))
          .map(([k, v]) => `${k} ${v.length} chars`)
          .join(', ') +
        `, ${answers.length} answers`,
    );
  });

  it('the scan itself finds a secret in each of the forms it looks for', () => {
    const secret = secrets.password; // a space, '+' and '/': every form differs
    const text = [secret, encodeURIComponent(secret), new URLSearchParams({ x: secret }).toString(), Buffer.from(secret).toString('base64'), `\\x${Buffer.from(secret).toString('hex')}`].join(' | ');
    const forms = findLeaks({ s: { value: secret } }, { text }).map((l) => l.form);
    expect(forms).toEqual(expect.arrayContaining(['plain', 'url-encoded', 'form-encoded', 'base64', 'hex']));
  });

  it('finds no secret, in clear or encoded, in the database dump, the logs, Redis or the answers', () => {
    const all: Record<string, { value: string; extra?: Record<string, string> }> = {};
    for (const [name, value] of Object.entries(secrets)) {
      // a client secret could also travel as an HTTP Basic credential
      all[name] = { value, extra: name.endsWith('ClientSecret') ? { 'basic-auth': Buffer.from(`${clientId}:${value}`).toString('base64') } : {} };
    }
    for (const [name, value] of Object.entries(issued)) all[name] = { value };
    [...proxy.tokens].forEach((t, i) => (all[`sourceAccessToken${i + 1}`] = { value: t }));
    // the answer that issues a token or a key shows it, once, by design
    const allowed = [
      { secret: 'bearerToken', where: /^answer POST \/auth\/login → 200$/ },
      { secret: 'httpApiKey', where: /^answer POST \/api-keys → 201$/ },
    ];
    const leaks = findLeaks(all, places, allowed);
    expect(leaks).toEqual([]);
  });

  it('keeps the client id out of the logs and answers as well (it is a credential too)', () => {
    const { ['database dump (data)']: _d, ['database dump (schema)']: _s, ...visible } = places;
    expect(findLeaks({ clientId: { value: clientId } }, visible)).toEqual([]);
  });
});
