import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { createTestDatabase } from './support/test-database';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { registerConnector, runNow, waitForRun, waitForSettled } from './support/pipeline';

/**
 * Every route of the OpenAPI document × every caller, against the allow/deny matrix kept in
 * test/access-matrix.yaml. A route missing from the matrix (or a matrix row without a route) fails the test.
 * The same answers are then attacked for what they carry: every refusal in the one error shape, and no answer of
 * any route (the raw archive's bytes aside) holding the connector's secret or a citizen's personal data.
 */
const MATRIX_FILE = resolve(__dirname, 'access-matrix.yaml');
const CALLERS = ['anonymous', 'admin', 'operator', 'auditor', 'officer', 'officer-other', 'appraiser'] as const;
type Caller = (typeof CALLERS)[number];
type Expectation = 'ok' | 'allow' | 'deny' | 'auth' | 'hidden';

const OWN = '79';
const OTHER = '01';
const YEAR = '2025';
const CATALOGUE = 'par-index-2026@2026.0-draft';
/** the appraisal routes walk their own catalogue, so their transitions do not lock CATALOGUE's documents */
const APPRAISAL_CATALOGUE = 'par-index-2026-demo@2026.0-demo';
/** a sub-criterion of CATALOGUE filled from one-stop-shop data (province-level on-time rate) */
const AUTOMATIC_SUB_CRITERION = '3.3.1';
/** a sub-criterion of CATALOGUE scored from an attached document */
const MANUAL_SUB_CRITERION = '1.1.1';

interface Matrix {
  routes: Record<string, Record<Caller, Expectation>>;
}

function loadMatrix(): Matrix {
  const matrix = parse(readFileSync(MATRIX_FILE, 'utf8')) as Matrix;
  for (const [route, row] of Object.entries(matrix.routes)) {
    for (const caller of CALLERS) {
      if (!['ok', 'allow', 'deny', 'auth', 'hidden'].includes(row?.[caller])) throw new Error(`${MATRIX_FILE}: ${route} has no valid answer for ${caller}`);
    }
  }
  return matrix;
}

/** What an answer must look like for each expectation. */
function check(expectation: Expectation, status: number): boolean {
  switch (expectation) {
    case 'ok':
      return status >= 200 && status < 300;
    case 'allow':
      return status < 500 && status !== 401 && status !== 403;
    case 'deny':
      return status === 403;
    case 'auth':
      return status === 401;
    case 'hidden':
      return status === 404;
  }
}

describe('access matrix: every route of the API document × every role × own/other province', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  const prefix = testQueuePrefix();
  const matrix = loadMatrix();
  const clients = {} as Record<Caller, Api | null>;
  const ids: Record<string, string> = {};
  let documentRoutes: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 5, provinces: [OWN, OTHER], dossiersPerProvince: 150, year: 2025, malformedRate: 0 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    clients.anonymous = null;
    clients.admin = app.api;
    clients.operator = await app.as('operator');
    clients.auditor = await app.as('auditor');
    clients.officer = await app.as('officer', OWN);
    clients['officer-other'] = await app.as('officer', OTHER);
    clients.appraiser = await app.as('appraiser');

    // the data the routes are asked about belongs to OWN
    ids.connector = await registerConnector(app.api, { name: `oss-${OWN}`, provinceCode: OWN, baseUrl: sim.url });
    const run = await waitForRun(app.api, (await runNow(app.api, ids.connector)).id);
    expect(run.status).toBe('succeeded');
    ids.run = run.id;
    await waitForSettled(app.pool);
    const one = async (sql: string, params: unknown[] = []) => String((await app.pool.query(sql, params)).rows[0].v);
    ids.evidence = await one(`SELECT id AS v FROM evidence_record WHERE province_code = $1 ORDER BY id LIMIT 1`, [OWN]);
    ids.score = await one(`SELECT id AS v FROM score WHERE province_code = $1 ORDER BY id LIMIT 1`, [OWN]);
    ids.digest = await one(`SELECT f.digest AS v FROM raw_fetch f WHERE f.connector_id = $1 ORDER BY f.id LIMIT 1`, [ids.connector]);
    ids.user = (await app.api.post('/users').send({ username: 'matrix.user', password: 'a long enough passphrase', role: 'auditor' }).expect(201)).body.id;
    ids.apiKey = (await app.api.post('/api-keys').send({ name: 'throwaway', role: 'auditor' }).expect(201)).body.id;
    ids.manualSubCriterion = MANUAL_SUB_CRITERION;
    ids.manualEvidence = (
      await app.api
        .post(`/provinces/${OWN}/years/${YEAR}/manual-evidence`)
        .field('catalogue', CATALOGUE)
        .field('subCriterion', MANUAL_SUB_CRITERION)
        .field('title', 'seed')
        .attach('file', Buffer.from('seed document'), { filename: 'seed.txt', contentType: 'text/plain' })
        .expect(201)
    ).body.id;
    const doc = await request(app.url).get('/docs/openapi.json').expect(200);
    documentRoutes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('the matrix lists exactly the routes of the API document', () => {
    expect(documentRoutes.length).toBeGreaterThan(30);
    const missing = documentRoutes.filter((r) => !(r in matrix.routes));
    const stale = Object.keys(matrix.routes).filter((r) => !documentRoutes.includes(r));
    expect({ missingFromMatrix: missing, notInDocument: stale }).toEqual({ missingFromMatrix: [], notInDocument: [] });
  });

  /** The concrete request a route is probed with; ids are those of OWN's data. */
  function probe(route: string): { method: string; path: string; body?: unknown; attach?: { field: string; content: Buffer; name: string; fields: Record<string, string> } } {
    const [method, template] = route.split(' ');
    const idFor = (path: string): string => {
      if (path.startsWith('/connectors/')) return ids.connector;
      if (path.startsWith('/runs/')) return ids.run;
      if (path.startsWith('/evidence/')) return ids.evidence;
      if (path.startsWith('/scores/')) return ids.score;
      if (path.startsWith('/users/')) return ids.user;
      if (path.startsWith('/api-keys/')) return ids.apiKey;
      if (path.startsWith('/manual-evidence/')) return ids.manualEvidence ?? '1';
      if (path.includes('/findings/')) return '1'; // a finding id (404 when there is none: the matrix says allow)
      throw new Error(`no id known for ${path}: add it to the probe`);
    };
    let path = template
      .replace('{provinceCode}', OWN)
      // publishing a year changes what officers see: probe a year without scores (404 past the permission check)
      .replace('{year}', route === 'POST /results/{year}/publish' ? '2024' : YEAR)
      .replace('{digest}', ids.digest)
      .replace('{departmentId}', 'H79')
      .replace('{subCriterion}', AUTOMATIC_SUB_CRITERION)
      .replace('{id}', () => idFor(template));
    const query: Record<string, string> = {
      'GET /scoreboard': `year=${YEAR}`,
      'GET /scoreboard/regions': `year=${YEAR}&catalogue=${encodeURIComponent(CATALOGUE)}`,
      'GET /provinces/{provinceCode}/years/{year}/appraisal': `catalogue=${encodeURIComponent(APPRAISAL_CATALOGUE)}`,
      'GET /provinces/{provinceCode}/years/{year}/exports/evidence-pack': `catalogue=${encodeURIComponent(CATALOGUE)}`,
      'GET /provinces/{provinceCode}/years/{year}/exports/summary': `catalogue=${encodeURIComponent(CATALOGUE)}`,
      'GET /provinces/{provinceCode}/years/{year}/generated-documents': `catalogue=${encodeURIComponent(CATALOGUE)}`,
      'GET /provinces/{provinceCode}/years/{year}/generated-documents/{subCriterion}': `catalogue=${encodeURIComponent(CATALOGUE)}&format=pdf`,
    };
    if (query[route]) path += `?${query[route]}`;
    // the Decision 766 views of a province all take a period (validated before the province is checked)
    else if (route.includes('/qd766/') && method === 'GET') path += `?period=${YEAR}`;
    const bodies: Record<string, unknown> = {
      // a valid import for OWN: the own officer may store it, an officer of another province may not
      'POST /imports': { source: 'access matrix', values: [{ provinceCode: OWN, year: 2025, key: 'sipas', value: 80, max: 100 }] },
      'PATCH /connectors/{id}': { enabled: true },
      'POST /provinces/{provinceCode}/years/{year}/appraisal/submit': { catalogue: APPRAISAL_CATALOGUE },
      'POST /provinces/{provinceCode}/years/{year}/appraisal/start': { catalogue: APPRAISAL_CATALOGUE },
      'POST /provinces/{provinceCode}/years/{year}/appraisal/approve': { catalogue: APPRAISAL_CATALOGUE },
      'POST /provinces/{provinceCode}/years/{year}/appraisal/return': { catalogue: APPRAISAL_CATALOGUE, reasons: ['access matrix'] },
      'POST /provinces/{provinceCode}/years/{year}/appraisal/reopen': { catalogue: APPRAISAL_CATALOGUE, reasons: ['access matrix'] },
      'POST /manual-evidence/{id}/review': { decision: 'rejected', reason: 'access matrix' },
    };
    if (route === 'POST /imports/file') {
      return { method, path, attach: { field: 'file', name: 'sipas.csv', content: Buffer.from(`provinceCode,year,key,value,max\n${OWN},2025,sipas,81,100\n`), fields: { source: 'access matrix file' } } };
    }
    if (route === `POST /provinces/{provinceCode}/years/{year}/manual-evidence`) {
      return { method, path, attach: { field: 'file', name: 'note.txt', content: Buffer.from('plain text evidence'), fields: { catalogue: CATALOGUE, subCriterion: ids.manualSubCriterion ?? 'x', title: 'matrix' } } };
    }
    if (route === 'POST /manual-evidence/{id}/replace') {
      return { method, path, attach: { field: 'file', name: 'note.txt', content: Buffer.from('replacement evidence'), fields: {} } };
    }
    return { method, path, body: method === 'GET' ? undefined : bodies[route] ?? {} };
  }

  const answers: Array<{ route: string; caller: Caller; status: number; body: unknown; text: string }> = [];

  async function call(caller: Caller, route: string): Promise<{ status: number; body: unknown }> {
    const p = probe(route);
    const client = clients[caller] ?? request.agent(app.url);
    let req = (client as unknown as Record<string, (path: string) => request.Test>)[p.method.toLowerCase()](p.path);
    if (p.attach) {
      for (const [k, v] of Object.entries(p.attach.fields)) req = req.field(k, v);
      req = req.attach(p.attach.field, p.attach.content, { filename: p.attach.name, contentType: p.attach.name.endsWith('.csv') ? 'text/csv' : 'text/plain' });
    } else if (p.body !== undefined) {
      req = req.send(p.body as object);
    }
    const res = await req;
    answers.push({ route, caller, status: res.status, body: res.body, text: res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : JSON.stringify(res.body)) });
    return { status: res.status, body: res.body };
  }

  it('answers every route × caller as the matrix says', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const route of Object.keys(matrix.routes).sort()) {
      for (const caller of CALLERS) {
        const expected = matrix.routes[route][caller];
        const { status, body } = await call(caller, route);
        calls++;
        if (!check(expected, status)) wrong.push(`${route} as ${caller}: expected ${expected}, got ${status} ${JSON.stringify(body).slice(0, 160)}`);
      }
    }
    expect(calls).toBe(Object.keys(matrix.routes).length * CALLERS.length);
    expect(wrong).toEqual([]);
  }, 180_000);

  it('answers every refusal of every route × caller in the one error shape, leaking no secret or personal value', async () => {
    expect(answers.length).toBe(Object.keys(matrix.routes).length * CALLERS.length);
    // the canaries: the connector's secret, and the personal fields of the dossiers the source served
    const { rows } = await app.pool.query(`SELECT p.body FROM raw_payload p JOIN raw_fetch f ON f.digest = p.digest WHERE f.url LIKE '%/hoso%' LIMIT 3`);
    const personal = new Set<string>();
    for (const r of rows) {
      const list = (JSON.parse(r.body.toString('utf8')).data?.danhSach ?? []) as Array<Record<string, unknown>>;
      for (const d of list) for (const f of ['ChuHoSo', 'SoGiayToChuHoSo', 'SoDienThoai', 'Email']) if (typeof d[f] === 'string' && (d[f] as string).length >= 6) personal.add(d[f] as string);
    }
    expect(personal.size).toBeGreaterThan(20);
    const canaries = ['demo-secret', ...personal];
    const misshaped: string[] = [];
    const leaks: string[] = [];
    for (const a of answers) {
      if (a.status >= 400) {
        const b = a.body as { statusCode?: unknown; error?: unknown; message?: unknown };
        const ok = b?.statusCode === a.status && typeof b.error === 'string' && Array.isArray(b.message) && b.message.length > 0 && b.message.every((m) => typeof m === 'string' && m.length > 0);
        if (!ok) misshaped.push(`${a.route} as ${a.caller}: ${a.status} ${a.text.slice(0, 120)}`);
      }
      // the raw archive's download is the one place that returns the bytes as received, to entitled roles
      if (a.route === 'GET /raw-payloads/{digest}' && a.status === 200) continue;
      const found = canaries.find((c) => a.text.includes(c));
      if (found) leaks.push(`${a.route} as ${a.caller} (${a.status}) contains ${found === 'demo-secret' ? 'the connector secret' : 'a personal value'}`);
    }
    console.log(`role attack: ${answers.length} answers (${Object.keys(matrix.routes).length} routes × ${CALLERS.length} callers), ${answers.filter((a) => a.status >= 400).length} refusals checked for shape, ${canaries.length} canaries searched`);
    expect({ misshaped, leaks }).toEqual({ misshaped: [], leaks: [] });
  });

  it('narrows what an officer reads to the own province, in the data itself', async () => {
    const board = (c: Api) => c.get(`/scoreboard?year=${YEAR}`).expect(200);
    const all = (await board(clients.admin!)).body as Array<{ provinceCode: string }>;
    expect(all.some((r) => r.provinceCode === OWN)).toBe(true);
    const own = (await board(clients.officer!)).body as Array<{ provinceCode: string }>;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((r) => r.provinceCode === OWN)).toBe(true);
    // draft results: no rank among provinces an officer cannot see
    expect(own.every((r) => (r as { rank?: unknown }).rank === null)).toBe(true);
    const other = (await board(clients['officer-other']!)).body as Array<{ provinceCode: string }>;
    expect(other.some((r) => r.provinceCode === OWN)).toBe(false);
    // an import naming another province is refused as a whole
    const mixed = await clients['officer-other']!.post('/imports').send({
      source: 'mixed',
      values: [
        { provinceCode: OTHER, year: 2025, key: 'sipas', value: 70, max: 100 },
        { provinceCode: OWN, year: 2025, key: 'sipas', value: 1, max: 100 },
      ],
    });
    expect(mixed.status).toBe(403);
    expect(JSON.stringify(mixed.body)).toContain('values.1.provinceCode');
  });
});
