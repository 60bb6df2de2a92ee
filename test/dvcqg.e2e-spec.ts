import { ScoringQueue } from '../src/scoring/scoring.queue';
import { DvcqgSimulator, createDvcqgSimulator } from './simulators/dvcqg/dvcqg.simulator';
import { toVietnamWallClock, vietnamWallClockToDate } from '../src/platform/time/vietnam-time';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { waitForRun, waitForSettled } from './support/pipeline';

interface EvidenceView {
  periodKey: string;
  metric: string;
  subject: string;
  numerator: number;
  denominator: number | null;
  value: number | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

describe('DVCQG evaluation API (Decision 766): dvcqg-evaluation connector, raw rows, flags, official scores, evidence', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: DvcqgSimulator;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createDvcqgSimulator({ seed: 1, provinces: ['44'] });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  async function backfill(id: string, from: string, to: string) {
    const res = await app.api.post(`/connectors/${id}/backfill`).send({ from, to }).expect(201);
    for (const run of res.body) {
      // a year of six endpoints, every unit subject and answer version written, on a shared machine
      const done = await waitForRun(app.api, run.id, 240_000);
      expect({ status: done.status, error: done.error }).toMatchObject({ status: 'succeeded' });
    }
    await waitForSettled(app.pool);
    return res.body as Array<{ id: string }>;
  }

  // province 44 is a placeholder in config/dvcqg/provinces.yaml: connectors name the simulator's identifiers
  const ids = () => sim.mapping()['44'];

  it('refuses a placeholder province without identifiers, saying what to fill in', async () => {
    const res = await app.api
      .post('/connectors')
      .send({ name: 'dvcqg-44-placeholder', kind: 'dvcqg-evaluation', baseUrl: sim.url, provinceCode: '44', credentials: {}, options: {} })
      .expect(400);
    expect((res.body.message as string[]).join('\n')).toMatch(/province 44 is a placeholder in config\/dvcqg\/provinces.yaml: fill in its rootDepartmentId and departmentCode/);
  });

  it('backfills 2025 for province 44: raw rows with nulls, official scores, flags, evidence equal to the portal’s', async () => {
    const created = await app.api
      .post('/connectors')
      .send({ name: 'dvcqg-44', kind: 'dvcqg-evaluation', baseUrl: sim.url, provinceCode: '44', credentials: {}, options: { backfillChunkDays: 366, pageSize: 20, ...ids() } })
      .expect(201);
    const runs = await backfill(created.body.id, '2025-01-01T00:00:00+07:00', '2026-01-01T00:00:00+07:00');
    expect(runs).toHaveLength(1);
    const root = sim.mapping()['44'].rootDepartmentId;
    const yearBody = { timeType: 'year', year: 2025, rootDepartmentId: root, currentPage: 1, pageSize: 200 };

    // 17 periods (year, 4 quarters, 12 months) × 6 endpoints; metric endpoints paged by 20
    const { rows: fetches } = await app.pool.query(`SELECT DISTINCT period_key, endpoint FROM dvcqg_fetch WHERE run_id = $1`, [runs[0].id]);
    expect(fetches).toHaveLength(17 * 6);

    // the province and every unit, for a metric endpoint and a tree endpoint
    const truth = sim.truth('transparency', yearBody);
    const { rows: units } = await app.pool.query(
      `SELECT department_id, department_code, is_root, total_score, total_max_score, run_id, raw_digest, position, page FROM dvcqg_unit
        WHERE province_code = '44' AND period_key = '2025' AND endpoint = 'transparency' AND formality_id = ''`,
    );
    expect(units).toHaveLength(1 + truth.pagination.total);
    const rootRow = units.find((u) => u.is_root);
    expect(rootRow).toMatchObject({ department_id: root, department_code: 'H44', position: -1, run_id: runs[0].id });
    expect(num(rootRow.total_score)).toBe(truth.overview.totalScore);
    expect(units.every((u) => typeof u.raw_digest === 'string' && u.raw_digest.length === 64)).toBe(true);
    expect(Math.max(...units.map((u) => u.page))).toBeGreaterThan(1);

    const tree = sim.truth('dvc-progress-tree', yearBody);
    const { rows: treeUnits } = await app.pool.query(
      `SELECT department_code, raw_params FROM dvcqg_unit WHERE province_code = '44' AND period_key = '2025' AND endpoint = 'dvc-progress-tree'`,
    );
    expect(treeUnits).toHaveLength(1 + tree.children.length);
    const child = tree.children[0];
    expect(treeUnits.find((u) => u.department_code === child.departmentCode)!.raw_params).toEqual({
      totalReceived: child.totalReceived,
      totalOnTime: child.totalOnTime,
      totalOverdue: child.totalOverdue,
      totalCompleted: child.totalCompleted,
      avgProcessingDays: child.avgProcessingDays,
    });

    // nulls kept: communes publish no procedures; informational metrics score null with maxScore 0
    const commune = truth.evaluation.find((u: { departmentLevel: string }) => u.departmentLevel === 'COMMUNE');
    const { rows: communeMetric } = await app.pool.query(
      `SELECT numerator, denominator, ratio, score, max_score, record FROM dvcqg_metric
        WHERE period_key = '2025' AND endpoint = 'transparency' AND department_id = $1 AND code = 'PUBLISH_ON_TIME'`,
      [commune.departmentId],
    );
    expect(communeMetric[0]).toMatchObject({ numerator: null, denominator: null, ratio: null, score: null });
    expect(communeMetric[0].record).toMatchObject({ numerator: null, score: null });
    const { rows: info } = await app.pool.query(
      `SELECT score, max_score, informational FROM dvcqg_metric WHERE period_key = '2025' AND is_root AND code = 'PETITION_CLASSIFICATION_STAFF'`,
    );
    expect(info[0]).toMatchObject({ score: null, informational: true });
    expect(num(info[0].max_score)).toBe(0);
    const { rows: nullDelta } = await app.pool.query(`SELECT count(*)::int AS n FROM dvcqg_unit WHERE score_delta IS NULL AND record ? 'scoreDelta'`);
    expect(nullDelta[0].n).toBeGreaterThan(0);

    // official scores: every metric of the overview, as published
    const { rows: official } = await app.pool.query(
      `SELECT code, score, max_score FROM dvcqg_metric WHERE period_key = '2025' AND endpoint = 'transparency' AND is_root ORDER BY code`,
    );
    for (const m of truth.overview.metrics) {
      expect(official.find((o) => o.code === m.code)).toMatchObject({ code: m.code });
      expect(num(official.find((o) => o.code === m.code)!.score)).toBe(m.score);
      expect(num(official.find((o) => o.code === m.code)!.max_score)).toBe(m.maxScore);
    }

    // data-quality flags: the same as the simulator put in its answers, for every period
    const { rows: flags } = await app.pool.query(`SELECT period_key, department_id, metric_code, flag_code, message FROM dvcqg_flag WHERE province_code = '44'`);
    let expectedFlags = 0;
    for (const { period_key } of fetches.filter((f) => f.endpoint === 'transparency')) {
      const m = /^(\d{4})(?:-Q(\d)|-(\d{2}))?$/.exec(period_key)!;
      const body = m[2] ? { timeType: 'quarter', year: 2025, quarter: +m[2] } : m[3] ? { timeType: 'month', year: 2025, month: +m[3] } : { timeType: 'year', year: 2025 };
      const t = sim.truth('transparency', { ...body, rootDepartmentId: root, currentPage: 1, pageSize: 500 });
      const sync = t.overview.metrics.find((x: { code: string }) => x.code === 'DOSSIER_SYNC');
      if (sync.dataQualityStatus) {
        expectedFlags += 1 + t.evaluation.filter((u: { metrics: Array<{ code: string; dataQualityStatus?: string }> }) => u.metrics.some((x) => x.code === 'DOSSIER_SYNC' && x.dataQualityStatus)).length;
        expect(flags.find((f) => f.period_key === period_key && f.department_id === root && f.metric_code === 'DOSSIER_SYNC')).toMatchObject({
          flag_code: sync.dataQualityStatus,
          message: sync.dataQualityMessage,
        });
      }
    }
    expect(expectedFlags).toBeGreaterThan(0);
    expect(flags).toHaveLength(expectedFlags);

    // evidence: dvcqg.PUBLISH_ON_TIME for 2025 as the portal publishes it, with its official score beside it
    const res = await app.api.get('/provinces/44/years/2025/evidence?subjects=true&periodKind=year').expect(200);
    const records = res.body.records as EvidenceView[];
    const publish = truth.overview.metrics.find((m: { code: string }) => m.code === 'PUBLISH_ON_TIME');
    expect(records.find((r) => r.metric === 'dvcqg.PUBLISH_ON_TIME' && r.subject === '')).toMatchObject({
      periodKey: '2025',
      numerator: publish.numerator,
      denominator: publish.denominator,
    });
    expect(records.find((r) => r.metric === 'dvcqg.PUBLISH_ON_TIME.official_score' && r.subject === '')).toMatchObject({ numerator: publish.score, value: publish.score });
    // a provincial department's figure, under its departmentId (the join key of all six endpoints)
    const dept = truth.evaluation.find((u: { departmentLevel: string }) => u.departmentLevel === 'PROVINCE');
    const deptPublish = dept.metrics.find((m: { code: string }) => m.code === 'PUBLISH_ON_TIME');
    expect(records.find((r) => r.metric === 'dvcqg.PUBLISH_ON_TIME' && r.subject === dept.departmentId)).toMatchObject({
      numerator: deptPublish.numerator,
      denominator: deptPublish.denominator,
    });
    // every published metric code of the year has its evidence, and the index total is there
    const published = ['transparency', 'dossier-digitized', 'handling-satisfaction'].flatMap((e) => sim.truth(e, { ...(e === 'handling-satisfaction' ? { fromDate: '2025-01-01', toDate: '2025-12-31' } : { timeType: 'year', year: 2025 }), rootDepartmentId: root }).overview.metrics);
    for (const m of published) {
      expect(records.find((r) => r.metric === `dvcqg.${m.code}` && r.subject === '')).toMatchObject({ numerator: m.numerator, denominator: m.denominator });
    }
    expect(records.find((r) => r.metric === 'dvcqg.PAYMENT_FORMALITY_ONLINE' && r.subject === '')).toBeDefined();
    expect(records.find((r) => r.metric === 'dvcqg.INDEX_TOTAL' && r.subject === '')?.denominator).toBe(100);

    // month evidence exists for every month of 2025
    const months = await app.api.get('/provinces/44/years/2025/evidence?periodKind=month').expect(200);
    const monthKeys = new Set((months.body.records as EvidenceView[]).filter((r) => r.metric === 'dvcqg.DOSSIER_SYNC').map((r) => r.periodKey));
    expect(monthKeys.size).toBe(12);
  }, 300_000);

  it('the Decision 766 catalogue reproduces the official scores from the raw parameters; a difference beyond 0.015 is a finding', async () => {
    await waitForSettled(app.pool);
    const res = await app.api.get('/provinces/44/years/2025/score-checks').expect(200);
    const checks = res.body as Array<{ catalogue: string; subCriterion: string; metric: string; computedPoints: number; officialPoints: number; difference: number; finding: boolean }>;
    const qd766 = checks.filter((c) => c.catalogue.startsWith('qd766'));
    expect(qd766.map((c) => c.subCriterion)).toEqual(expect.arrayContaining(['1.1', '1.2', '1.3', '4.1', '4.2', '4.3', '5.2', '5.3', '5.4']));
    for (const c of qd766) {
      expect({ sub: c.subCriterion, finding: c.finding }).toEqual({ sub: c.subCriterion, finding: false });
      expect(Math.abs(c.computedPoints - c.officialPoints)).toBeLessThanOrEqual(0.015);
    }

    // the portal publishes a different score for 1.1: both are kept, and the difference becomes a finding
    const { rows: official } = await app.pool.query(
      `SELECT * FROM evidence_record WHERE province_code = '44' AND period_key = '2025' AND metric = 'dvcqg.PUBLISH_ON_TIME.official_score' AND subject = '' ORDER BY version DESC LIMIT 1`,
    );
    await app.pool.query(
      `INSERT INTO evidence_record (computation_id, province_code, period_kind, period_key, year, metric, numerator, denominator, value, rule_version, version, content_digest, subject)
       VALUES ($1, '44', 'year', '2025', 2025, $2, $3, $4, $3, $5, $6, $7, '')`,
      [official[0].computation_id, official[0].metric, Number(official[0].numerator) + 1, official[0].denominator, official[0].rule_version, official[0].version + 1, 'f'.repeat(64)],
    );
    await app.pool.query(`INSERT INTO scoring_outbox (province_code, year) VALUES ('44', 2025) ON CONFLICT DO NOTHING`);
    await app.app.get(ScoringQueue).requestScoring('44', 2025);
    await waitForSettled(app.pool);
    const after = (await app.api.get('/provinces/44/years/2025/score-checks').expect(200)).body as typeof checks;
    const changed = after.find((c) => c.catalogue.startsWith('qd766') && c.subCriterion === '1.1')!;
    expect(changed.finding).toBe(true);
    expect(changed.officialPoints).toBeCloseTo(Number(official[0].numerator) + 1, 6);
    expect(changed.difference).toBeGreaterThan(0.015);
  });

  it('filters by procedure with formalityID on dossier-digitized (formalityId elsewhere, none to satisfaction); the running month is provisional', async () => {
    const now = new Date();
    const w = toVietnamWallClock(now);
    const from = w.month === 1 ? vietnamWallClockToDate(w.year - 1, 12, 1)! : vietnamWallClockToDate(w.year, w.month - 1, 1)!;
    const created = await app.api
      .post('/connectors')
      .send({
        name: 'dvcqg-44-procedure',
        kind: 'dvcqg-evaluation',
        baseUrl: sim.url,
        provinceCode: '44',
        credentials: {},
        options: { backfillChunkDays: 366, periods: ['month'], endpoints: ['transparency', 'dossier-digitized', 'handling-satisfaction'], formalities: ['2.000815'], ...ids() },
      })
      .expect(201);
    const before = sim.stats().log.length;
    const runs = await backfill(created.body.id, from.toISOString(), new Date(now.getTime() - 1000).toISOString());
    const log = sim.stats().log.slice(before);
    expect(log.every((l) => l.status === 201)).toBe(true);
    const procedure = sim.formalities().find((f) => f.code === '2.000815')!;
    const digitized = log.filter((l) => l.endpoint === 'dossier-digitized').map((l) => l.body as Record<string, unknown>);
    const transparency = log.filter((l) => l.endpoint === 'transparency').map((l) => l.body as Record<string, unknown>);
    expect(digitized.some((b) => b.formalityID === procedure.id)).toBe(true);
    expect(digitized.every((b) => !('formalityId' in b))).toBe(true);
    expect(transparency.some((b) => b.formalityId === procedure.id)).toBe(true);
    expect(transparency.every((b) => !('formalityID' in b))).toBe(true);
    // satisfaction takes no procedure filter: asked for all procedures only
    const satisfaction = log.filter((l) => l.endpoint === 'handling-satisfaction').map((l) => l.body as Record<string, unknown>);
    expect(satisfaction.length).toBeGreaterThan(0);
    expect(satisfaction.every((b) => !Object.keys(b).some((k) => /formality/i.test(k)))).toBe(true);
    // the previous month (closed, final) and the running one (provisional)
    const asked = new Set(log.filter((l) => l.endpoint === 'transparency').map((l) => `${(l.body as { year: number }).year}-${(l.body as { month: number }).month}`));
    expect([...asked].sort()).toEqual([`${toVietnamWallClock(from).year}-${toVietnamWallClock(from).month}`, `${w.year}-${w.month}`].sort());
    const { rows: statuses } = await app.pool.query(`SELECT DISTINCT period_key, status FROM dvcqg_answer_version WHERE run_id = $1 ORDER BY period_key`, [runs[0].id]);
    const pad = (m: number) => String(m).padStart(2, '0');
    expect(statuses).toEqual([
      { period_key: `${toVietnamWallClock(from).year}-${pad(toVietnamWallClock(from).month)}`, status: 'final' },
      { period_key: `${w.year}-${pad(w.month)}`, status: 'provisional' },
    ]);
    // the request bodies are stored with the rows; the filtered answer omits the aggregate metric
    const { rows } = await app.pool.query(`SELECT request_body FROM dvcqg_fetch WHERE run_id = $1 AND endpoint = 'dossier-digitized' AND formality_id <> ''`, [runs[0].id]);
    expect(rows[0].request_body).toMatchObject({ formalityID: procedure.id });
    const { rows: filtered } = await app.pool.query(
      `SELECT DISTINCT code FROM dvcqg_metric WHERE endpoint = 'dossier-digitized' AND formality_id = $1 AND is_root`,
      [procedure.id],
    );
    expect(filtered.map((r) => r.code)).not.toContain('CITIZEN_DATA_CONNECTED_FORMALITY');
    expect(filtered.length).toBe(6);
  });

  it('a test call fetches the newest closed month’s first page and stores nothing', async () => {
    const before = await app.pool.query('SELECT count(*)::int AS n FROM dvcqg_fetch');
    const res = await app.api
      .post('/connectors/test')
      .send({ name: 'dvcqg-try', kind: 'dvcqg-evaluation', baseUrl: sim.url, provinceCode: '44', credentials: {}, options: { ...ids() } })
      .expect(200);
    expect(res.body).toMatchObject({ endpoint: 'transparency', request: { timeType: 'month', rootDepartmentId: sim.mapping()['44'].rootDepartmentId } });
    expect(res.body.metrics.map((m: { code: string }) => m.code)).toEqual(['PUBLISH_ON_TIME', 'PUBLIC_UPDATE_ON_TIME', 'PUBLIC_CONTENT_FULL', 'DOSSIER_SYNC']);
    const after = await app.pool.query('SELECT count(*)::int AS n FROM dvcqg_fetch');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('rejects bad options, naming the field', async () => {
    const res = await app.api
      .post('/connectors')
      .send({ name: 'dvcqg-bad', kind: 'dvcqg-evaluation', baseUrl: sim.url, provinceCode: '44', credentials: {}, options: { periods: ['week'], pageSize: 0, surprise: 1 } })
      .expect(400);
    const text = (res.body.message as string[]).join('\n');
    expect(text).toMatch(/options\.periods/);
    expect(text).toMatch(/options\.pageSize/);
    expect(text).toMatch(/options\.surprise/);
  });

  it('a transient failure (429, busy envelope) is retried; a rejected body fails the run with the portal’s message', async () => {
    const created = await app.api
      .post('/connectors')
      .send({ name: 'dvcqg-44-faults', kind: 'dvcqg-evaluation', baseUrl: sim.url, provinceCode: '44', credentials: {}, options: { backfillChunkDays: 366, periods: ['quarter'], endpoints: ['dvc-progress-tree'], ...ids() } })
      .expect(201);
    sim.failNext('429');
    sim.failNext('busy');
    await backfill(created.body.id, '2025-01-01T00:00:00+07:00', '2025-04-01T00:00:00+07:00');
    expect(sim.stats().faultsApplied).toMatchObject({ '429': 1, busy: 1 });

    const wrong = await app.api
      .post('/connectors')
      .send({
        name: 'dvcqg-44-wrong-root',
        kind: 'dvcqg-evaluation',
        baseUrl: sim.url,
        provinceCode: '44',
        credentials: {},
        options: { backfillChunkDays: 366, periods: ['quarter'], endpoints: ['transparency'], rootDepartmentId: '00000000-0000-4000-8000-000000000000', departmentCode: 'H44' },
      })
      .expect(201);
    const res = await app.api.post(`/connectors/${wrong.body.id}/backfill`).send({ from: '2025-01-01T00:00:00+07:00', to: '2025-04-01T00:00:00+07:00' }).expect(201);
    const run = await waitForRun(app.api, res.body[0].id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('BAD_REQUEST');
    expect(run.error?.message).toMatch(/DEPARTMENT_NOT_FOUND/);
    expect(run.attempts).toBe(1);
  });
});
