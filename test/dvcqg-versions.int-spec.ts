import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { DvcqgUnitRow } from '../src/connectors/dvcqg/dvcqg-response';
import { recordAnswerVersion, upsertSubjects } from '../src/connectors/dvcqg/dvcqg-versions.writer';
import { parsePeriodKey } from '../src/platform/time/vietnam-time';
import { createTestDatabase } from './support/test-database';

/** Units as versioned subjects and answers as versions (provisional → final → revised), on PostgreSQL. */
describe('DVCQG subjects and answer versions', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  const run = randomUUID();
  const connector = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url });
    await pool.query(`INSERT INTO connector (id, name, kind, base_url, province_code) VALUES ($1, 'v', 'dvcqg-evaluation', 'http://x', '25')`, [connector]);
    await pool.query(`INSERT INTO connector_run (id, connector_id, config_version, trigger, window_from, window_to, status, job_id) VALUES ($1, $2, 1, 'backfill', now() - interval '1 day', now(), 'running', $3)`, [run, connector, `job-${run}`]);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const tx = async <T>(work: (c: PoolClient) => Promise<T>) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const r = await work(c);
      await c.query('COMMIT');
      return r;
    } finally {
      c.release();
    }
  };
  const unit = (over: Partial<DvcqgUnitRow>): DvcqgUnitRow => ({
    root: false, departmentId: 'u1', departmentCode: null, departmentName: null, departmentType: null, departmentLevel: null, agencyLevel: null, level: null,
    stt: null, totalScore: null, totalMaxScore: null, ratio: null, scoreDelta: null, rawParams: null, record: {}, position: 0, ...over,
  });
  const versions = async () => (await pool.query(`SELECT version, department_code, level, department_type, tree_name, metric_name, valid_to IS NULL AS current FROM dvcqg_subject WHERE department_id = 'u1' ORDER BY version`)).rows;

  it('joins the attributes of tree and metric answers in one version; a rename is a new version; an older period never rewrites', async () => {
    const aug = parsePeriodKey('2026-08')!;
    await tx((c) => upsertSubjects(c, '25', aug, 'transparency', run, [unit({ departmentName: 'UBND xã A', departmentType: 'COMMUNE', departmentLevel: 'COMMUNE' })]));
    await tx((c) => upsertSubjects(c, '25', aug, 'dvc-progress-tree', run, [unit({ departmentName: 'UBND xã A', departmentCode: 'H44.104', level: 'COMMUNE' })]));
    expect(await versions()).toEqual([{ version: 1, department_code: 'H44.104', level: 'COMMUNE', department_type: 'COMMUNE', tree_name: 'UBND xã A', metric_name: 'UBND xã A', current: true }]);
    const sep = parsePeriodKey('2026-09')!;
    await tx((c) => upsertSubjects(c, '25', sep, 'dvc-progress-tree', run, [unit({ departmentName: 'UBND xã A mới', departmentCode: 'H44.104', level: 'COMMUNE' })]));
    const after = await versions();
    expect(after.map((v) => [v.version, v.tree_name, v.current])).toEqual([[1, 'UBND xã A', false], [2, 'UBND xã A mới', true]]);
    expect(after[1]).toMatchObject({ department_code: 'H44.104', department_type: 'COMMUNE' });
    // a backfill of July with the old name changes nothing
    await tx((c) => upsertSubjects(c, '25', parsePeriodKey('2026-07')!, 'dvc-progress-tree', run, [unit({ departmentName: 'UBND xã A', departmentCode: 'H44.104', level: 'COMMUNE' })]));
    expect(await versions()).toEqual(after);
  });

  it('an answer is provisional while its period runs, final after it closed, and a changed closed answer is a new version', async () => {
    const period = parsePeriodKey('2026-11')!;
    const k = { provinceCode: '25', period, endpoint: 'dvc-progress-tree', formalityId: '' };
    await pool.query(`INSERT INTO raw_payload (digest, body, size) VALUES ($1, '\\x7b7d', 2)`, ['a'.repeat(64)]);
    const store = async (received: number) => {
      await pool.query(`DELETE FROM dvcqg_unit WHERE period_key = '2026-11'`);
      await pool.query(
        `INSERT INTO dvcqg_unit (province_code, period_kind, period_key, endpoint, department_id, is_root, raw_params, record, connector_id, run_id, raw_digest, page, position)
         VALUES ('25', 'month', '2026-11', 'dvc-progress-tree', 'u1', false, $1, '{}', $2, $3, $4, 1, 0)`,
        [JSON.stringify({ totalReceived: received }), connector, run, 'a'.repeat(64)],
      );
    };
    const during = new Date('2026-11-20T00:00:00Z');
    const after = new Date('2026-12-02T00:00:00Z');
    await store(10);
    expect(await tx((c) => recordAnswerVersion(c, k, run, during))).toEqual({ version: 1, status: 'provisional', change: 'new', revisesFinal: false });
    await store(12);
    expect(await tx((c) => recordAnswerVersion(c, k, run, during))).toEqual({ version: 2, status: 'provisional', change: 'changed', revisesFinal: false });
    expect(await tx((c) => recordAnswerVersion(c, k, run, after))).toEqual({ version: 2, status: 'final', change: 'finalised', revisesFinal: false });
    expect(await tx((c) => recordAnswerVersion(c, k, run, after))).toMatchObject({ version: 2, change: 'unchanged' });
    await store(13);
    expect(await tx((c) => recordAnswerVersion(c, k, run, after))).toEqual({ version: 3, status: 'final', change: 'changed', revisesFinal: true });
    const { rows } = await pool.query(`SELECT version, status, revises_final, snapshot->'units'->0->'rawParams'->>'totalReceived' AS received FROM dvcqg_answer_version ORDER BY version`);
    expect(rows).toEqual([
      { version: 1, status: 'provisional', revises_final: false, received: '10' },
      { version: 2, status: 'final', revises_final: false, received: '12' },
      { version: 3, status: 'final', revises_final: true, received: '13' },
    ]);
  });
});
