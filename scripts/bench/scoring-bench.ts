/**
 * Scoring benchmark (run by `npm run bench` in its own process): in a throwaway database, 34 provinces with a
 * year of one-stop-shop dossiers from the simulator's generator, written straight into `dossier` (no HTTP:
 * this measures evidence and scoring, not ingestion). Then, with the real service (worker role):
 *  1. national evidence build: every province's months, quarters and year, from the outbox;
 *  2. national recompute: every province-year scored with every catalogue covering the year;
 *  3. latency from new evidence to an updated scorecard: one province gets new dossiers (as a connector page
 *     would write them) and we time until its scorecard shows a newer score.
 * Prints one `SCORING_RESULT {json}` line.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import Redis from 'ioredis';
import { createApp } from '../../src/bootstrap';
import { parseDossier } from '../../src/connectors/one-stop-shop/dossier.parser';
import { upsertDossiers } from '../../src/connectors/one-stop-shop/dossier.writer';
import { EvidenceQueue } from '../../src/evidence/evidence.queue';
import { loadConfig } from '../../src/platform/config/app-config';
import { PG_POOL } from '../../src/platform/database/database.module';
import { runMigrations } from '../../src/platform/database/migrate';
import { createDataset } from '../../test/simulators/one-stop-shop/dossier-generator';
import { readProvinceCodes } from '../../test/simulators/main';

const ADMIN = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function waitEmpty(pool: Pool, table: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`${table} did not empty in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const perProvince = Number(process.env.BENCH_SCORING_DOSSIERS ?? 3000);
  const provinces = readProvinceCodes();
  const name = `peh_bench_scoring_${Date.now().toString(36)}`;
  const url = ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const prefix = `benchsc${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    await runMigrations(url);
    const pool = new Pool({ connectionString: url, max: 4 });
    const { rows: c } = await pool.query(`INSERT INTO connector (name, kind, base_url, province_code) VALUES ('bench', 'one-stop-shop', 'http://bench', '01') RETURNING id`);
    const { rows: r } = await pool.query(
      `INSERT INTO connector_run (connector_id, config_version, trigger, window_from, window_to, status, job_id) VALUES ($1, 1, 'manual', now() - interval '2 years', now(), 'succeeded', 'bench') RETURNING id`,
      [c[0].id],
    );
    const digest = 'b'.repeat(64);
    await pool.query(`INSERT INTO raw_payload (digest, body, size) VALUES ($1, '\\x00', 1)`, [digest]);
    const dataset = createDataset({ seed: 5, provinces, dossiersPerProvince: perProvince, year: 2025 });
    const client = await pool.connect();
    for (const p of provinces) {
      const dossiers = dataset.listDossiers(p).map((raw) => parseDossier(raw, p)).flatMap((x) => (x.ok ? [x.dossier] : []));
      for (let i = 0; i < dossiers.length; i += 1000) {
        const page = dossiers.slice(i, i + 1000);
        await upsertDossiers(client, p, page, page.map((_, k) => k), { connectorId: c[0].id, runId: r[0].id, rawDigest: digest });
      }
    }
    client.release();
    const { rows: count } = await pool.query('SELECT count(*)::int AS n FROM dossier');

    const config = loadConfig({ CREDENTIALS_KEYS: `bench:${randomBytes(32).toString('base64')}`, ...process.env, APP_ROLE: 'worker', DATABASE_URL: url, QUEUE_PREFIX: prefix, MIGRATIONS_RUN: 'false', LOG_LEVEL: 'warn', EVIDENCE_DEBOUNCE_MS: '0', SCORING_DEBOUNCE_MS: '0', WORKER_CONCURRENCY: '2' });
    const app = await createApp(config, { listen: false });
    const appPool = app.get<Pool>(PG_POOL);

    // 1. national evidence build
    let t = Date.now();
    for (const p of provinces) await app.get(EvidenceQueue).requestBuild(p, 'one-stop-shop');
    await waitEmpty(appPool, 'evidence_outbox');
    const evidenceSeconds = (Date.now() - t) / 1000;
    await waitEmpty(appPool, 'scoring_outbox');
    const { rows: ev } = await appPool.query(`SELECT count(*)::int AS records, count(DISTINCT period_key)::int AS periods FROM evidence_record`);

    // 2. national recompute of every province-year with every catalogue covering it
    await appPool.query(`DELETE FROM score`);
    t = Date.now();
    await appPool.query(`INSERT INTO scoring_outbox (province_code, year) SELECT DISTINCT province_code, year FROM evidence_record WHERE period_kind = 'year' ON CONFLICT DO NOTHING`);
    const { rows: pairs } = await appPool.query(`SELECT province_code, year FROM scoring_outbox`);
    const { ScoringQueue } = await import('../../src/scoring/scoring.queue');
    for (const pr of pairs) await app.get(ScoringQueue).requestScoring(pr.province_code, pr.year);
    await waitEmpty(appPool, 'scoring_outbox');
    const recomputeSeconds = (Date.now() - t) / 1000;
    const { rows: sc } = await appPool.query(`SELECT count(*)::int AS n FROM score`);

    // 3. new evidence → updated scorecard, with the service's default debounces
    const latencies: number[] = [];
    for (let k = 0; k < 3; k++) {
      const { rows: before } = await appPool.query(`SELECT coalesce(max(id), 0) AS id FROM evidence_record WHERE province_code = '79'`);
      t = Date.now();
      const fresh = dataset.listDossiers('79').slice(0, 50).map((raw) => parseDossier({ ...raw, NgayCapNhat: '20251231235959', KenhThucHien: k % 2 === 0 ? 2 : 1 }, '79')).flatMap((x) => (x.ok ? [x.dossier] : []));
      const db = await appPool.connect();
      await db.query('BEGIN');
      await upsertDossiers(db, '79', fresh.map((d) => ({ ...d, sourceUpdatedAt: new Date(Date.now() + k) })), fresh.map((_, i) => i), { connectorId: c[0].id, runId: r[0].id, rawDigest: digest });
      await db.query('COMMIT');
      db.release();
      await app.get(EvidenceQueue).requestBuild('79', 'one-stop-shop');
      // done when new evidence exists and the province-year it marked for scoring has been scored
      for (;;) {
        const { rows: after } = await appPool.query(
          `SELECT (SELECT coalesce(max(id), 0) FROM evidence_record WHERE province_code = '79') AS id,
                  (SELECT count(*)::int FROM scoring_outbox WHERE province_code = '79') + (SELECT count(*)::int FROM evidence_outbox WHERE province_code = '79') AS pending`,
        );
        if (Number(after[0].id) > Number(before[0].id) && after[0].pending === 0) break;
        if (Date.now() - t > 120_000) throw new Error('evidence and scorecard not updated within 120 s');
        await new Promise((res) => setTimeout(res, 20));
      }
      latencies.push(Date.now() - t);
    }
    await app.close();
    await pool.end();
    const result = {
      provinces: provinces.length,
      dossiers: count[0].n,
      evidence: { seconds: evidenceSeconds, records: ev[0].records, periods: ev[0].periods },
      recompute: { seconds: recomputeSeconds, provinceYears: pairs.length, scores: sc[0].n },
      newEvidenceToScorecardMs: latencies,
      note: 'debounces set to 0 here; add EVIDENCE_DEBOUNCE_MS + SCORING_DEBOUNCE_MS (2 s each by default) in production',
    };
    process.stdout.write(`SCORING_RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

main().catch((error) => {
  process.stderr.write(`scoring bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
