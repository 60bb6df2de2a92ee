/**
 * Ledger benchmark (`npm run bench:ledger`), in a throwaway database:
 *  1. append rate: BENCH_LEDGER_LEAVES facts (default 200,000) moved from the outbox into the Merkle tree,
 *     against a baseline in the same run (a plain INSERT … SELECT of the same leaf texts into an unindexed table);
 *  2. proof time: 1,000 inclusion proofs and 200 consistency proofs at that size (stored-node reads);
 *  3. tamper check over the whole log (re-hash every leaf and rebuild the checkpoint's root);
 *  4. recompute of a province-year: BENCH_RECOMPUTE_DOSSIERS one-stop-shop dossiers (default 5,000) fetched from
 *     the simulator over HTTP by the real service, then replayed from the archived bytes and compared.
 * Prints a table and one `LEDGER_RESULT {json}` line. Figures, not assertions.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createApp } from '../../src/bootstrap';
import { ApiKeysService } from '../../src/identity/api-keys.service';
import { consistencyRanges, inclusionRanges } from '../../src/ledger/merkle';
import { TamperCheckService } from '../../src/ledger/tamper-check.service';
import { TransparencyLogService } from '../../src/ledger/transparency-log.service';
import { loadConfig } from '../../src/platform/config/app-config';
import { PG_POOL } from '../../src/platform/database/database.module';
import { runMigrations } from '../../src/platform/database/migrate';
import { RecomputeService } from '../../src/recompute/recompute.service';
import { createOneStopShopSimulator } from '../../test/simulators/one-stop-shop/one-stop-shop.simulator';

const ADMIN = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LEAVES = Number(process.env.BENCH_LEDGER_LEAVES ?? 200_000);
const DOSSIERS = Number(process.env.BENCH_RECOMPUTE_DOSSIERS ?? 5000);
const PROVINCE = '79';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  const name = `peh_bench_ledger_${Date.now().toString(36)}`;
  const url = ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const sim = await createOneStopShopSimulator({ seed: 9, provinces: [PROVINCE], dossiersPerProvince: DOSSIERS, year: 2025, malformedRate: 0.01 });
  try {
    await runMigrations(url);
    const config = loadConfig({
      CREDENTIALS_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      ...process.env,
      APP_ROLE: 'api,worker',
      DATABASE_URL: url,
      QUEUE_PREFIX: `benchlg${randomBytes(3).toString('hex')}`,
      MIGRATIONS_RUN: 'false',
      LOG_LEVEL: 'warn',
      EVIDENCE_DEBOUNCE_MS: '0',
      SCORING_DEBOUNCE_MS: '0',
      PORT: '0',
      HOST: '127.0.0.1',
    });
    const app = await createApp(config, { listen: false });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const pool = app.get<Pool>(PG_POOL);
    const log = app.get(TransparencyLogService);

    // 1. append rate vs a plain insert of the same leaf texts
    const leafSql = `'{"fact":{"n":"' || g || '","pad":"' || md5(g::text) || '"},"kind":"bench_fact","v":1}'`;
    let t = Date.now();
    await pool.query(`CREATE UNLOGGED TABLE bench_baseline (kind text, fact_key text, leaf text)`);
    await pool.query(`INSERT INTO bench_baseline SELECT 'bench_fact', g::text, ${leafSql} FROM generate_series(1, $1) g`, [LEAVES]);
    const baselineSeconds = (Date.now() - t) / 1000;
    await pool.query(`INSERT INTO ledger_outbox (kind, fact_key, fields) SELECT 'bench_fact', g::text, jsonb_build_object('n', g::text, 'pad', md5(g::text)) FROM generate_series(1, $1) g`, [LEAVES]);
    t = Date.now();
    const appended = await log.appendPending();
    const appendSeconds = (Date.now() - t) / 1000;
    const checkpoint = await log.checkpoint('always');
    const size = checkpoint!.treeSize;

    // 2. proofs at this size
    const inclusion: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const index = Math.floor(Math.random() * size);
      const s = performance.now();
      await log.rangeHashes(inclusionRanges(index, size));
      inclusion.push(performance.now() - s);
    }
    const consistency: number[] = [];
    for (let i = 0; i < 200; i++) {
      const first = 1 + Math.floor(Math.random() * (size - 1));
      const s = performance.now();
      await log.rangeHashes(consistencyRanges(first, size));
      consistency.push(performance.now() - s);
    }

    // 3. tamper check over the whole log
    t = Date.now();
    const check = await app.get(TamperCheckService).run();
    const tamperSeconds = (Date.now() - t) / 1000;

    // 4. a province-year through the real pipeline, then recomputed from its archived bytes
    const key = (await app.get(ApiKeysService).create({ name: 'bench', role: 'admin', provinceCode: null }, null)).key;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      return res.json() as Promise<any>;
    };
    const connector = await call('POST', '/connectors', {
      name: 'bench-oss', kind: 'one-stop-shop', baseUrl: sim.url, provinceCode: PROVINCE,
      credentials: { clientId: 'demo-client', clientSecret: 'demo-secret' }, options: { initialSyncFrom: '2024-01-01', lagSeconds: 0, pageSize: 1000 },
    });
    const run = await call('POST', `/connectors/${connector.id}/runs`);
    let status = '';
    await waitFor(async () => ['succeeded', 'failed'].includes((status = (await call('GET', `/runs/${run.id}`)).status)), 'the run');
    if (status !== 'succeeded') throw new Error(`the one-stop-shop run ${status}: ${JSON.stringify(await call('GET', `/runs/${run.id}`))}`);
    await waitFor(async () => (await pool.query(`SELECT (SELECT count(*) FROM evidence_outbox) + (SELECT count(*) FROM scoring_outbox) AS n`)).rows[0].n === '0', 'the pipeline');
    t = Date.now();
    const report = await app.get(RecomputeService).recompute(PROVINCE, 2025);
    const recomputeSeconds = (Date.now() - t) / 1000;

    const result = {
      leaves: appended.appended,
      appendLeavesPerSecond: Math.round(appended.appended / appendSeconds),
      baselineRowsPerSecond: Math.round(LEAVES / baselineSeconds),
      appendVsBaseline: round(baselineSeconds / appendSeconds, 3),
      inclusionProofMs: { mean: round(inclusion.reduce((a, b) => a + b, 0) / inclusion.length), p95: round(percentile(inclusion, 0.95)) },
      consistencyProofMs: { mean: round(consistency.reduce((a, b) => a + b, 0) / consistency.length), p95: round(percentile(consistency, 0.95)) },
      tamperCheck: { seconds: round(tamperSeconds), leaves: check.leavesChecked, findings: check.findings.length },
      recompute: {
        dossiers: DOSSIERS,
        payloads: report.replay.payloads,
        records: report.replay.normalised,
        seconds: round(recomputeSeconds),
        identical: report.identical,
        evidenceCompared: report.evidence.compared,
        scoresCompared: report.scores.compared,
        timings: report.timings,
      },
    };
    process.stdout.write(
      [
        `ledger append: ${result.appendLeavesPerSecond} leaves/s for ${result.leaves} leaves (baseline insert ${result.baselineRowsPerSecond} rows/s, ratio ${result.appendVsBaseline}×)`,
        `inclusion proof at ${size} leaves: mean ${result.inclusionProofMs.mean} ms, p95 ${result.inclusionProofMs.p95} ms; consistency: mean ${result.consistencyProofMs.mean} ms`,
        `tamper check: ${result.tamperCheck.seconds} s over ${result.tamperCheck.leaves} leaves`,
        `recompute ${PROVINCE}/2025 (${DOSSIERS} dossiers, ${result.recompute.payloads} archived answers): ${result.recompute.seconds} s, identical=${result.recompute.identical}`,
        `LEDGER_RESULT ${JSON.stringify(result)}`,
      ].join('\n') + '\n',
    );
    await app.close();
  } finally {
    await sim.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
