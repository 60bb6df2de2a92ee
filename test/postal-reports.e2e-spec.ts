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
    sim = await createBcciSimulator({ seed: 11, provinces: ['44', '79', '01'], months: MONTHS, waybillsPerProvinceMonth: 250, badRowRate: 0.03 });
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
    // no one-stop-shop source reported these months: no reconciliation finding is made
    const findings = await app.api.get('/provinces/44/years/2025/findings').expect(200);
    expect(findings.body.findings).toEqual([]);
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

  it('a file that cannot be read is rejected with its reason and its bytes kept; the run goes on, succeeds with a warning; a corrected version supersedes it', async () => {
    ids['01'] = await register('01');
    const formats = await Promise.all(MONTHS.map(async (m) => [m, (await sim.files('01', m))[0].variant.format] as const));
    const xlsxMonth = formats.find(([, f]) => f === 'xlsx')![0];
    const others = MONTHS.filter((m) => m !== xlsxMonth);
    const broken: Record<string, 'truncated' | 'password' | 'wrong-report'> = { [xlsxMonth]: 'truncated', [others[0]]: 'password', [others[1]]: 'wrong-report' };
    for (const [month, how] of Object.entries(broken)) sim.breakFile('01', month, how);

    const run = await waitForRun(app.api, (await runNow(app.api, ids['01'])).id);
    expect(run.status).toBe('succeeded');
    expect(run.warnings).toBe(3);
    const { rows } = await app.pool.query(`SELECT month_key, status, error, digest, listed_sha256 FROM report_file WHERE province_code = '01' ORDER BY month_key`);
    expect(rows.map((r) => [r.month_key, r.status])).toEqual(MONTHS.map((m) => [m, broken[m] ? 'rejected' : 'loaded']));
    const reason = (m: string) => rows.find((r) => r.month_key === m).error as string;
    expect(reason(xlsxMonth)).toMatch(/truncated or damaged/);
    expect(reason(others[0])).toMatch(/password-protected/);
    expect(reason(others[1])).toMatch(/waybillId/);
    for (const r of rows) {
      expect(r.digest).toBe(r.listed_sha256);
      await app.api.get(`/raw-payloads/${r.digest}`).expect(200); // the bytes of rejected files are kept too
    }
    for (const m of MONTHS.filter((x) => !broken[x])) expect(await currentRows('01', m)).toHaveLength(sim.truth('01', m).rows.length);

    // the operator sees it: warnings in the run's step log, with the file and the reason
    const steps = (await app.api.get(`/runs/${run.id}/steps`).expect(200)).body as Array<{ kind: string; message: string; detail: Record<string, unknown> }>;
    const warnings = steps.filter((s) => s.kind === 'warning');
    expect(warnings.map((w) => w.detail.month).sort()).toEqual(Object.keys(broken).sort());
    expect(warnings.find((w) => w.detail.month === others[0])!.message).toMatch(/rejected: .*password-protected/);
    expect(steps.filter((s) => s.kind === 'file')).toHaveLength(MONTHS.length - 3);
    expect(steps[0].kind).toBe('start');
    expect(steps[steps.length - 1]).toMatchObject({ kind: 'finish', message: 'succeeded' });

    // the same bytes listed again are not tried again; a corrected version supersedes the rejected one
    expect(sim.addCorrection('01', xlsxMonth)).toBe(2);
    // backfill dates without a time are Vietnam dates, like scheduled windows
    const [y, m] = xlsxMonth.split('-').map(Number);
    const to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const again = await app.api.post(`/connectors/${ids['01']}/backfill`).send({ from: `${xlsxMonth}-01`, to }).expect(201);
    expect(again.body).toHaveLength(1);
    expect(new Date(again.body[0].windowFrom)).toEqual(new Date(`${xlsxMonth}-01T00:00:00+07:00`));
    expect(new Date(again.body[0].windowTo)).toEqual(new Date(`${to}T00:00:00+07:00`));
    const second = await waitForRun(app.api, again.body[0].id);
    expect(second).toMatchObject({ status: 'succeeded', warnings: 0 });
    expect(second.counts.pages).toBe(1); // the new version only
    const current = await currentRows('01', xlsxMonth);
    expect(current).toHaveLength(sim.truth('01', xlsxMonth).rows.length);
    expect(new Set(current.map((r) => r.version))).toEqual(new Set([2]));
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
