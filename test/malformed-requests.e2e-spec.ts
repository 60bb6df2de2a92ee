import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';

/** Bad input gets a clear 4xx with a message, never a 5xx, across the API. */
const CASES: Array<{ method: 'get' | 'post' | 'patch'; path: string; body?: object; raw?: string }> = [
  { method: 'post', path: '/connectors', body: { name: 1 } },
  { method: 'post', path: '/connectors', body: [1, 2] },
  { method: 'post', path: '/connectors', raw: 'notjson' },
  { method: 'post', path: '/connectors', body: { name: 'x', kind: 'one-stop-shop', baseUrl: 'http://a', provinceCode: '01', credentials: { clientId: { a: 1 } } } },
  { method: 'post', path: '/connectors', body: { name: 'x', kind: 'declarative-rest', baseUrl: 'http://a', provinceCode: '01', credentials: {}, options: { source: { records: '$..x', metrics: 'all' } } } },
  { method: 'patch', path: '/connectors/00000000-0000-4000-8000-000000000000', body: {} },
  { method: 'post', path: '/connectors/abc/backfill', body: { from: 'x' } },
  { method: 'post', path: '/connectors/test', body: {} },
  { method: 'post', path: '/connectors/test', body: { name: 'x', kind: 'vnpost-bcci', baseUrl: 'http://127.0.0.1:9', provinceCode: '01', credentials: { apiKey: 'k' } } },
  { method: 'post', path: '/imports', body: { source: 's', values: 'x' } },
  { method: 'post', path: '/imports', body: { source: 's', values: [{ provinceCode: 1 }] } },
  { method: 'post', path: '/imports/file', body: {} },
  { method: 'post', path: '/scenarios/evaluate', body: { year: 'x' } },
  { method: 'post', path: '/scenarios/evaluate', body: { year: 2025, weights: [{ provinces: 'x', multipliers: 5 }] } },
  { method: 'post', path: '/scenarios/evaluate', body: { year: 2025, baselineCatalogue: 'par-index-2026@2026.0-draft', weights: [{ provinces: ['01'], multipliers: { '3.4.1': 'x' } }] } },
  { method: 'get', path: '/provinces/44/years/2025/scorecard?period=2025-Q9' },
  { method: 'get', path: '/provinces/4/years/2025/scorecard' },
  { method: 'get', path: '/provinces/44/years/2025/evidence?subjects=maybe' },
  { method: 'get', path: '/provinces/44/years/2025/findings?lists=1' },
  { method: 'get', path: '/evidence/999999999999999999999' },
  { method: 'get', path: '/runs?limit=-1' },
  { method: 'get', path: '/quarantine?connectorId=xyz' },
  { method: 'get', path: '/scoreboard/regions?year=2025' },
  { method: 'get', path: '/scores/0/lineage' },
  { method: 'get', path: `/raw-payloads/${'a'.repeat(64)}/fetches` },
  { method: 'get', path: '/raw-payloads/not-a-digest' },
];

describe('malformed requests', () => {
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

  for (const c of CASES) {
    it(`${c.method.toUpperCase()} ${c.path} answers 4xx with a message`, async () => {
      const agent = app.api;
      let call = c.method === 'get' ? agent.get(c.path) : c.method === 'post' ? agent.post(c.path) : agent.patch(c.path);
      if (c.raw !== undefined) call = call.set('content-type', 'application/json').send(c.raw);
      else if (c.body !== undefined) call = call.send(c.body);
      const res = await call;
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.message).toBeTruthy();
    });
  }
});
