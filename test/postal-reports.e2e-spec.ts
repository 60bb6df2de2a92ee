import { BcciSimulator, createBcciSimulator } from './simulators/vnpost-bcci/bcci.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { runNow, waitForRun, waitForSettled } from './support/pipeline';

const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];

/** VNPost BCCI reports end to end: listing, download, digest check, parsing, quarantine, versions, evidence. */
describe('VNPost BCCI report connector', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: BcciSimulator;
  const prefix = testQueuePrefix();
  const ids: Record<string, string> = {};

  async function register(provinceCode: string): Promise<string> {
    const res = await app.api
      .post('/connectors')
      .send({
        name: `bcci-${provinceCode}`,
        kind: 'vnpost-bcci',
        baseUrl: sim.url,
        provinceCode,
        credentials: { apiKey: 'demo-bcci-key' },
        options: { initialSyncFrom: '2025-01-01', lagSeconds: 0, lookbackMonths: 0, batchRows: 100 },
      })
      .expect(201);
    return res.body.id;
  }

  async function currentRows(province: string, month: string) {
    const { rows } = await app.pool.query(
      `SELECT w.direction, w.waybill_id, w.status, w.version FROM report_month m
         JOIN waybill w ON w.province_code = m.province_code AND w.month_key = m.month_key AND w.version = m.current_version
        WHERE m.province_code = $1 AND m.month_key = $2`,
      [province, month],
    );
    return rows;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createBcciSimulator({ seed: 11, provinces: ['44', '79'], months: MONTHS, waybillsPerProvinceMonth: 250, badRowRate: 0.03 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    ids['44'] = await register('44');
    ids['79'] = await register('79');
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('loads every month: one row per waybill and direction, bad rows quarantined with sheet and row number', async () => {
    const run = await waitForRun(app.api, (await runNow(app.api, ids['44'])).id);
    expect(run.status).toBe('succeeded');
    for (const month of MONTHS) {
      const truth = sim.truth('44', month);
      const rows = await currentRows('44', month);
      expect(rows).toHaveLength(truth.rows.length);
      const { rows: bad } = await app.pool.query(
        `SELECT q.raw_position, q.reason_code, q.sheet, f.file_name FROM quarantine_record q JOIN report_file f ON f.digest = q.raw_digest
          WHERE f.province_code = '44' AND f.month_key = $1 AND q.entity = 'waybill' ORDER BY q.raw_position`,
        [month],
      );
      expect(bad.map((b) => [b.raw_position, b.reason_code])).toEqual(truth.badRows.map((b) => [b.rowNumber, b.reason]).sort((a, b) => Number(a[0]) - Number(b[0])));
      for (const b of bad) expect(b.sheet).toBeTruthy(); // the worksheet (XLSX) or the file name (CSV)
    }
    // every format and encoding went through the database path, with title rows, totals rows and header variants
    const { rows: seen } = await app.pool.query(`SELECT DISTINCT format, encoding FROM report_file WHERE province_code = '44'`);
    expect(seen.map((r) => `${r.format}/${r.encoding ?? '-'}`).sort()).toEqual(['csv/utf-8-bom', 'csv/windows-1258', 'xlsx/-']);
    const variants = MONTHS.map((m) => sim.truth('44', m).variant as unknown as Record<string, unknown>);
    expect(new Set(variants.map((v) => JSON.stringify(v.headers ?? v.headerStyle))).size).toBeGreaterThan(2);
    const { rows: headerRows } = await app.pool.query(`SELECT DISTINCT header_row FROM report_file WHERE province_code = '44'`);
    expect(headerRows.length).toBeGreaterThan(1); // files with and without title rows
    const { rows: files } = await app.pool.query(`SELECT status, digest, listed_sha256, format, encoding FROM report_file WHERE province_code = '44'`);
    expect(files).toHaveLength(MONTHS.length);
    for (const f of files) {
      expect(f.status).toBe('loaded');
      expect(f.digest).toBe(f.listed_sha256);
    }
    expect(run.counts.normalised + run.counts.quarantined).toBe(run.counts.fetched);
  });

  it('computes postal evidence per province, month and procedure from the current versions', async () => {
    await waitForSettled(app.pool);
    const res = await app.api.get('/provinces/44/years/2025/evidence?subjects=true').expect(200);
    const records = res.body.records as Array<{ periodKey: string; metric: string; subject: string; numerator: number; denominator: number | null; value: number | null; status: string }>;
    for (const month of MONTHS) {
      const truth = sim.truth('44', month);
      const submissions = truth.rows.filter((r) => r.direction === 'submission');
      const got = records.find((r) => r.periodKey === month && r.metric === 'postal.submissions' && r.subject === '');
      expect(got).toMatchObject({ numerator: submissions.length, value: submissions.length, status: 'ok' });
      const ended = truth.rows.filter((r) => r.direction === 'result' && (r.status === 'delivered' || r.status === 'returned'));
      const rate = records.find((r) => r.periodKey === month && r.metric === 'postal.result_delivery_rate' && r.subject === '');
      expect(rate?.denominator).toBe(ended.length === 0 ? null : ended.length);
      expect(rate?.numerator).toBe(ended.filter((r) => r.status === 'delivered').length);
    }
    const quarter = records.find((r) => r.periodKey === '2025-Q1' && r.metric === 'postal.results' && r.subject === '');
    expect(quarter?.numerator).toBe(['2025-01', '2025-02', '2025-03'].reduce((a, m) => a + sim.truth('44', m).rows.filter((r) => r.direction === 'result').length, 0));
    expect(records.some((r) => r.subject !== '' && r.metric === 'postal.submissions')).toBe(true);
  });

  it('a corrected file version replaces the month; the earlier version stays reachable', async () => {
    const version = sim.addCorrection('44', '2025-02');
    expect(version).toBe(2);
    // the operator re-checks February (scheduled runs re-list the last `lookbackMonths` months by themselves)
    const backfill = await app.api
      .post(`/connectors/${ids['44']}/backfill`)
      .send({ from: '2025-02-01T00:00:00+07:00', to: '2025-03-01T00:00:00+07:00' })
      .expect(201);
    expect(backfill.body).toHaveLength(1);
    const run = await waitForRun(app.api, backfill.body[0].id);
    expect(run.status).toBe('succeeded');
    expect(run.counts.pages).toBe(1); // only the new version was downloaded
    const rows = await currentRows('44', '2025-02');
    expect(rows).toHaveLength(sim.truth('44', '2025-02').rows.length);
    expect(new Set(rows.map((r) => r.version))).toEqual(new Set([2]));
    const { rows: old } = await app.pool.query(`SELECT count(*)::int AS n FROM waybill WHERE province_code = '44' AND month_key = '2025-02' AND version = 1`);
    expect(old[0].n).toBeGreaterThan(0);
    await waitForSettled(app.pool);
    const { rows: versions } = await app.pool.query(
      `SELECT max(version) AS v FROM evidence_record WHERE province_code = '44' AND period_key = '2025-02' AND metric = 'postal.submissions' AND subject = ''`,
    );
    expect(Number(versions[0].v)).toBeGreaterThanOrEqual(1);
    const { rows: latest } = await app.pool.query(
      `SELECT numerator FROM evidence_record WHERE province_code = '44' AND period_key = '2025-02' AND metric = 'postal.submissions' AND subject = '' ORDER BY version DESC LIMIT 1`,
    );
    expect(Number(latest[0].numerator)).toBe(sim.truth('44', '2025-02').rows.filter((r) => r.direction === 'submission').length);
  });

  it('a file whose bytes do not match the listed SHA-256 fails with the reason and keeps the bytes; the other months load', async () => {
    sim.corruptDigest('79', '2025-01');
    const run = await waitForRun(app.api, (await runNow(app.api, ids['79'])).id);
    expect(run.status).toBe('succeeded');
    const { rows } = await app.pool.query(`SELECT month_key, status, error, digest, listed_sha256 FROM report_file WHERE province_code = '79' ORDER BY month_key`);
    expect(rows.map((r) => [r.month_key, r.status])).toEqual(MONTHS.map((m) => [m, m === '2025-01' ? 'digest_mismatch' : 'loaded']));
    expect(rows[0].error).toMatch(/listing announced/);
    expect(rows[0].digest).not.toBe(rows[0].listed_sha256);
    await app.api.get(`/raw-payloads/${rows[0].digest}`).expect(200);
    expect(await currentRows('79', '2025-01')).toHaveLength(0);
  });

  it('refuses a wrong API key as a permanent failure', async () => {
    const res = await app.api
      .post('/connectors')
      .send({ name: 'bcci-bad', kind: 'vnpost-bcci', baseUrl: sim.url, provinceCode: '79', credentials: { apiKey: 'nope' }, options: { initialSyncFrom: '2025-01-01', lagSeconds: 0 }, allowDuplicate: true })
      .expect(201);
    const run = await waitForRun(app.api, (await runNow(app.api, res.body.id)).id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('AUTH_FAILED');
    expect(run.attempts).toBe(1);
  });
});
