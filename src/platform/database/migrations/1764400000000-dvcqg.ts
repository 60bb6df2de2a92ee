import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The National Public Service Portal's evaluation data (Decision 766 index), read by dvcqg-evaluation connectors.
 * Keyed by (province, period, endpoint, procedure filter — '' for none); a new fetch of page 1 of a key replaces
 * what was stored for it, so the tables hold the newest answer. Every row keeps its run, raw payload and position
 * (-1 = the province's own overview / parent, i = index in `evaluation` / `children` of its page).
 *
 * - dvcqg_fetch: one row per page fetched, with the exact request body and the answer's top-level extras;
 * - dvcqg_unit: the province and each unit: the official totalScore / totalMaxScore (score / maxScore for tree
 *   children), ratio, the tree endpoints' raw parameters (nulls kept) and the object as received;
 * - dvcqg_metric: each metric of `metrics[]` as published: numerator, denominator, ratio, the official score and
 *   maxScore (informational metrics: score null, maxScore 0), nulls kept;
 * - dvcqg_flag: data-quality flags (TEMP_NATIONAL_REPORT_DENOMINATOR, NO_NATIONAL_REPORT_DATA, …) with their
 *   message, placed at the answer (department_id ''), a unit (metric_code '') or a metric.
 */
export class Dvcqg1764400000000 implements MigrationInterface {
  name = 'Dvcqg1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const provenance = `
        connector_id uuid NOT NULL REFERENCES connector(id),
        run_id uuid NOT NULL REFERENCES connector_run(id),
        raw_digest char(64) NOT NULL REFERENCES raw_payload(digest),
        page int NOT NULL,
        position int NOT NULL,
        fetched_at timestamptz NOT NULL DEFAULT now()`;
    const key = `
        province_code char(2) NOT NULL,
        period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
        period_key text NOT NULL,
        endpoint text NOT NULL,
        formality_id text NOT NULL DEFAULT ''`;
    await q.query(`
      CREATE TABLE dvcqg_fetch (
        id bigserial PRIMARY KEY,
        ${key},
        root_department_id text NOT NULL,
        total_pages int,
        request_body jsonb NOT NULL,
        response_code text NOT NULL,
        message text,
        source text,
        extras jsonb NOT NULL DEFAULT '{}'::jsonb,
        ${provenance}
      )`);
    await q.query(`CREATE INDEX dvcqg_fetch_run_idx ON dvcqg_fetch (run_id)`);
    await q.query(`CREATE INDEX dvcqg_fetch_key_idx ON dvcqg_fetch (province_code, period_key, endpoint)`);
    await q.query(`
      CREATE TABLE dvcqg_unit (
        ${key},
        department_id text NOT NULL,
        is_root boolean NOT NULL,
        department_code text,
        department_name text,
        department_type text,
        department_level text,
        agency_level text,
        level text,
        stt int,
        total_score numeric,
        total_max_score numeric,
        ratio numeric,
        score_delta numeric,
        raw_params jsonb,
        record jsonb NOT NULL,
        ${provenance},
        PRIMARY KEY (province_code, period_key, endpoint, formality_id, department_id)
      )`);
    await q.query(`
      CREATE TABLE dvcqg_metric (
        ${key},
        department_id text NOT NULL,
        code text NOT NULL,
        is_root boolean NOT NULL,
        department_code text,
        name text,
        numerator numeric,
        denominator numeric,
        ratio numeric,
        score numeric,
        max_score numeric,
        informational boolean GENERATED ALWAYS AS (score IS NULL AND max_score = 0) STORED,
        record jsonb NOT NULL,
        ${provenance},
        PRIMARY KEY (province_code, period_key, endpoint, formality_id, department_id, code)
      )`);
    await q.query(`
      CREATE TABLE dvcqg_flag (
        ${key},
        department_id text NOT NULL DEFAULT '',
        metric_code text NOT NULL DEFAULT '',
        flag_code text NOT NULL,
        message text,
        flag jsonb NOT NULL,
        ${provenance},
        PRIMARY KEY (province_code, period_key, endpoint, formality_id, department_id, metric_code, flag_code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dvcqg_flag`);
    await q.query(`DROP TABLE dvcqg_metric`);
    await q.query(`DROP TABLE dvcqg_unit`);
    await q.query(`DROP TABLE dvcqg_fetch`);
  }
}
