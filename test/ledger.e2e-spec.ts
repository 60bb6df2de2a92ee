import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import request from 'supertest';
import { TransparencyLogService } from '../src/ledger/transparency-log.service';
import { parseCheckpoint, parseSignedNote, verifiedSigners, verifyConsistency, verifyInclusion, verifyPack } from '../src/ledger/verifier/ledger-verifier';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { ingestOneStopShop, waitForSettled } from './support/pipeline';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { createTestDatabase } from './support/test-database';

const OWN = '79';
const run = promisify(execFile);
const b64 = (s: string) => Buffer.from(s, 'base64');

describe('transparency log: facts, signed checkpoints, proofs, tamper detection, offline pack', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  let auditor: Api;
  let officerOther: Api;
  /** a database administrator's session: not the service's connection, so nothing it writes is logged */
  let dba: Client;
  let log: TransparencyLogService;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 11, provinces: [OWN], dossiersPerProvince: 120, year: 2025, malformedRate: 0 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    auditor = await app.as('auditor');
    officerOther = await app.as('officer', '01');
    await ingestOneStopShop(app.api, OWN, sim.url);
    await waitForSettled(app.pool);
    log = app.app.get(TransparencyLogService);
    await log.appendPending();
    dba = new Client({ connectionString: db.url });
    await dba.connect();
  }, 180_000);

  afterAll(async () => {
    await dba?.end();
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  const one = async (sql: string, params: unknown[] = []) => (await app.pool.query(sql, params)).rows[0];
  const check = async () => (await auditor.post('/ledger/tamper-check').expect(200)).body as { findings: Array<{ kind: string; key: string; problem: string; detail: string }>; rowsChecked: number };

  it('logs every stored fact once, with a leaf that re-derives from its row', async () => {
    const counts = await one(`SELECT (SELECT count(*) FROM score)::int AS scores, (SELECT count(*) FROM evidence_record)::int AS evidence,
        (SELECT count(*) FROM raw_payload)::int AS raw, (SELECT count(*) FROM ledger_leaf WHERE kind = 'score')::int AS score_leaves,
        (SELECT count(*) FROM ledger_leaf WHERE kind = 'evidence_record')::int AS evidence_leaves,
        (SELECT count(*) FROM ledger_leaf WHERE kind = 'raw_payload')::int AS raw_leaves`);
    expect(counts.scores).toBeGreaterThan(10);
    // the scoring batches signed checkpoints by themselves, and logged the catalogue versions they scored with
    const signed = await one(`SELECT count(*)::int AS n, max(tree_size)::int AS size FROM ledger_checkpoint`);
    expect(signed.n).toBeGreaterThanOrEqual(1);
    expect(signed.size).toBeGreaterThan(counts.scores);
    expect((await one(`SELECT count(*)::int AS n FROM ledger_leaf WHERE kind = 'catalogue_version'`)).n).toBeGreaterThanOrEqual(1);
    expect(counts.score_leaves).toBe(counts.scores);
    expect(counts.evidence_leaves).toBe(counts.evidence);
    expect(counts.raw_leaves).toBe(counts.raw);
    const leaf = JSON.parse((await one(`SELECT leaf FROM ledger_leaf WHERE kind = 'score' ORDER BY idx LIMIT 1`)).leaf);
    expect(Object.keys(leaf)).toEqual(['fact', 'kind', 'v']);
    expect(leaf.fact).toMatchObject({ province_code: OWN });
    expect(typeof leaf.fact.max_points).toBe('string');
    const result = await check();
    expect(result.rowsChecked).toBeGreaterThan(counts.scores + counts.evidence);
    expect(result.findings).toEqual([]);
    // appending again changes nothing (idempotent per fact version)
    expect((await log.appendPending()).appended).toBe(0);
  });

  it('serves a signed checkpoint and inclusion proofs that verify against it; province data stays hidden', async () => {
    const cp = (await auditor.get('/ledger/checkpoint').expect(200)).body;
    expect(verifiedSigners(cp.note, cp.publicKeys)).toHaveLength(1);
    const body = parseCheckpoint(parseSignedNote(cp.note).text);
    expect(Number(body.size)).toBe(cp.treeSize);
    const score = await one(`SELECT id FROM score WHERE province_code = $1 ORDER BY id DESC LIMIT 1`, [OWN]);
    const evidence = await one(`SELECT id FROM evidence_record WHERE province_code = $1 ORDER BY id LIMIT 1`, [OWN]);
    const digest = (await one(`SELECT digest FROM raw_payload ORDER BY digest LIMIT 1`)).digest;
    for (const path of [`/scores/${score.id}/inclusion-proof`, `/evidence/${evidence.id}/inclusion-proof`, `/raw-payloads/${digest}/inclusion-proof`]) {
      const p = (await auditor.get(path).expect(200)).body;
      const root = parseCheckpoint(parseSignedNote(p.checkpoint.note).text).rootHash;
      expect(verifyInclusion(p.index, p.treeSize, b64(p.leafHash), p.proof.map(b64), root)).toBe(true);
      expect(verifyInclusion(p.index, p.treeSize, b64(p.leafHash), p.proof.slice(1).map(b64), root)).toBe(false);
      await officerOther.get(path).expect(404);
    }
  });

  it('proves that a later checkpoint extends an earlier one (appended facts, e.g. a publication)', async () => {
    const first = (await auditor.get('/ledger/checkpoint').expect(200)).body;
    await log.append('publication', `${OWN}-2025-test`, { province_code: OWN, year: 2025, published_by: 'test' });
    await log.append('publication', `${OWN}-2025-test`, { province_code: OWN, year: 2025, published_by: 'test' });
    expect((await log.appendPending()).appended).toBe(1);
    const second = (await auditor.get('/ledger/checkpoint').expect(200)).body;
    expect(second.treeSize).toBe(first.treeSize + 1);
    const c = (await auditor.get(`/ledger/consistency?first=${first.treeSize}&second=${second.treeSize}`).expect(200)).body;
    expect(verifyConsistency(first.treeSize, second.treeSize, c.proof.map(b64), b64(first.rootHash), b64(second.rootHash))).toBe(true);
    expect(verifyConsistency(first.treeSize, second.treeSize, c.proof.map(b64), b64(second.rootHash), b64(second.rootHash))).toBe(false);
    await auditor.get(`/ledger/consistency?first=${second.treeSize}&second=${first.treeSize}`).expect(404);
    await auditor.get(`/ledger/consistency?first=abc&second=1`).expect(400);
  });

  it('logs a publication of results with the table it published, provably', async () => {
    const published = (await app.api.post('/results/2025/publish').expect((r) => expect(r.status).toBeLessThan(300))).body;
    const leaf = await one(`SELECT fact_key, leaf FROM ledger_leaf WHERE kind = 'results_publication'`);
    expect(leaf.fact_key).toBe(`2025@${new Date(published.publishedAt).toISOString()}`);
    expect(JSON.parse(leaf.leaf).fact).toMatchObject({ year: 2025, rows: published.rows, scoreboard_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const p = await log.inclusionProof('results_publication', leaf.fact_key);
    expect(verifyInclusion(p!.index, p!.treeSize, b64(p!.leafHash), p!.proof.map(b64), b64(p!.checkpoint.rootHash))).toBe(true);
  });

  it('appends concurrently (as replicas would) without gaps or doubles', async () => {
    const before = await log.treeSize();
    await app.pool.query(
      `INSERT INTO ledger_outbox (kind, fact_key, fields) SELECT 'publication', 'bulk-' || (g % 700), jsonb_build_object('n', (g % 700)::text) FROM generate_series(1, 1400) g`,
    );
    await Promise.all([log.appendPending(), log.appendPending(), log.appendPending(), log.append('publication', 'bulk-1', { n: '1' }).then(() => log.appendPending())]);
    const r = await one(`SELECT count(*)::int AS n, count(DISTINCT idx)::int AS idx, min(idx)::int AS lo, max(idx)::int AS hi FROM ledger_leaf WHERE kind = 'publication' AND fact_key LIKE 'bulk-%'`);
    expect(r).toEqual({ n: 700, idx: 700, lo: before, hi: before + 699 });
    expect(await log.treeSize()).toBe(before + 700);
    expect((await one(`SELECT count(*)::int AS n FROM ledger_outbox`)).n).toBe(0);
    expect((await check()).findings).toEqual([]);
  });

  it('exports a province-year pack that verifies offline with the script inside it, and fails when edited', async () => {
    const pack = (await auditor.get(`/provinces/${OWN}/years/2025/ledger-pack`).expect(200)).body;
    expect(pack.leaves.length).toBeGreaterThan(10);
    const kinds = new Set(pack.leaves.map((l: { kind: string }) => l.kind));
    for (const k of ['score', 'evidence_record', 'evidence_computation', 'raw_payload', 'catalogue_version']) expect(kinds.has(k)).toBe(true);
    await officerOther.get(`/provinces/${OWN}/years/2025/ledger-pack`).expect(403);
    expect(verifyPack(pack).problems).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'ledger-pack-'));
    writeFileSync(join(dir, 'pack.json'), JSON.stringify(pack));
    writeFileSync(join(dir, pack.verifier.fileName), pack.verifier.source);
    const ok = await run(process.execPath, [pack.verifier.fileName, 'pack.json'], { cwd: dir });
    expect(JSON.parse(ok.stdout.slice(0, ok.stdout.lastIndexOf('}') + 1))).toMatchObject({ ok: true, problems: [] });

    const forged = structuredClone(pack);
    const target = forged.leaves.find((l: { kind: string }) => l.kind === 'score');
    target.leaf = target.leaf.replace(/"points":"[^"]*"/, '"points":"99"');
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
    const failed = await run(process.execPath, [pack.verifier.fileName, 'forged.json'], { cwd: dir }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('leaf hash does not match');
    // a key the auditor pins that did not sign the checkpoint: refused
    const other = { ...pack, publicKeys: [] };
    expect(verifyPack(other, ['someone+00000000+AQ' + 'A'.repeat(42) + '=']).ok).toBe(false);
  });

  describe('tamper detection: rows edited with SQL outside the service', () => {
    const findingFor = (r: Awaited<ReturnType<typeof check>>, kind: string, key: string) => r.findings.filter((f) => f.kind === kind && f.key === String(key));

    it('detects every changed score column, and clears when the row is restored', async () => {
      const rows = (await app.pool.query(`SELECT id FROM score WHERE points IS NOT NULL ORDER BY random() LIMIT 4`)).rows;
      await dba.query(`CREATE TEMP TABLE saved_score AS SELECT * FROM score WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      const edits = [
        [`UPDATE score SET points = points + 1 WHERE id = $1`, 'points'],
        [`UPDATE score SET status = 'auto_filled_x' WHERE id = $1`, 'status'],
        [`UPDATE score SET evidence_ids = evidence_ids || 999999::bigint WHERE id = $1`, 'evidence_ids'],
        [`UPDATE score SET computed_at = computed_at - interval '1 day' WHERE id = $1`, 'computed_at'],
      ] as const;
      for (let i = 0; i < edits.length; i++) {
        await dba.query(edits[i][0], [rows[i].id]);
        const found = findingFor(await check(), 'score', rows[i].id);
        expect(found).toHaveLength(1);
        expect(found[0].problem).toBe('changed');
        expect(found[0].detail).toContain(edits[i][1]);
      }
      const health = (await request(app.url).get('/health/ready').expect(200)).body;
      expect(health.details.ledger).toMatchObject({ integrity: 'degraded' });
      expect(health.details.ledger.openFindings).toBeGreaterThanOrEqual(4);
      expect((await auditor.get('/ledger/findings').expect(200)).body.length).toBeGreaterThanOrEqual(4);
      await dba.query(`UPDATE score s SET points = v.points, status = v.status, evidence_ids = v.evidence_ids, computed_at = v.computed_at FROM saved_score v WHERE v.id = s.id`);
      expect((await check()).findings).toEqual([]);
      expect((await request(app.url).get('/health/ready').expect(200)).body.details.ledger).toMatchObject({ integrity: 'ok', openFindings: 0 });
    });

    it('detects a deleted evidence record, an inserted score and changed raw bytes', async () => {
      const evidence = await one(`SELECT id FROM evidence_record ORDER BY id DESC LIMIT 1`);
      await dba.query(`DELETE FROM evidence_record WHERE id = $1`, [evidence.id]);
      const inserted = (
        await dba.query(
          `INSERT INTO score (province_code, year, framework, catalogue_version, sub_criterion, rule_digest, status, value, points, max_points, evidence_ids, version, content_digest, period_kind, period_key)
           SELECT province_code, year, framework, catalogue_version, sub_criterion, rule_digest, status, value, max_points, max_points, evidence_ids, version + 100, content_digest, period_kind, period_key
             FROM score ORDER BY id LIMIT 1 RETURNING id`,
        )
      ).rows[0];
      const raw = await one(`SELECT digest FROM raw_payload ORDER BY size DESC LIMIT 1`);
      await dba.query(`UPDATE raw_payload SET body = overlay(body placing '\\x20'::bytea from 10 for 1) WHERE digest = $1`, [raw.digest]);
      const result = await check();
      expect(findingFor(result, 'evidence_record', evidence.id).map((f) => f.problem)).toEqual(['removed']);
      expect(findingFor(result, 'score', inserted.id).map((f) => f.problem)).toEqual(['added']);
      const rawFinding = findingFor(result, 'raw_payload', raw.digest);
      expect(rawFinding.map((f) => f.problem)).toEqual(['changed']);
      expect(rawFinding[0].detail).toContain('digest');
      expect(result.findings).toHaveLength(3);
    });

    it('detects an edited log (a leaf rewritten behind the triggers)', async () => {
      await dba.query(`ALTER TABLE ledger_leaf DISABLE TRIGGER ledger_leaf_append_only`);
      await dba.query(`UPDATE ledger_leaf SET leaf = replace(leaf, '"province_code":"${OWN}"', '"province_code":"01"') WHERE idx = (SELECT min(idx) FROM ledger_leaf WHERE kind = 'score')`);
      await dba.query(`ALTER TABLE ledger_leaf ENABLE TRIGGER ledger_leaf_append_only`);
      const problems = new Set((await check()).findings.map((f) => f.problem));
      expect(problems.has('leaf_corrupt')).toBe(true);
      expect(problems.has('tree_corrupt')).toBe(true);
      await expect(dba.query(`DELETE FROM ledger_leaf WHERE idx = 0`)).rejects.toThrow(/append-only/);
    });
  });

});
