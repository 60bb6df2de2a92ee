import * as bcciValues from '../src/connectors/vnpost-bcci/bcci-values';
import { insertQuarantine } from '../src/connectors/quarantine/quarantine.writer';
import { BcciSimulator, createBcciSimulator } from './simulators/vnpost-bcci/bcci.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { runNow, waitForRun } from './support/pipeline';

const MONTHS = ['2025-01', '2025-02'];

interface Item {
  id: number;
  reasonCode: string;
  recordKey: string | null;
  rawDigest: string;
  rawPosition: number;
  seenCount: number;
  status: string;
  outcome: string | null;
  triageNote: string | null;
  triagedBy: string | null;
}

/** Quarantine identity (a re-send counts, it adds no row) and triage: totals, reject with a note, release. */
describe('quarantine identity and triage', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: BcciSimulator;
  let connectorId: string;
  let firstRunId: string;
  const prefix = testQueuePrefix();

  const list = async (query: string): Promise<Item[]> => (await app.api.get(`/quarantine?connectorId=${connectorId}&limit=1000&${query}`).expect(200)).body.items;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createBcciSimulator({ seed: 21, provinces: ['44'], months: MONTHS, waybillsPerProvinceMonth: 150, badRowRate: 0.15 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    const res = await app.api
      .post('/connectors')
      .send({ name: 'bcci-44', kind: 'vnpost-bcci', baseUrl: sim.url, provinceCode: '44', credentials: { apiKey: 'demo-bcci-key' }, options: { initialSyncFrom: '2025-01-01', lagSeconds: 0, lookbackMonths: 0 } })
      .expect(201);
    connectorId = res.body.id;
    const run = await waitForRun(app.api, (await runNow(app.api, connectorId)).id);
    expect(run.status).toBe('succeeded');
    firstRunId = run.id;
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('counts a bad record received again in another shape instead of storing it twice', async () => {
    const before = await list('');
    const { rows: digests } = await app.pool.query(`SELECT digest FROM report_file WHERE connector_id = $1 ORDER BY month_key`, [connectorId]);
    const record = { waybillId: 'EB999000111VN', direction: 'Chiều ngang', acceptedAt: '05/01/2025 08:30', postage: '25000' };
    const again = { postage: 25000, acceptedAt: '2025-01-05T08:30:00', direction: ' CHIỀU  NGANG ', waybillId: 'EB999000111VN' };
    const entry = (r: unknown, position: number) => ({ entity: 'waybill', position, recordKey: 'EB999000111VN', record: r, reason: 'UNKNOWN_CODE', field: 'direction', detail: 'unknown direction' });
    const client = await app.pool.connect();
    try {
      expect(await insertQuarantine(client, '44', [entry(record, 7)], { connectorId, runId: firstRunId, rawDigest: digests[0].digest })).toBe(1);
      // another file (a re-send, numbers as numbers, another date format): seen again
      expect(await insertQuarantine(client, '44', [entry(again, 9)], { connectorId, runId: firstRunId, rawDigest: digests[1].digest })).toBe(0);
      // the same payload replayed (a resumed run): not counted twice
      expect(await insertQuarantine(client, '44', [entry(again, 9)], { connectorId, runId: firstRunId, rawDigest: digests[1].digest })).toBe(0);
    } finally {
      client.release();
    }
    const after = await list('');
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((i) => i.recordKey === 'EB999000111VN')).toMatchObject({ seenCount: 2, status: 'open' });
  });

  it('totals per reason, rejects in bulk by reason and period with a note, audited', async () => {
    const totals = (await app.api.get(`/quarantine/totals?connectorId=${connectorId}`).expect(200)).body as Array<{ reasonCode: string; open: number; records: number; seen: number }>;
    const open = await list('status=open');
    for (const t of totals) expect(t.open).toBe(open.filter((i) => i.reasonCode === t.reasonCode).length);
    const missing = open.filter((i) => i.reasonCode === 'MISSING_ID');
    expect(missing.length).toBeGreaterThan(0);
    await app.api.post('/quarantine/reject').send({ reasonCode: 'MISSING_ID', connectorId }).expect(400); // a note is required
    await app.api.post('/quarantine/reject').send({ note: 'everything' }).expect(400); // ids or a reason
    const res = await app.api.post('/quarantine/reject').send({ reasonCode: 'MISSING_ID', connectorId, from: '2020-01-01', to: '2099-01-01', note: 'rows without waybill id: nothing to match' }).expect(200);
    expect(res.body.rejected).toBe(missing.length);
    const rejected = await list('status=rejected');
    expect(rejected.map((i) => i.id).sort()).toEqual(missing.map((i) => i.id).sort());
    expect(rejected[0]).toMatchObject({ triageNote: 'rows without waybill id: nothing to match', triagedBy: expect.any(String) });
    const after = (await app.api.get(`/quarantine/totals?connectorId=${connectorId}`).expect(200)).body as Array<{ reasonCode: string; open: number; rejected: number }>;
    expect(after.find((t) => t.reasonCode === 'MISSING_ID')).toMatchObject({ open: 0, rejected: missing.length });
    const { rows: audit } = await app.pool.query(`SELECT outcome FROM audit_event WHERE method = 'POST' AND path LIKE '/quarantine/reject%' ORDER BY id`);
    expect(audit.map((a) => a.outcome)).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('releases records after a mapping fix: they go through the normal path; used ones are resolved, the others open again', async () => {
    const unknown = (await list('status=open')).filter((i) => i.reasonCode === 'UNKNOWN_CODE' && i.recordKey !== 'EB999000111VN');
    const invalid = (await list('status=open')).filter((i) => i.reasonCode === 'INVALID_DATE');
    expect(unknown.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
    const { rows: before } = await app.pool.query(`SELECT count(*)::int AS n FROM waybill WHERE province_code = '44'`);
    // the mapping fix: "Chiều ngang" is now read as a submission (a new spelling taught to the reader)
    const readDirection = bcciValues.readDirection;
    const spy = jest.spyOn(bcciValues, 'readDirection').mockImplementation((text: string) => (/ngang/i.test(text) ? 'submission' : readDirection(text)));
    try {
      const res = await app.api.post('/quarantine/release').send({ ids: [...unknown, ...invalid].map((i) => i.id), note: 'direction spelling added' }).expect(200);
      expect(res.body.released).toBe(unknown.length + invalid.length);
      expect(res.body.runs.length).toBeGreaterThan(0);
      for (const r of res.body.runs) expect((await waitForRun(app.api, r.id)).status).toBe('succeeded');
    } finally {
      spy.mockRestore();
    }
    const byId = new Map((await list('')).map((i) => [i.id, i]));
    for (const i of unknown) expect(byId.get(i.id)).toMatchObject({ status: 'resolved', outcome: expect.stringMatching(/^used by run /) });
    for (const i of invalid) expect(byId.get(i.id)).toMatchObject({ status: 'open', seenCount: 2, outcome: 'quarantined again after release' });
    const { rows: after } = await app.pool.query(`SELECT count(*)::int AS n FROM waybill WHERE province_code = '44'`);
    expect(after[0].n).toBe(before[0].n + unknown.length);
    const { rows: files } = await app.pool.query(`SELECT count(*)::int AS n FROM report_file WHERE connector_id = $1 AND reload_requested_at IS NOT NULL`, [connectorId]);
    expect(files[0].n).toBe(0);
  });
});
