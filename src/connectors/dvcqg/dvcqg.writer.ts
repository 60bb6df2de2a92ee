import { PoolClient } from 'pg';
import { DVCQG_SOURCE } from '../../evidence/sources/dvcqg.evidence';
import { Period } from '../../platform/time/vietnam-time';
import { DvcqgPage } from './dvcqg-response';
import { recordAnswerVersion, upsertSubjects } from './dvcqg-versions.writer';

export interface DvcqgPageKey {
  provinceCode: string;
  period: Period;
  endpoint: string;
  /** '' = not filtered by procedure */
  formalityId: string;
  page: number;
  /** the answer's last page: its version is recorded (see recordAnswerVersion) */
  last?: boolean;
}

export interface DvcqgPageProvenance {
  connectorId: string;
  runId: string;
  rawDigest: string;
  rootDepartmentId: string;
  requestBody: Record<string, unknown>;
  responseCode: string;
}

const json = (v: unknown) => JSON.stringify(v ?? null);

/**
 * Writes one page in its checkpoint transaction: the fetch (with its exact request body), the province and unit
 * rows, every metric and flag. Page 1 of a (province, period, endpoint, filter) first clears what an earlier fetch
 * stored for it, so the tables hold the newest answer and a flag that disappeared goes (earlier answers stay as
 * versions, with their raw payloads). Units become versioned subjects; the last page records the answer's version.
 * Every page marks the period in the evidence outbox.
 */
export async function writeDvcqgPage(db: PoolClient, k: DvcqgPageKey, p: DvcqgPageProvenance, page: DvcqgPage): Promise<void> {
  const keyParams = [k.provinceCode, k.period.key, k.endpoint, k.formalityId];
  if (k.page === 1) {
    for (const table of ['dvcqg_flag', 'dvcqg_metric', 'dvcqg_unit']) {
      await db.query(`DELETE FROM ${table} WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4`, keyParams);
    }
  }
  await db.query(
    `INSERT INTO dvcqg_fetch (province_code, period_kind, period_key, endpoint, formality_id, root_department_id, total_pages, request_body, response_code,
                              message, source, extras, connector_id, run_id, raw_digest, page, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, -1)`,
    [k.provinceCode, k.period.kind, k.period.key, k.endpoint, k.formalityId, p.rootDepartmentId, page.totalPages, json(p.requestBody), p.responseCode,
      page.message, page.source, json(page.extras), p.connectorId, p.runId, p.rawDigest, k.page],
  );
  const common = [k.provinceCode, k.period.kind, k.period.key, k.endpoint, k.formalityId, p.connectorId, p.runId, p.rawDigest, k.page];
  if (page.units.length > 0) {
    const u = page.units;
    await db.query(
      `INSERT INTO dvcqg_unit (province_code, period_kind, period_key, endpoint, formality_id, connector_id, run_id, raw_digest, page,
                               department_id, is_root, department_code, department_name, department_type, department_level, agency_level, level, stt,
                               total_score, total_max_score, ratio, score_delta, raw_params, record, position)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, x.department_id, x.is_root, x.department_code, x.department_name, x.department_type, x.department_level,
              x.agency_level, x.level, x.stt, x.total_score, x.total_max_score, x.ratio, x.score_delta, x.raw_params::jsonb, x.record::jsonb, x.position
         FROM unnest($10::text[], $11::bool[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::int[],
                     $19::numeric[], $20::numeric[], $21::numeric[], $22::numeric[], $23::text[], $24::text[], $25::int[])
           AS x(department_id, is_root, department_code, department_name, department_type, department_level, agency_level, level, stt,
                total_score, total_max_score, ratio, score_delta, raw_params, record, position)
       ON CONFLICT (province_code, period_key, endpoint, formality_id, department_id) DO UPDATE SET
         period_kind = EXCLUDED.period_kind, is_root = EXCLUDED.is_root, department_code = EXCLUDED.department_code, department_name = EXCLUDED.department_name,
         department_type = EXCLUDED.department_type, department_level = EXCLUDED.department_level, agency_level = EXCLUDED.agency_level, level = EXCLUDED.level,
         stt = EXCLUDED.stt, total_score = EXCLUDED.total_score, total_max_score = EXCLUDED.total_max_score, ratio = EXCLUDED.ratio,
         score_delta = EXCLUDED.score_delta, raw_params = EXCLUDED.raw_params, record = EXCLUDED.record, connector_id = EXCLUDED.connector_id,
         run_id = EXCLUDED.run_id, raw_digest = EXCLUDED.raw_digest, page = EXCLUDED.page, position = EXCLUDED.position, fetched_at = now()`,
      [
        ...common,
        u.map((x) => x.departmentId),
        u.map((x) => x.root),
        u.map((x) => x.departmentCode),
        u.map((x) => x.departmentName),
        u.map((x) => x.departmentType),
        u.map((x) => x.departmentLevel),
        u.map((x) => x.agencyLevel),
        u.map((x) => x.level),
        u.map((x) => (x.stt !== null && Number.isInteger(x.stt) ? x.stt : null)),
        u.map((x) => x.totalScore),
        u.map((x) => x.totalMaxScore),
        u.map((x) => x.ratio),
        u.map((x) => x.scoreDelta),
        u.map((x) => (x.rawParams === null ? null : json(x.rawParams))),
        u.map((x) => json(x.record)),
        u.map((x) => x.position),
      ],
    );
  }
  if (page.metrics.length > 0) {
    const m = page.metrics;
    await db.query(
      `INSERT INTO dvcqg_metric (province_code, period_kind, period_key, endpoint, formality_id, connector_id, run_id, raw_digest, page,
                                 department_id, code, is_root, department_code, name, numerator, denominator, ratio, score, max_score, record, position)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, x.department_id, x.code, x.is_root, x.department_code, x.name, x.numerator, x.denominator, x.ratio,
              x.score, x.max_score, x.record::jsonb, x.position
         FROM unnest($10::text[], $11::text[], $12::bool[], $13::text[], $14::text[], $15::numeric[], $16::numeric[], $17::numeric[], $18::numeric[],
                     $19::numeric[], $20::text[], $21::int[])
           AS x(department_id, code, is_root, department_code, name, numerator, denominator, ratio, score, max_score, record, position)
       ON CONFLICT (province_code, period_key, endpoint, formality_id, department_id, code) DO UPDATE SET
         period_kind = EXCLUDED.period_kind, is_root = EXCLUDED.is_root, department_code = EXCLUDED.department_code, name = EXCLUDED.name,
         numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, ratio = EXCLUDED.ratio, score = EXCLUDED.score, max_score = EXCLUDED.max_score,
         record = EXCLUDED.record, connector_id = EXCLUDED.connector_id, run_id = EXCLUDED.run_id, raw_digest = EXCLUDED.raw_digest, page = EXCLUDED.page,
         position = EXCLUDED.position, fetched_at = now()`,
      [
        ...common,
        m.map((x) => x.departmentId),
        m.map((x) => x.code),
        m.map((x) => x.root),
        m.map((x) => x.departmentCode),
        m.map((x) => x.name),
        m.map((x) => x.numerator),
        m.map((x) => x.denominator),
        m.map((x) => x.ratio),
        m.map((x) => x.score),
        m.map((x) => x.maxScore),
        m.map((x) => json(x.record)),
        m.map((x) => x.position),
      ],
    );
  }
  if (page.flags.length > 0) {
    const f = page.flags;
    await db.query(
      `INSERT INTO dvcqg_flag (province_code, period_kind, period_key, endpoint, formality_id, connector_id, run_id, raw_digest, page,
                               department_id, metric_code, flag_code, message, flag, position)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, x.department_id, x.metric_code, x.flag_code, x.message, x.flag::jsonb, x.position
         FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[]) AS x(department_id, metric_code, flag_code, message, flag, position)
       ON CONFLICT (province_code, period_key, endpoint, formality_id, department_id, metric_code, flag_code) DO UPDATE SET
         message = EXCLUDED.message, flag = EXCLUDED.flag, connector_id = EXCLUDED.connector_id, run_id = EXCLUDED.run_id,
         raw_digest = EXCLUDED.raw_digest, page = EXCLUDED.page, position = EXCLUDED.position, fetched_at = now()`,
      [...common, f.map((x) => x.departmentId), f.map((x) => x.metricCode), f.map((x) => x.code), f.map((x) => x.message), f.map((x) => json(x.raw)), f.map((x) => x.position)],
    );
  }
  // units are subjects of the province, whatever the scope they were seen in
  await upsertSubjects(db, k.provinceCode, k.period, k.endpoint, p.runId, page.units);
  if (k.last) await recordAnswerVersion(db, k, p.runId, new Date());
  {
    // every scope's change marks the period: the Decision 766 unit scores cover every scope
    await db.query(
      `INSERT INTO evidence_outbox (province_code, source_kind, month_key) VALUES ($1, '${DVCQG_SOURCE}', $2)
       ON CONFLICT (province_code, source_kind, month_key) DO UPDATE SET seq = nextval('outbox_seq')`,
      [k.provinceCode, k.period.key],
    );
  }
}
