/**
 * The real connector client (and the connector's paging and parsing) against the simulator, no database.
 */
import { PermanentSourceError } from '../src/connectors/connector-errors';
import { advanceCursor, alreadySeen, initialDossierCursor } from '../src/connectors/one-stop-shop/dossier-paging';
import { EgressPolicy, parseEgressAllow } from '../src/platform/http/egress-policy';
import { parseDossier } from '../src/connectors/one-stop-shop/dossier.parser';
import { OneStopShopClient } from '../src/connectors/one-stop-shop/one-stop-shop.client';
import { OssDossier, OssProcedure } from '../src/connectors/one-stop-shop/one-stop-shop.types';
import { recordKey } from '../src/connectors/one-stop-shop/dossier-paging';
import { formatSourceTimestamp } from '../src/platform/time/vietnam-time';
import { createOneStopShopSimulator, DOSSIERS_PATH, OneStopShopSimulator, PROCEDURES_PATH } from './simulators/one-stop-shop/one-stop-shop.simulator';

describe('OneStopShopClient against the simulator', () => {
  let sim: OneStopShopSimulator;
  const responses: Array<{ url: string; status: number }> = [];

  const client = (overrides: Partial<ConstructorParameters<typeof OneStopShopClient>[0]> = {}) =>
    new OneStopShopClient({
      baseUrl: sim.url,
      clientId: 'demo-client',
      clientSecret: 'demo-secret',
      timeoutMs: 5000,
      maxAttempts: 4,
      backoffBaseMs: 1,
      backoffMaxMs: 20,
      random: () => 0.5,
      egress: new EgressPolicy(parseEgressAllow('127.0.0.1').entries),
      onResponse: async (r) => {
        responses.push({ url: r.url, status: r.status });
        return 'digest';
      },
      ...overrides,
    });

  beforeAll(async () => {
    sim = await createOneStopShopSimulator({ seed: 'e2e', provinces: ['44'], dossiersPerProvince: 4000, malformedRate: 0.005 });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.faults.reset();
    responses.length = 0;
  });

  it('fetches a page of dossiers and of procedures', async () => {
    const c = client();
    const fetched = await c.getPage<OssDossier>(DOSSIERS_PATH, { maTinh: '44', capNhatTu: '20250101000000', capNhatDen: '20260101000000', trang: 1, soBanGhi: 1000 });
    expect(fetched.digest).toBe('digest');
    expect(fetched.page.danhSach).toHaveLength(1000);
    expect(Number(fetched.page.tongSoBanGhi)).toBe(sim.dataset.timelineLength('44'));
    expect(JSON.parse(fetched.body.toString('utf8')).error_code).toBe('00');
    const procedures = await c.getPage<OssProcedure>(PROCEDURES_PATH, { maTinh: '44', trang: 1, soBanGhi: 500 });
    expect(procedures.page.danhSach).toHaveLength(300);
    expect(sim.stats().tokensIssued).toBeGreaterThanOrEqual(1);
  });

  it('retries through 429 (Retry-After), 503 and SYSTEM_BUSY, and renews a revoked token', async () => {
    sim.faults.push({ kind: '429', retryAfterSeconds: 1 }, { kind: '503-http' }, { kind: '503-envelope' }, { kind: 'token-expiry' });
    const c = client();
    const fetched = await c.getPage<OssProcedure>(PROCEDURES_PATH, { maTinh: '44', trang: 1, soBanGhi: 100 });
    expect(fetched.page.danhSach).toHaveLength(100);
    expect(responses.map((r) => r.status)).toEqual([429, 503, 200, 401, 200]);
    expect(sim.stats().byKind).toMatchObject({ '429': 1, '503-http': 1, '503-envelope': 1, 'token-expiry': 1 });
  });

  it('surfaces permanent errors at once: DATA_INCORRECT, HTTP 400, bad credentials', async () => {
    sim.faults.push({ kind: '500-envelope-data-incorrect' });
    await expect(client().getPage(PROCEDURES_PATH, { maTinh: '44', trang: 1, soBanGhi: 10 })).rejects.toMatchObject({ code: 'DATA_INCORRECT' });
    sim.faults.push({ kind: '400' });
    await expect(client().getPage(PROCEDURES_PATH, { maTinh: '44', trang: 1, soBanGhi: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(client({ clientSecret: 'wrong' }).getPage(PROCEDURES_PATH, { maTinh: '44', trang: 1, soBanGhi: 10 })).rejects.toBeInstanceOf(PermanentSourceError);
  });

  it('a keyset-emulating sync over shifting pages ends with exactly the ground truth', async () => {
    const c = client();
    const pageSize = 200;
    const windowTo = formatSourceTimestamp(new Date(sim.dataset.yearEnd * 1000));
    let cursor = initialDossierCursor(new Date(sim.dataset.yearStart * 1000));
    const newest = new Map<string, { at: number; raw: OssDossier }>();
    let quarantined = 0;
    for (let requests = 0; ; requests++) {
      if (requests > 500) throw new Error('sync does not finish');
      // new dossiers arrive while we page, and the gateway hiccups
      if (requests === 3 || requests === 9) sim.faults.push({ kind: 'page-shift', count: 7 });
      if (requests === 5) sim.faults.push({ kind: '503-envelope' }, { kind: 'token-expiry' });
      const fetched = await c.getPage<OssDossier>(DOSSIERS_PATH, { maTinh: '44', capNhatTu: cursor.from, capNhatDen: windowTo, trang: cursor.page, soBanGhi: pageSize });
      const list = fetched.page.danhSach;
      const keys = list.map(recordKey);
      const { next, done } = advanceCursor(cursor, keys, pageSize);
      list.forEach((raw, i) => {
        if (alreadySeen(keys[i], cursor)) return;
        const parsed = parseDossier(raw, '44');
        if (!parsed.ok) {
          quarantined++;
          return;
        }
        const at = parsed.dossier.sourceUpdatedAt.getTime();
        const known = newest.get(parsed.dossier.dossierId);
        if (!known || known.at < at) newest.set(parsed.dossier.dossierId, { at, raw });
      });
      if (done) break;
      cursor = next;
    }
    expect(sim.dataset.insertedCount('44')).toBe(14);
    const truth = sim.dataset.listDossiers('44');
    expect(newest.size).toBe(truth.length);
    for (const t of truth) {
      const got = newest.get(t.MaHoSo as string);
      expect(got?.raw).toEqual(t);
    }
    expect(quarantined).toBeGreaterThanOrEqual(sim.dataset.malformedCount('44'));
  });
});
