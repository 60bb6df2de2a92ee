import { DvcqgSimulator, createDvcqgSimulator } from './dvcqg.simulator';

/** Decision 766 formulas (shared/domain/qd766.md), written again independently of the simulator. */
const FORMULA: Record<string, (n: number, d: number) => number | null> = {
  PUBLISH_ON_TIME: (n, d) => (d === 0 ? null : 6 * (n / d)),
  PUBLIC_UPDATE_ON_TIME: (n, d) => (d === 0 ? null : 4 * (n / d)),
  PUBLIC_CONTENT_FULL: (n, d) => (d === 0 ? null : 2 * (n / d)),
  DOSSIER_SYNC: (n, d) => (d === 0 ? null : 6 * (n / d)),
  ORIGINAL_RESULT_AVAILABLE: (n, d) => (d === 0 ? null : Math.min(6, 6 * (n / d))),
  SO_HOA_GIAY_TO_GIAI_QUYET: (n, d) => (d === 0 ? null : Math.min(4, 4 * (n / d))),
  REUSED_DIGITIZED_DATA: (n, d) => (d === 0 ? null : Math.min(2, (2 * (n / d)) / 0.8)),
  PETITION_PROCESSING_ON_TIME: (n, d) => (d === 0 ? 6 : 6 * (n / d)),
  PETITION_HANDLING_SATISFACTION: (n, d) => (d === 0 ? 6 : 6 * (n / d)),
  DOSSIER_RECEIVING_SATISFACTION: (n, d) => (d === 0 ? 0 : Math.min(6, (6 * (n / d)) / 0.9)),
  PETITION_CLASSIFICATION_TTHC: () => null,
  PETITION_CLASSIFICATION_STAFF: () => null,
};

describe('DVCQG evaluation simulator', () => {
  let sim: DvcqgSimulator;
  const now = new Date('2026-11-25T05:00:00Z');
  beforeAll(async () => {
    sim = await createDvcqgSimulator({ seed: 1, provinces: ['44', '79'], now: () => now });
  });
  afterAll(() => sim.close());

  const root = () => sim.mapping()['44'].rootDepartmentId;
  const post = async (endpoint: string, body: unknown) => {
    const res = await fetch(`${sim.url}/api/v1/reporting/evaluation/${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { code: string; data: any; message: string } };
  };

  it('answers HTTP 201 with the OK envelope, deterministic from the seed', async () => {
    const body = { timeType: 'quarter', year: 2025, quarter: 2, rootDepartmentId: root(), currentPage: 1, pageSize: 200 };
    const a = await post('transparency', body);
    expect(a.status).toBe(201);
    expect(a.json.code).toBe('OK');
    expect(a.json.data).toEqual(sim.truth('transparency', body));
    const other = await createDvcqgSimulator({ seed: 1, provinces: ['44'], now: () => now });
    try {
      expect(other.truth('transparency', body)).toEqual(a.json.data);
    } finally {
      await other.close();
    }
  });

  it('published scores follow the Decision 766 formulas from numerator and denominator, rounded to 2 decimals', () => {
    let checked = 0;
    for (const endpoint of ['transparency', 'dossier-digitized', 'handling-satisfaction']) {
      for (const month of [1, 6, 12]) {
        const period = endpoint === 'handling-satisfaction' ? { fromDate: `2025-${String(month).padStart(2, '0')}-01`, toDate: `2025-${String(month).padStart(2, '0')}-${new Date(Date.UTC(2025, month, 0)).getUTCDate()}` } : { timeType: 'month', year: 2025, month };
        const data = sim.truth(endpoint, { ...period, rootDepartmentId: root(), pageSize: 500 });
        for (const unit of [data.overview, ...data.evaluation]) {
          for (const m of unit.metrics) {
            if (m.numerator === null) {
              expect(m).toMatchObject({ denominator: null, ratio: null, score: null });
              continue;
            }
            const formula = FORMULA[m.code];
            if (!formula) continue; // 4.x, not reproduced: min(max, max × ratio) in the simulator
            const expected = formula(m.numerator, m.denominator);
            if (expected === null) expect(m.score).toBeNull();
            else expect(Math.abs(m.score - expected)).toBeLessThanOrEqual(0.005 + 1e-9);
            expect(m.ratio).toBe(m.denominator === 0 ? null : Math.round((10000 * m.numerator) / m.denominator) / 100);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('a quarter is the sum of its months; the province the sum of its units', () => {
    const q = sim.truth('dvc-progress-tree', { timeType: 'quarter', year: 2025, quarter: 1, rootDepartmentId: root() });
    const months = [1, 2, 3].map((month) => sim.truth('dvc-progress-tree', { timeType: 'month', year: 2025, month, rootDepartmentId: root() }));
    expect(q.parent.totalReceived).toBe(months.reduce((s, m) => s + m.parent.totalReceived, 0));
    expect(q.parent.totalOnTime).toBe(q.children.reduce((s: number, c: { totalOnTime: number }) => s + c.totalOnTime, 0));
    expect(q.parent.totalScore).toBe(Math.round((2000 * q.parent.totalOnTime) / q.parent.totalReceived) / 100);
    expect(q.children.some((c: { level: string }) => c.level === 'COMMUNE')).toBe(true);
    // a unit with zero dossiers: the portal publishes 0 for 2.1
    expect(q.children.find((c: { totalReceived: number }) => c.totalReceived === 0)).toMatchObject({ score: 0, maxScore: 20 });
    expect(q.children.some((c: { level: string }) => c.level === 'PROVINCE')).toBe(true);
  });

  it('pages the units of metric endpoints', async () => {
    const body = { timeType: 'year', year: 2025, rootDepartmentId: root(), pageSize: 20 };
    const first = await post('dossier-digitized', { ...body, currentPage: 1 });
    const { total, totalPages } = first.json.data.pagination;
    expect(totalPages).toBe(Math.ceil(total / 20));
    const last = await post('dossier-digitized', { ...body, currentPage: totalPages });
    expect(first.json.data.evaluation).toHaveLength(20);
    expect(last.json.data.evaluation).toHaveLength(total - 20 * (totalPages - 1));
  });

  it('checks the procedure filter spelling: formalityID for dossier-digitized, formalityId elsewhere', async () => {
    const id = sim.formalities()[0].id;
    const base = { timeType: 'month', year: 2025, month: 5, rootDepartmentId: root() };
    expect((await post('dossier-digitized', { ...base, formalityId: id })).json.code).toBe('INVALID_PARAMETER');
    expect((await post('transparency', { ...base, formalityID: id })).json.code).toBe('INVALID_PARAMETER');
    const ok = await post('dossier-digitized', { ...base, formalityID: id });
    expect(ok.status).toBe(201);
    expect(ok.json.data.overview.metrics.map((m: { code: string }) => m.code)).not.toContain('CITIZEN_DATA_CONNECTED_FORMALITY');
    expect((await post('transparency', { ...base, formalityId: id })).status).toBe(201);
    // handling-satisfaction ignores a procedure filter: the answer for all procedures
    const all = await post('handling-satisfaction', { fromDate: '2025-05-01', toDate: '2025-05-31', rootDepartmentId: root() });
    const filtered = await post('handling-satisfaction', { fromDate: '2025-05-01', toDate: '2025-05-31', rootDepartmentId: root(), formalityId: id });
    expect(filtered.json.data).toEqual(all.json.data);
  });

  it('one unit is one departmentId in every endpoint; metric answers carry no code; payment C is totalFeeDossierFormality', () => {
    const body = { timeType: 'year', year: 2025, rootDepartmentId: root(), pageSize: 500 };
    const tree = sim.truth('formality-online-payment-tree', body);
    const metric = sim.truth('dossier-digitized', body);
    expect(new Set(metric.evaluation.map((u: { departmentId: string }) => u.departmentId))).toEqual(new Set(tree.children.map((u: { departmentId: string }) => u.departmentId)));
    expect(metric.evaluation.every((u: object) => !('departmentCode' in u))).toBe(true);
    for (const c of tree.children) {
      const f = (n: number, d: number) => (d === 0 ? 0 : n / d);
      const expected = Math.min(10, 6 * f(c.totalDossierOnlinePaymentSuccess, c.totalDossierFinancialObligation) + Math.min(2, 2.5 * f(c.totalDossierOnlineFormalityPaymentSuccess, c.totalFeeFormality)) + 2.5 * f(c.totalFeeDossierFormality, c.totalFeeFormality));
      expect(Math.abs(c.score - expected)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    expect(tree.children.some((c: { totalDossierFinancialObligation: number; score: number }) => c.totalDossierFinancialObligation === 0 && c.score === 0)).toBe(true);
  });

  it('answers a running month with provisional figures that change; refuses a period not started, and bad periods', async () => {
    const body = { timeType: 'month', year: 2026, month: 11, rootDepartmentId: root() };
    const running = await post('dvc-progress-tree', body);
    expect(running.status).toBe(201);
    let later = new Date('2026-11-28T05:00:00Z');
    const moved = await createDvcqgSimulator({ seed: 1, provinces: ['44'], now: () => later });
    try {
      expect(moved.truth('dvc-progress-tree', body).parent.totalReceived).toBeGreaterThan(running.json.data.parent.totalReceived);
      later = new Date('2026-12-05T05:00:00Z');
      const closed = moved.truth('dvc-progress-tree', body).parent.totalReceived;
      later = new Date('2026-12-25T05:00:00Z');
      expect(moved.truth('dvc-progress-tree', body).parent.totalReceived).toBe(closed);
      // a revised closed month: new figures for it and its quarter
      const quarter = moved.truth('dvc-progress-tree', { timeType: 'quarter', year: 2026, quarter: 4, rootDepartmentId: root() }).parent.totalReceived;
      moved.revise('2026-11');
      expect(moved.truth('dvc-progress-tree', body).parent.totalReceived).not.toBe(closed);
      expect(moved.truth('dvc-progress-tree', { timeType: 'quarter', year: 2026, quarter: 4, rootDepartmentId: root() }).parent.totalReceived).not.toBe(quarter);
    } finally {
      await moved.close();
    }
    expect((await post('transparency', { timeType: 'month', year: 2026, month: 12, rootDepartmentId: root() })).json.code).toBe('PERIOD_NOT_STARTED');
    expect((await post('handling-satisfaction', { timeType: 'year', year: 2025, rootDepartmentId: root() })).json.code).toBe('INVALID_PERIOD');
    expect((await post('transparency', { timeType: 'week', year: 2025, rootDepartmentId: root() })).json.code).toBe('INVALID_PERIOD');
    expect((await post('transparency', { timeType: 'year', year: 2025, rootDepartmentId: 'nope' })).json.code).toBe('DEPARTMENT_NOT_FOUND');
  });

  it('flags sit on DOSSIER_SYNC of the overview and of every unit as dataQualityStatus / dataQualityMessage', () => {
    let flagged = 0;
    for (let month = 1; month <= 12; month++) {
      const data = sim.truth('transparency', { timeType: 'month', year: 2025, month, rootDepartmentId: root(), pageSize: 500 });
      const sync = data.overview.metrics.find((m: { code: string }) => m.code === 'DOSSIER_SYNC');
      if (!sync.dataQualityStatus) continue;
      flagged++;
      expect(['TEMP_NATIONAL_REPORT_DENOMINATOR', 'NO_NATIONAL_REPORT_DATA']).toContain(sync.dataQualityStatus);
      expect(sync.dataQualityMessage).toEqual(expect.any(String));
      for (const u of data.evaluation) {
        const own = u.metrics.find((m: { code: string }) => m.code === 'DOSSIER_SYNC');
        if (own.numerator !== null && own.denominator > 0) expect(own).toMatchObject({ dataQualityStatus: sync.dataQualityStatus, dataQualityMessage: sync.dataQualityMessage });
      }
    }
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(12);
  });

  it('serves the procedure catalogue with paging', async () => {
    const res = await fetch(`${sim.url}/api/v1/reporting/formalities`, { method: 'POST', body: JSON.stringify({ q: '2.000815', currentPage: 1, pageSize: 10 }) });
    expect(res.status).toBe(201);
    const json = (await res.json()) as { data: { items: Array<{ code: string; id: string; appliedDepartmentIds: string[] }>; totalPages: number } };
    expect(json.data.items[0]).toMatchObject({ code: '2.000815' });
    expect(json.data.items[0].appliedDepartmentIds).toContain(root());
  });
});
