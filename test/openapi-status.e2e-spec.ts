import { ApiKeysService } from '../src/identity/api-keys.service';
import { Role } from '../src/platform/auth/access-policy';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { FuzzCase, OpenApiDoc, generateCases, listOperations } from './support-fuzz/openapi-fuzz';
import { RawResult, mapBounded, sendRaw } from './support-fuzz/raw-http';

type Responses = Record<string, unknown>;

/**
 * Status codes match the OpenAPI document: every answer to the generated requests (malformed, under-privileged,
 * anonymous) and to plain reads as an administrator carries a status the operation documents.
 */
describe('status codes match the OpenAPI document', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  const prefix = testQueuePrefix();
  const keys: Partial<Record<Role, string>> = {};
  let doc: OpenApiDoc;

  const documented = (route: string): string[] => {
    const [method, template] = route.split(' ');
    const op = doc.paths[template]?.[method.toLowerCase()] as { responses?: Responses } | undefined;
    return Object.keys(op?.responses ?? {});
  };
  const undocumented = (route: string, status: number): string | null => {
    const codes = documented(route);
    return codes.includes(String(status)) || codes.includes(`${String(status)[0]}XX`) || codes.includes('default') ? null : `${route} → ${status} (documents ${codes.join(', ')})`;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api', LOGIN_MAX_ATTEMPTS: '10000' });
    const apiKeys = app.app.get(ApiKeysService);
    for (const [role, province] of [['admin', null], ['officer', '79'], ['auditor', null], ['operator', null]] as Array<[Role, string | null]>) {
      keys[role] = (await apiKeys.create({ name: `status-${role}`, role, provinceCode: province }, null)).key;
    }
    const res = await sendRaw(app.url, { method: 'GET', path: '/docs/openapi.json' });
    if (!res.ok) throw new Error(res.error);
    doc = res.response.json as OpenApiDoc;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('every generated request gets a status its operation documents', async () => {
    // one request per operation, kind of malformation and caller: the statuses, not the volume, are checked here
    const seen = new Set<string>();
    const cases: FuzzCase[] = generateCases(doc, {}, 20251204).filter((c) => {
      const key = `${c.route}|${c.category}|${c.who}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const headers = (c: FuzzCase): Record<string, string> => (c.who === 'anonymous' || c.who === 'as-given' ? {} : { authorization: `Bearer ${keys[c.who]}` });
    const results: RawResult[] = await mapBounded(cases, 8, (c) => sendRaw(app.url, { method: c.method, path: c.path, headers: { ...headers(c), ...c.headers }, body: c.body, chunked: c.chunked }));
    const problems = new Set<string>();
    cases.forEach((c, i) => {
      const r = results[i];
      if (!r.ok || documented(c.route).length === 0) return; // a method the path does not have: 404/405 is right
      const problem = undocumented(c.route, r.response.status);
      if (problem) problems.add(problem);
    });
    expect(cases.length).toBeGreaterThan(300);
    expect([...problems].sort()).toEqual([]);
  }, 400_000);

  it('plain reads as an administrator answer a documented success status', async () => {
    const reads = listOperations(doc).filter((o) => o.method === 'GET' && o.pathParams.length === 0 && o.queryParams.every((q) => !q.required));
    expect(reads.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const op of reads) {
      const r = await sendRaw(app.url, { method: 'GET', path: op.template, headers: { authorization: `Bearer ${keys.admin}` } });
      if (!r.ok) continue;
      const problem = undocumented(op.route, r.response.status);
      if (problem) problems.push(problem);
    }
    expect(problems).toEqual([]);
  });
});
