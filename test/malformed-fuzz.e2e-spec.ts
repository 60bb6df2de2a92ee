import { ApiKeysService } from '../src/identity/api-keys.service';
import { Role } from '../src/platform/auth/access-policy';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { FuzzCase, OpenApiDoc, QueryKnowledge, generateCases, listOperations } from './support-fuzz/openapi-fuzz';
import { RawResult, mapBounded, sendRaw } from './support-fuzz/raw-http';
import fc from 'fast-check';
import { bodyArbitrary } from './support-fuzz/body-arbitrary';

/**
 * Generated malformed requests against every operation of the served OpenAPI document (seeded, so every run sends
 * the same requests): every answer must be a 4xx with a JSON message (a 400 naming the field where one field is
 * wrong), never a 5xx, a reset or a hang; hostile but well-formed requests must never get a 5xx; afterwards the
 * service is still ready and its tables are all there.
 */
const SEED = 20250701;
const CONCURRENCY = 8;
/** bodies fast-check generates per JSON operation */
const FAST_CHECK_RUNS = Number(process.env.FUZZ_PROPERTY_RUNS ?? 40);
/** FUZZ_ONLY=<regex on category> replays a part of the cases (e.g. FUZZ_ONLY=huge-body); the count check is then skipped */
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;

interface Failure {
  method: string;
  path: string;
  case: string;
  who: string;
  status: number | string;
  problem: string;
  body: string;
}

function messageOf(json: unknown): string | null {
  if (!json || typeof json !== 'object') return null;
  const m = (json as { message?: unknown }).message;
  if (typeof m === 'string' && m.trim().length > 0) return m;
  if (Array.isArray(m) && m.length > 0 && m.every((x) => typeof x === 'string' && x.length > 0)) return m.join('\n');
  return null;
}

function mentions(c: FuzzCase): string {
  return ([] as string[]).concat(c.mustMention ?? []).map((m) => JSON.stringify(m)).join(' or ');
}

/** What is wrong with an answer, or null when it is as expected. */
function judge(c: FuzzCase, r: RawResult): string | null {
  if (!r.ok) return r.error;
  const { status, json } = r.response;
  if (c.kind === 'strict') {
    if (status < 400 || status > 499) return `expected a 4xx, got ${status}`;
    if (c.statuses && !c.statuses.includes(status)) return `expected ${c.statuses.join(' or ')}, got ${status}`;
    if (c.mustMention !== undefined && status !== 400) return `expected a 400 naming ${mentions(c)}, got ${status}`;
  } else if (status >= 500) {
    return `expected no 5xx, got ${status}`;
  }
  if (status >= 400) {
    const message = messageOf(json);
    if (message === null) return `${status} without a JSON body with a non-empty message`;
    if (c.mustMention !== undefined && !([] as string[]).concat(c.mustMention).some((m) => message.includes(m))) return `the message does not name ${mentions(c)}`;
  }
  return null;
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s;
}

describe('malformed requests, generated from the OpenAPI document', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  const prefix = testQueuePrefix();
  const keys: Partial<Record<Role, string>> = {};
  let doc: OpenApiDoc;
  let tablesBefore: string[] = [];
  let rowsBefore: Record<string, number> = {};
  let cases: FuzzCase[] = [];
  let results: RawResult[] = [];
  let elapsedMs = 0;

  const credentialHeaders = (c: FuzzCase): Record<string, string> => {
    if (c.who === 'anonymous' || c.who === 'as-given') return {};
    return { authorization: `Bearer ${keys[c.who]}` };
  };

  /** Which query parameters refuse a plainly wrong value (400) and which take any text (GET only: nothing changes). */
  async function probeQueryParameters(): Promise<QueryKnowledge> {
    const knowledge: QueryKnowledge = {};
    for (const op of listOperations(doc).filter((o) => o.method === 'GET' && o.queryParams.length > 0)) {
      knowledge[op.route] = {};
      const path = op.template.replace(/\{[^}]+\}/g, (m) => (m === '{provinceCode}' ? '79' : m === '{year}' ? '2025' : '00000000-0000-4000-8000-0000000000aa'));
      const required = op.queryParams.filter((q) => q.required).map((q) => [q.name, encodeURIComponent(String(q.schema?.example ?? 'x'))]);
      for (const q of op.queryParams) {
        const query = [...required.filter(([k]) => k !== q.name), [q.name, 'zz-probe']].map(([k, v]) => `${k}=${v}`).join('&');
        const r = await sendRaw(app.url, { method: 'GET', path: `${path}?${query}`, headers: { authorization: `Bearer ${keys.admin}` } });
        knowledge[op.route][q.name] = r.ok && r.response.status === 400 ? 'constrained' : 'free';
      }
    }
    return knowledge;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    // failed sign-ins are part of the fuzz: raise the per-address limit so that they are not all 429
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api', LOGIN_MAX_ATTEMPTS: '10000' });
    const apiKeys = app.app.get(ApiKeysService);
    for (const [role, province] of [['admin', null], ['officer', '79'], ['auditor', null], ['operator', null]] as Array<[Role, string | null]>) {
      keys[role] = (await apiKeys.create({ name: `fuzz-${role}`, role, provinceCode: province }, null)).key;
    }
    const res = await sendRaw(app.url, { method: 'GET', path: '/docs/openapi.json' });
    if (!res.ok || res.response.status !== 200) throw new Error(`no OpenAPI document: ${res.ok ? res.response.status : res.error}`);
    doc = res.response.json as OpenApiDoc;
    tablesBefore = (await app.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).rows.map((r) => r.table_name);
    rowsBefore = await rowCounts();

    const knowledge = await probeQueryParameters();
    cases = generateCases(doc, knowledge, SEED).filter((c) => !ONLY || ONLY.test(c.category));
    const started = Date.now();
    results = await mapBounded(cases, CONCURRENCY, (c) =>
      sendRaw(app.url, { method: c.method, path: c.path, headers: { ...credentialHeaders(c), ...c.headers }, body: c.body, chunked: c.chunked }),
    );
    elapsedMs = Date.now() - started;
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  /** rows per table, except the audit trail (every request is audited) */
  async function rowCounts(): Promise<Record<string, number>> {
    const { rows } = await app.pool.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%audit%' ORDER BY 1`,
    );
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.table_name] = (await app.pool.query(`SELECT count(*)::int AS n FROM "${r.table_name}"`)).rows[0].n;
    return counts;
  }

  function failuresOf(kind: FuzzCase['kind']): Failure[] {
    const failures: Failure[] = [];
    cases.forEach((c, i) => {
      if (c.kind !== kind) return;
      const r = results[i];
      const problem = judge(c, r);
      if (problem === null) return;
      failures.push({
        method: c.method,
        path: shorten(c.path, 160),
        case: `${c.category}: ${shorten(c.label, 80)}`,
        who: c.who,
        status: r.ok ? r.response.status : 'none',
        problem,
        body: r.ok ? shorten(r.response.text, 200) : '',
      });
    });
    if (failures.length > 0) {
      // a summary first (route × category × problem), then every offender in the assertion
      const groups = new Map<string, number>();
      for (const f of failures) {
        const key = `${f.method} ${f.path.split('?')[0].replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{uuid}')} | ${f.case.split(':')[0]} | ${f.problem}`;
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
      console.log(`${kind} failures: ${failures.length}\n${[...groups].map(([k, n]) => `${String(n).padStart(4)}  ${k}`).join('\n')}`);
    }
    return failures;
  }

  it('sends at least 1000 malformed requests, covering every operation of the document', () => {
    const strict = cases.filter((c) => c.kind === 'strict');
    const byCategory = new Map<string, number>();
    for (const c of cases) byCategory.set(`${c.kind}/${c.category}`, (byCategory.get(`${c.kind}/${c.category}`) ?? 0) + 1);
    console.log(
      `fuzz: ${cases.length} requests (${strict.length} malformed, ${cases.length - strict.length} hostile) in ${elapsedMs} ms\n` +
        [...byCategory].sort().map(([k, n]) => `${String(n).padStart(5)}  ${k}`).join('\n'),
    );
    if (ONLY) return;
    expect(strict.length).toBeGreaterThanOrEqual(1000);
    expect(results).toHaveLength(cases.length);
    const ops = listOperations(doc);
    expect(ops.length).toBeGreaterThan(30);
    const covered = new Set(strict.map((c) => c.route));
    expect(ops.map((o) => o.route).filter((r) => !covered.has(r))).toEqual([]);
    // under-privileged and anonymous callers are in the sample
    for (const who of ['anonymous', 'officer', 'auditor', 'operator', 'as-given']) expect(strict.some((c) => c.who === who)).toBe(true);
  });

  it('answers every malformed request with a 4xx and a JSON message (400 naming the field), never 5xx, reset or hang', () => {
    expect(failuresOf('strict')).toEqual([]);
  });

  it('answers hostile but well-formed requests (injection, NUL, emoji in free text; prototype keys) without a 5xx', () => {
    expect(failuresOf('hostile')).toEqual([]);
  });

  it('is still ready afterwards, with every table in place', async () => {
    const ready = await sendRaw(app.url, { method: 'GET', path: '/health/ready' });
    expect(ready.ok && ready.response.status).toBe(200);
    const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM connector');
    expect(typeof rows[0].n).toBe('number');
    const tablesAfter = (await app.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).rows.map((r) => r.table_name);
    expect(tablesAfter).toEqual(tablesBefore);
    expect(tablesBefore).toContain('connector');
    // the fuzz created nothing (a row more anywhere means some malformed request was accepted)
    const rowsAfter = await rowCounts();
    const grown = Object.fromEntries(Object.entries(rowsAfter).filter(([t, n]) => n !== (rowsBefore[t] ?? 0)).map(([t, n]) => [t, `${rowsBefore[t] ?? 0} → ${n}`]));
    expect(grown).toEqual({});
    // the admin key still works (nothing in the fuzz revoked it or signed it out)
    const me = await sendRaw(app.url, { method: 'GET', path: '/auth/me', headers: { authorization: `Bearer ${keys.admin}` } });
    expect(me.ok && me.response.status).toBe(200);
  });

  it('property: any request body, shaped by the schema or not, gets a 4xx in the one error shape (or a 2xx), never a 5xx', async () => {
    // fast-check generates the bodies (seeded, shrinks a failure to its smallest body); every JSON operation
    const ops = listOperations(doc).filter((o) => o.bodyKind === 'json' && o.route !== 'POST /auth/logout');
    expect(ops.length).toBeGreaterThanOrEqual(10);
    const seen: Record<string, number> = {};
    const fill = (template: string) => template.replace(/\{[^}]+\}/g, (m) => (m === '{provinceCode}' ? '79' : m === '{year}' ? '2025' : m === '{digest}' ? 'a'.repeat(64) : '00000000-0000-4000-8000-0000000000fe'));
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(bodyArbitrary(doc, op.bodySchema), async (body) => {
          const r = await sendRaw(app.url, {
            method: op.method,
            path: fill(op.template),
            headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' },
            body: Buffer.from(JSON.stringify(body) ?? 'null'),
          });
          if (!r.ok) throw new Error(`${op.route}: no answer (${r.error})`);
          const status = r.response.status;
          seen[String(status)] = (seen[String(status)] ?? 0) + 1;
          if (status >= 500) throw new Error(`${op.route}: ${status} ${r.response.text.slice(0, 200)}`);
          if (status >= 400) {
            const json = r.response.json as { statusCode?: unknown; error?: unknown; message?: unknown };
            const shaped = json?.statusCode === status && typeof json.error === 'string' && Array.isArray(json.message) && json.message.length > 0 && json.message.every((m) => typeof m === 'string' && m.length > 0);
            if (!shaped) throw new Error(`${op.route}: ${status} not in the error shape: ${r.response.text.slice(0, 200)}`);
          }
        }),
        { numRuns: FAST_CHECK_RUNS, seed: SEED, endOnFailure: true },
      );
    }
    console.log(`fast-check: ${ops.length} operations × ${FAST_CHECK_RUNS} bodies; answers by status ${JSON.stringify(seen)}`);
  }, 300_000);

  it('applies HTTP_BODY_LIMIT_KB (256 KB by default): just under it is read (and refused as invalid), just over it is 413', async () => {
    const body = (bytes: number) => Buffer.from(JSON.stringify({ zzSize: 's'.repeat(bytes - 14) }));
    const under = await sendRaw(app.url, { method: 'POST', path: '/scenarios/evaluate', headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' }, body: body(250 * 1024) });
    const over = await sendRaw(app.url, { method: 'POST', path: '/scenarios/evaluate', headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' }, body: body(260 * 1024) });
    expect({ under: under.ok && under.response.status, over: over.ok && over.response.status }).toEqual({ under: 400, over: 413 });
  });
});
