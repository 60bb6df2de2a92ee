import { createHash } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { insertQuarantine } from '../src/connectors/quarantine/quarantine.writer';
import { RawArchiveService } from '../src/raw-archive/raw-archive.service';
import { zipBomb, buildZip } from '../src/platform/uploads/zip-fixtures.spec-helper';
import { runNow, waitForRun } from './support/pipeline';
import { createTestDatabase } from './support/test-database';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';

/**
 * Issue 11, attacked the way a dishonest connector operator (or a hostile source) would: each finding as a class.
 * A recording "source" the allow-list names, and an "internal" service it does not: the internal one must never
 * be reached, and nothing it or the source says about people may come back through the API.
 */
const OWN = '79';
const OTHER = '01';
const SECRET = 'S3cret-canary-value';
const PERSON = { name: 'Nguyễn Thị Canary', phone: '0912 345 678', email: 'canary.citizen@example.vn', id: '001090012345' };
const INTERNAL_BODY = 'INTERNAL-ONLY-BODY-never-reflected';
/** a postal "workbook" that unpacks to 150 MB of zeros from a few hundred KB */
const BOMB = zipBomb(150 * 1024 * 1024);

interface Seen {
  method: string;
  url: string;
  body: string;
}

interface Recorder {
  url: string;
  port: number;
  seen: Seen[];
  close: () => Promise<void>;
}

async function recorder(handle: (req: Seen, res: http.ServerResponse) => void): Promise<Recorder> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', body };
      seen.push(s);
      handle(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, seen, close: () => new Promise((r) => server.close(() => r())) };
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** A sectoral source described by configuration: a subject path and a metric path that point at personal data. */
const source = (tokenPath = '/oauth/token') => ({
  request: { path: '/stats/{unit}', query: { period: '{period}' } },
  period: 'month',
  units: ['{province}'],
  auth: { type: 'oauth2ClientCredentials', tokenPath },
  paging: { type: 'none' },
  records: '$.items[*]',
  subject: '$.office.code',
  metrics: [
    { metric: 'sector.land.on_time_share', numerator: '$.applications.processedOnTime', denominator: '$.applications.processed' },
    { metric: 'sector.land.received', numerator: '$.applications.received' },
  ],
});

describe('security: hostile operators and hostile input (issue 11)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let src: Recorder;
  let internal: Recorder;
  let operator: Api;
  let officer: Api;
  let officerOther: Api;
  let auditor: Api;
  const prefix = testQueuePrefix();

  const connectorBody = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    kind: 'declarative-rest',
    baseUrl: src.url,
    provinceCode: OWN,
    credentials: { clientId: 'client', clientSecret: SECRET },
    options: { source: source() },
    ...extra,
  });
  const hay = (body: unknown) => JSON.stringify(body);
  const expectNothingPersonal = (body: unknown) => {
    const text = hay(body);
    for (const value of [SECRET, PERSON.name, PERSON.phone, PERSON.email, PERSON.id, INTERNAL_BODY]) expect(text).not.toContain(value);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    internal = await recorder((_req, res) => json(res, 200, { secret: INTERNAL_BODY, access_token: 'internal-token' }));
    src = await recorder((req, res) => {
      if (req.url.includes('/oauth/token')) return json(res, 200, { access_token: 'tok', expires_in: 3600 });
      // a token endpoint that sends the client secret on to an internal service
      if (req.url.includes('/oauth/redirect')) return json(res, 307, {}, { Location: `${internal.url}/steal` });
      if (req.url.includes('/bcci/v1/baocao')) {
        const sha256 = createHash('sha256').update(BOMB).digest('hex');
        return json(res, 200, { maTinh: OWN, thang: 'x', tep: [{ tenTep: 'bcci.xlsx', url: `${src.url}/bomb/bcci.xlsx`, sha256, kichThuoc: BOMB.length, phienBan: 1, ngayTao: '2026-01-01' }] });
      }
      if (req.url.startsWith('/bomb/')) {
        res.writeHead(200, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
        return res.end(BOMB);
      }
      if (req.url.includes('/stats/')) {
        return json(res, 200, {
          items: [
            {
              office: { code: PERSON.name },
              hoTen: PERSON.name,
              soDienThoai: PERSON.phone,
              email: PERSON.email,
              cccd: PERSON.id,
              applications: { received: 5, processed: 4, processedOnTime: PERSON.email },
            },
          ],
        });
      }
      return json(res, 404, { error: `no ${req.url}` });
    });
    // only the recording source is named: loopback is otherwise refused, the internal service included
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker', EGRESS_ALLOW: `127.0.0.1:${src.port}` });
    [operator, officer, officerOther, auditor] = await Promise.all([app.as('operator'), app.as('officer', OWN), app.as('officer', OTHER), app.as('auditor')]);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await src?.close();
    await internal?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  describe('1. a saved credential is bound to the kind and the addresses it was entered for', () => {
    let id: string;
    beforeAll(async () => {
      id = (await operator.post('/connectors').send(connectorBody('bound')).expect(201)).body.id;
    });

    it.each([
      ['baseUrl', () => ({ baseUrl: `${src.url}/elsewhere` })],
      ['options.source.auth', () => ({ options: { source: source('https://attacker.example/token') } })],
      ['kind', () => ({ kind: 'document-management', options: {} })],
    ])('changing %s without the credentials again is refused (400 naming it) and audited', async (field, change) => {
      const patch = change();
      const res = await operator.patch(`/connectors/${id}`).send(patch).expect(400);
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}: changing it needs the credentials again`))]));
      expectNothingPersonal(res.body);
      const audit = await app.pool.query(`SELECT outcome, status FROM audit_event WHERE action = 'PATCH /connectors/:id' AND target = $1 ORDER BY id DESC LIMIT 1`, [id]);
      expect(audit.rows[0]).toEqual({ outcome: 'failed', status: 400 });
      const saved = (await operator.get(`/connectors/${id}`).expect(200)).body;
      expect(saved.baseUrl).toBe(src.url);
      expect(saved.kind).toBe('declarative-rest');
    });

    it('the same change with the credentials given again is accepted', async () => {
      const res = await operator
        .patch(`/connectors/${id}`)
        .send({ baseUrl: `${src.url}/`, options: { source: source('/oauth/token') }, credentials: { clientId: 'client', clientSecret: 'new-secret' } })
        .expect(200);
      expect(res.body.credentialsSet).toEqual(['clientId', 'clientSecret']);
    });

    it('changing the kind drops the saved credential', async () => {
      const created = (await operator.post('/connectors').send(connectorBody('kind-switch', { baseUrl: `${src.url}/k`, kind: 'document-management', credentials: { apiKey: SECRET }, options: {} })).expect(201)).body;
      const open = { ...source(), auth: { type: 'none' } };
      const switched = await operator.patch(`/connectors/${created.id}`).send({ kind: 'declarative-rest', credentials: {}, options: { source: open } }).expect(200);
      expect(switched.body.credentialsSet).toEqual([]);
      const { rows } = await app.pool.query(`SELECT credential_names FROM connector WHERE id = $1`, [created.id]);
      expect(rows[0].credential_names).toEqual([]);
    });
  });

  describe('2. personal data: test calls show structure, counts and field names, never values', () => {
    it('an unsaved test call (no name needed) masks every value and names the fields', async () => {
      const { name: _unused, ...unnamed } = connectorBody('unused');
      const res = await operator.post('/connectors/test').send(unnamed).expect(200);
      expectNothingPersonal(res.body);
      expect(res.body).toMatchObject({ kind: 'declarative-rest', records: 1 });
      expect(res.body.fields).toEqual(expect.arrayContaining(['hoTen', 'soDienThoai', 'email', 'cccd', 'applications.received']));
      expect(hay(res.body).length).toBeLessThan(20_000);
    });

    it('a saved connector switched to the declarative kind cannot read citizens through its test call', async () => {
      const oss = (await operator.post('/connectors').send(connectorBody('oss-like', { baseUrl: `${src.url}/o`, kind: 'one-stop-shop', options: {} })).expect(201)).body;
      // the old trick: switch kind, keep the secret → refused; with new credentials the answer is masked
      await operator.patch(`/connectors/${oss.id}`).send({ kind: 'declarative-rest', options: { source: source() } }).expect(400);
      await operator.patch(`/connectors/${oss.id}`).send({ kind: 'declarative-rest', options: { source: source() }, credentials: { clientId: 'c', clientSecret: 'x' } }).expect(200);
      const res = await operator.post(`/connectors/${oss.id}/test`).expect(200);
      expectNothingPersonal(res.body);
      expect(res.body.records).toBe(1);
    });
  });

  describe('2b. quarantine and run views show a redacted record to every role', () => {
    it('masks personal values in quarantine details and run errors, whoever reads them', async () => {
      const created = (await operator.post('/connectors').send(connectorBody('redacted-views', { baseUrl: `${src.url}/r` })).expect(201)).body;
      const { rows } = await app.pool.query(
        `INSERT INTO connector_run (connector_id, config_version, trigger, window_from, window_to, status, job_id, error_code, error_message)
         VALUES ($1, 1, 'manual', now() - interval '1 day', now(), 'failed', $2, 'DATA_INCORRECT', $3) RETURNING id`,
        [created.id, `job-${created.id}`, `upstream said: hoTen: "${PERSON.name}", mail ${PERSON.email}, phone ${PERSON.phone}`],
      );
      const runId = rows[0].id as string;
      const digest = await app.app.get(RawArchiveService).archive(Buffer.from(`{"x":"${Date.now()}"}`), { connectorId: created.id, runId, method: 'GET', url: src.url, status: 200, durationMs: 1, contentType: 'application/json' });
      const db = await app.pool.connect();
      try {
        // through the writer every connector uses: stored masked
        await insertQuarantine(
          db,
          OWN,
          [{ entity: 'figure', position: 0, recordKey: 'k1', record: { subject: PERSON.name, field: '$.x' }, reason: 'NOT_A_NUMBER', field: 'processedOnTime', detail: `record 0 of $.items[*] (${PERSON.name}): "${PERSON.phone}" is not a plain decimal number` }],
          { connectorId: created.id, runId, rawDigest: digest },
        );
        // and a row written by an older release, unmasked: shown masked
        await db.query(
          `INSERT INTO quarantine_record (connector_id, run_id, province_code, entity, raw_digest, raw_position, record_key, record_hash, identity_hash, reason_code, field, detail)
           VALUES ($1, $2, $3, 'dossier', $4, 1, 'k2', 'legacy-hash', 'legacy-identity', 'INVALID_DATE', 'NgayTiepNhan', $5)`,
          [created.id, runId, OWN, digest, `ChuHoSo: "${PERSON.name}", SoGiayToChuHoSo: ${PERSON.id}`],
        );
        const stored = await db.query(`SELECT record_key, detail FROM quarantine_record WHERE run_id = $1`, [runId]);
        expect(stored.rows).toHaveLength(2);
        expectNothingPersonal(stored.rows.filter((r) => r.record_key !== 'k2').map((r) => r.detail));
      } finally {
        db.release();
      }
      for (const reader of [operator, auditor, app.api]) {
        const quarantine = await reader.get(`/quarantine?runId=${runId}`).expect(200);
        expect(quarantine.body.items).toHaveLength(2);
        expect(quarantine.body.items.map((i: { reasonCode: string; field: string }) => [i.reasonCode, i.field]).sort()).toEqual([['INVALID_DATE', 'NgayTiepNhan'], ['NOT_A_NUMBER', 'processedOnTime']]);
        expectNothingPersonal(quarantine.body);
        const run = await reader.get(`/runs/${runId}`).expect(200);
        expect(run.body.error.code).toBe('DATA_INCORRECT');
        expect(run.body.error.message).toMatch(/hoTen: <text, \d+ characters>/);
        expectNothingPersonal(run.body);
      }
    });
  });

  describe('3. server-side request forgery: one egress policy for every outbound call', () => {
    const refusedBaseUrls = () => [
      `http://127.0.0.1:${internal.port}`,
      `http://[::1]:${internal.port}`,
      `http://[::ffff:127.0.0.1]:${internal.port}`,
      `http://0x7f.0.0.1:${internal.port}`,
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/',
      'http://10.0.0.1/',
      'http://192.168.0.1/',
      'http://metadata.google.internal/computeMetadata/v1',
    ];

    it('refuses loopback, link-local, private and metadata addresses in test calls and when saved, reaching nothing', async () => {
      for (const baseUrl of refusedBaseUrls()) {
        const { name: _n, ...body } = connectorBody('x', { baseUrl });
        const tested = await operator.post('/connectors/test').send(body);
        expect({ baseUrl, status: tested.status }).toEqual({ baseUrl, status: 400 });
        // refused by the egress policy, or (addresses the URL validator already rejects) as no URL at all
        expect(tested.body.message.join()).toMatch(/refused|baseUrl must be a URL/);
        expectNothingPersonal(tested.body);
        const saved = await operator.post('/connectors').send(connectorBody(`ssrf-${refusedBaseUrls().indexOf(baseUrl)}`, { baseUrl }));
        expect({ baseUrl, status: saved.status }).toEqual({ baseUrl, status: 400 });
        expect(saved.body.message.join()).toMatch(/^baseUrl/);
      }
      expect(internal.seen).toEqual([]);
    });

    it('checks the address after DNS resolution (a name for loopback is refused at connection time)', async () => {
      const { name: _n, ...body } = connectorBody('x', { baseUrl: `http://localhost:${internal.port}` });
      const res = await operator.post('/connectors/test').send(body).expect(400);
      expect(res.body.message.join()).toMatch(/EGRESS_REFUSED.*localhost.*loopback/);
      expect(internal.seen).toEqual([]);
    });

    it('checks every redirect: a token endpoint redirecting inside is not followed', async () => {
      const { name: _n, ...body } = connectorBody('x', { options: { source: source('/oauth/redirect') } });
      const res = await operator.post('/connectors/test').send(body).expect(400);
      expect(res.body.message.join()).toMatch(/EGRESS_REFUSED/);
      expectNothingPersonal(res.body);
      expect(internal.seen).toEqual([]);
    });

    it('names the allow-list in a refusal so an administrator knows what to change', async () => {
      const { name: _n, ...body } = connectorBody('x', { baseUrl: `http://127.0.0.1:${internal.port}` });
      const res = await operator.post('/connectors/test').send(body).expect(400);
      expect(res.body.message.join()).toMatch(/EGRESS_ALLOW/);
    });
  });

  describe('4. raw history stays with the province it was fetched for', () => {
    it('refuses a province change after the first fetch, and decides raw access by the fetch, forever', async () => {
      const created = (await operator.post('/connectors').send(connectorBody('province-bound', { baseUrl: `${src.url}/p` })).expect(201)).body;
      const digest = await app.app.get(RawArchiveService).archive(Buffer.from(`{"ChuHoSo":"${PERSON.name}","n":${Date.now()}}`), {
        connectorId: created.id,
        runId: null,
        method: 'GET',
        url: `${src.url}/p/x`,
        status: 200,
        durationMs: 1,
        contentType: 'application/json',
      });
      const moved = await operator.patch(`/connectors/${created.id}`).send({ provinceCode: OTHER }).expect(409);
      expect(moved.body.message.join()).toMatch(/^provinceCode: .*register a new connector for 01/);
      await officer.get(`/raw-payloads/${digest}`).expect(200);
      await officerOther.get(`/raw-payloads/${digest}`).expect(404);
      // even a connector moved behind the API's back (an older release allowed it) does not move its history
      await app.pool.query(`UPDATE connector SET province_code = $2 WHERE id = $1`, [created.id, OTHER]);
      await officer.get(`/raw-payloads/${digest}`).expect(200);
      await officerOther.get(`/raw-payloads/${digest}`).expect(404);
      await officerOther.get(`/raw-payloads/${digest}/fetches`).expect(404);
    });
  });

  describe('5. queue dashboard: operators read, administrators write, every write audited once', () => {
    it('refuses an operator any change, audits it once with the real path; lets an administrator change', async () => {
      await operator.get('/admin/queues/api/queues').expect(200);
      const refused = await operator.put('/admin/queues/api/queues/fetch/pause').expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: [expect.stringMatching(/queues\.manage/)] });
      await operator.put('/admin/queues/api/queues/fetch/clean/completed').expect(403);
      await app.api.put('/admin/queues/api/queues/fetch/pause').expect(200);
      await app.api.put('/admin/queues/api/queues/fetch/resume').expect(200);
      await new Promise((r) => setTimeout(r, 300));
      const { rows } = await app.pool.query(`SELECT role, path, outcome, status FROM audit_event WHERE path LIKE '/admin/queues%' ORDER BY id`);
      expect(rows).toEqual([
        { role: 'operator', path: '/admin/queues/api/queues/fetch/pause', outcome: 'denied', status: 403 },
        { role: 'operator', path: '/admin/queues/api/queues/fetch/clean/completed', outcome: 'denied', status: 403 },
        { role: 'admin', path: '/admin/queues/api/queues/fetch/pause', outcome: 'succeeded', status: 200 },
        { role: 'admin', path: '/admin/queues/api/queues/fetch/resume', outcome: 'succeeded', status: 200 },
      ]);
    });
  });

  describe('6. archive uploads are inspected before anything is stored', () => {
    const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const upload = (client: Api, bytes: Buffer, contentType: string, lang?: string) => {
      let req = client
        .post(`/provinces/${OWN}/years/2025/manual-evidence`)
        .field('catalogue', 'par-index-2026@2026.0-draft')
        .field('subCriterion', '1.1.1')
        .field('title', 'plan')
        .attach('file', bytes, { filename: 'plan.docx', contentType });
      if (lang) req = req.set('Accept-Language', lang);
      return req;
    };
    const counts = async () => (await app.pool.query(`SELECT (SELECT count(*) FROM raw_payload)::int AS raw, (SELECT count(*) FROM manual_evidence)::int AS docs`)).rows[0];

    it('refuses a zip bomb (422), too many entries (413) and a lying header (422); stores nothing but the refusal', async () => {
      const before = await counts();
      const bomb = await upload(officer, zipBomb(150 * 1024 * 1024), DOCX).expect(422);
      expect(bomb.body.message).toEqual([expect.stringMatching(/^file: .*zip bomb/)]);
      const many = buildZip(Array.from({ length: 2_001 }, (_, i) => ({ name: `p/${i}.xml`, data: Buffer.from('<p/>') })));
      await upload(officer, many, 'application/zip').expect(413);
      const liar = buildZip([{ name: 'word/document.xml', data: Buffer.alloc(3 * 1024 * 1024), declaredSize: 100 }]);
      await upload(officer, liar, 'application/vnd.oasis.opendocument.text').expect(422);
      expect(await counts()).toEqual(before);
      const audit = await app.pool.query(`SELECT status FROM audit_event WHERE action LIKE 'POST /provinces/:provinceCode/years/:year/manual-evidence' ORDER BY id`);
      expect(audit.rows.map((r) => r.status)).toEqual([422, 413, 422]);
      const vi = await upload(officer, zipBomb(20 * 1024 * 1024), DOCX, 'vi').expect(422);
      expect(vi.body.message.join()).toMatch(/bom nén/);
    });

    it('refuses a postal report workbook over the archive limits as unreadable, without stopping the run', async () => {
      const month = new Date(Date.now() - 35 * 86_400_000).toISOString().slice(0, 7);
      const created = await operator
        .post('/connectors')
        .send({ name: 'bcci-bomb', kind: 'vnpost-bcci', baseUrl: src.url, provinceCode: OWN, credentials: { apiKey: SECRET }, options: { initialSyncFrom: `${month}-01`, lagSeconds: 0, lookbackMonths: 0 } })
        .expect(201);
      const run = await waitForRun(operator, (await runNow(operator, created.body.id)).id);
      expect(run.status).toBe('succeeded');
      const { rows } = await app.pool.query(`SELECT status, error FROM report_file WHERE connector_id = $1`, [created.body.id]);
      expect(rows.length).toBeGreaterThan(0);
      // recorded as a file that cannot be read (`rejected`, with its reason), the bytes kept in the raw archive
      for (const r of rows) expect(r).toEqual({ status: expect.stringMatching(/^(unreadable|rejected)$/), error: expect.stringMatching(/^report file bcci\.xlsx: .*zip bomb/) });
      expect((await app.pool.query(`SELECT count(*)::int AS n FROM waybill`)).rows[0].n).toBe(0);
    });

    it('accepts an ordinary document', async () => {
      const doc = buildZip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'word/document.xml', data: Buffer.from('<w:document>kế hoạch</w:document>') }]);
      await upload(officer, doc, DOCX).expect(201);
    });
  });

  describe('7. draft results: an officer sees only the own province until a year is published', () => {
    beforeAll(async () => {
      const insert = (province: string, points: number) =>
        app.pool.query(
          `INSERT INTO score (province_code, year, framework, catalogue_version, sub_criterion, rule_digest, status, points, max_points, evidence_ids, version,
                              content_digest, period_kind, period_key)
           VALUES ($1, 2024, 'demo', 'demo@1', '1.1', repeat('a', 64), 'scored', $2, 10, '{}', 1, repeat('b', 64), 'year', '2024')`,
          [province, points],
        );
      await insert(OWN, 4);
      await insert(OTHER, 9);
      await insert('48', 6);
    });

    it('draft: own province only, no rank; published by an administrator (audited): the published table for all', async () => {
      const draft = (await officer.get('/scoreboard?year=2024').expect(200)).body;
      expect(draft).toEqual([expect.objectContaining({ provinceCode: OWN, rank: null })]);
      expect((await app.api.get('/scoreboard?year=2024').expect(200)).body).toHaveLength(3);
      await operator.post('/results/2024/publish').expect(403);
      await officer.post('/results/2024/publish').expect(403);
      await auditor.post('/results/2024/publish').expect(403);
      const published = await app.api.post('/results/2024/publish').expect(200);
      expect(published.body).toMatchObject({ year: 2024, rows: 3 });
      const audit = await app.pool.query(`SELECT outcome FROM audit_event WHERE action = 'POST /results/:year/publish' ORDER BY id`);
      expect(audit.rows.map((r) => r.outcome)).toEqual(['denied', 'denied', 'denied', 'succeeded']);
      const table = (await officerOther.get('/scoreboard?year=2024').expect(200)).body;
      expect(table.map((r: { provinceCode: string; rank: number }) => [r.provinceCode, r.rank])).toEqual([
        [OTHER, 1],
        ['48', 2],
        [OWN, 3],
      ]);
      await app.api.post('/results/2023/publish').expect(404);
    });
  });

  describe('also', () => {
    it('refuses a duplicate connector for the same kind, province and source unless asked on purpose', async () => {
      await operator.post('/connectors').send(connectorBody('dup-a', { baseUrl: `${src.url}/dup` })).expect(201);
      const twin = await operator.post('/connectors').send(connectorBody('dup-b', { baseUrl: `${src.url}/dup/` })).expect(409);
      expect(twin.body.message.join()).toMatch(/dup-a already reads this declarative-rest source for province 79.*allowDuplicate/);
      await operator.post('/connectors').send(connectorBody('dup-b', { baseUrl: `${src.url}/dup`, allowDuplicate: true })).expect(201);
    });

    it('answers every error in one shape, in Vietnamese on request, without echoing secrets', async () => {
      const anon = await request(app.url).get('/connectors').set('Accept-Language', 'vi-VN,vi;q=0.9').expect(401);
      expect(anon.body).toEqual({ statusCode: 401, error: 'Chưa xác thực', message: [expect.stringMatching(/^Cần xác thực/)] });
      expect(anon.headers['content-language']).toBe('vi');
      const denied = await operator.get('/audit-events').set('Accept-Language', 'vi').expect(403);
      expect(denied.body).toEqual({ statusCode: 403, error: 'Không có quyền', message: ['Vai trò operator không được phép thực hiện thao tác này (audit.read)'] });
      const bad = await operator.post('/connectors').set('Accept-Language', 'vi').send({ ...connectorBody('x'), password: SECRET }).expect(400);
      expect(bad.body.message).toContain('Trường password không được chấp nhận');
      expectNothingPersonal(bad.body);
      const malformed = await operator.post('/connectors').set('Content-Type', 'application/json').send(`{"credentials":{"clientSecret":"${SECRET}"`).expect(400);
      expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [expect.stringMatching(/^malformed JSON body/)] });
      expectNothingPersonal(malformed.body);
    });
  });
});
