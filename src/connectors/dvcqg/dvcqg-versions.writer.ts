import { PoolClient } from 'pg';
import { Period } from '../../platform/time/vietnam-time';
import { DvcqgUnitRow } from './dvcqg-response';

/** Kinds of answer a unit's attributes come from: tree answers carry code and level, metric answers type and levels. */
const isTree = (endpoint: string) => endpoint.endsWith('-tree');

/**
 * Units as versioned subjects (table dvcqg_subject), set-based for one page: a unit seen for the first time gets
 * version 1; a unit whose published attributes changed (code, level, type, names) gets a new version and the old
 * one is closed. Attributes an answer does not carry (a metric answer has no code) keep their current value.
 * An answer about an older period than the newest one seen never rewrites the subject (history is not news).
 */
export async function upsertSubjects(db: PoolClient, provinceCode: string, period: Period, endpoint: string, runId: string, units: DvcqgUnitRow[]): Promise<void> {
  if (units.length === 0) return;
  const tree = isTree(endpoint);
  const params = [
    provinceCode,
    units.map((u) => u.departmentId),
    units.map((u) => u.root),
    units.map((u) => u.departmentCode),
    units.map((u) => u.level),
    units.map((u) => u.departmentType),
    units.map((u) => u.departmentLevel),
    units.map((u) => u.agencyLevel),
    units.map((u) => u.departmentName),
    tree,
    period.end,
    period.key,
    runId,
  ];
  // the answer's values over the subject's latest version (an attribute the answer lacks keeps its value)
  const merged = `
    WITH incoming AS (
      SELECT * FROM unnest($2::text[], $3::bool[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
        AS x(department_id, is_root, department_code, level, department_type, department_level, agency_level, name)
    ), merged AS (
      SELECT i.department_id, i.is_root,
             coalesce(i.department_code, c.department_code) AS department_code, coalesce(i.level, c.level) AS level,
             coalesce(i.department_type, c.department_type) AS department_type, coalesce(i.department_level, c.department_level) AS department_level,
             coalesce(i.agency_level, c.agency_level) AS agency_level,
             CASE WHEN $10 THEN coalesce(i.name, c.tree_name) ELSE c.tree_name END AS tree_name,
             CASE WHEN $10 THEN c.metric_name ELSE coalesce(i.name, c.metric_name) END AS metric_name,
             c.version, c.seen_until, c.first_period, c.valid_to IS NULL AND c.version IS NOT NULL AS is_current,
             c.department_code AS c_code, c.level AS c_level, c.department_type AS c_type, c.department_level AS c_dlevel, c.agency_level AS c_alevel,
             c.tree_name AS c_tree, c.metric_name AS c_metric
        FROM incoming i
        LEFT JOIN LATERAL (SELECT * FROM dvcqg_subject s WHERE s.province_code = $1 AND s.department_id = i.department_id ORDER BY version DESC LIMIT 1) c ON true
    )`;
  // a version changes when a published attribute it had takes another value; filling one it lacked (a metric
  // answer has no code, a tree answer no type) completes the current version in place
  const pairs = [['department_code', 'c_code'], ['level', 'c_level'], ['department_type', 'c_type'], ['department_level', 'c_dlevel'], ['agency_level', 'c_alevel'], ['tree_name', 'c_tree'], ['metric_name', 'c_metric']];
  const changedWhere = `m.is_current AND $11::timestamptz >= m.seen_until AND (${pairs.map(([a, b]) => `(m.${b} IS NOT NULL AND m.${a} IS DISTINCT FROM m.${b})`).join(' OR ')})`;
  // 1. close the versions whose attributes changed (a statement of its own: the new version must not meet it in the index)
  await db.query(
    `${merged} UPDATE dvcqg_subject s SET valid_to = now() FROM merged m
      WHERE ${changedWhere} AND s.province_code = $1 AND s.department_id = m.department_id AND s.valid_to IS NULL
        AND $12::text IS NOT NULL AND $13::uuid IS NOT NULL`,
    params,
  );
  // 2. a new version for every unit without a current one (new, or just closed)
  await db.query(
    `${merged} INSERT INTO dvcqg_subject (province_code, department_id, version, is_root, department_code, level, department_type, department_level, agency_level,
                                         tree_name, metric_name, seen_until, first_period, last_period, run_id)
     SELECT $1, m.department_id, coalesce(m.version, 0) + 1, m.is_root, m.department_code, m.level, m.department_type, m.department_level, m.agency_level,
            m.tree_name, m.metric_name, greatest(m.seen_until, $11::timestamptz), coalesce(m.first_period, $12), $12, $13
       FROM merged m WHERE NOT m.is_current`,
    params,
  );
  // 3. the others were seen again (attributes they lacked filled in)
  await db.query(
    `${merged} UPDATE dvcqg_subject s SET seen_until = greatest(s.seen_until, $11::timestamptz),
            last_period = CASE WHEN $11::timestamptz >= s.seen_until THEN $12 ELSE s.last_period END,
            department_code = CASE WHEN $11::timestamptz >= s.seen_until THEN m.department_code ELSE coalesce(s.department_code, m.department_code) END,
            level = CASE WHEN $11::timestamptz >= s.seen_until THEN m.level ELSE coalesce(s.level, m.level) END,
            department_type = CASE WHEN $11::timestamptz >= s.seen_until THEN m.department_type ELSE coalesce(s.department_type, m.department_type) END,
            department_level = CASE WHEN $11::timestamptz >= s.seen_until THEN m.department_level ELSE coalesce(s.department_level, m.department_level) END,
            agency_level = CASE WHEN $11::timestamptz >= s.seen_until THEN m.agency_level ELSE coalesce(s.agency_level, m.agency_level) END,
            tree_name = CASE WHEN $11::timestamptz >= s.seen_until THEN m.tree_name ELSE coalesce(s.tree_name, m.tree_name) END,
            metric_name = CASE WHEN $11::timestamptz >= s.seen_until THEN m.metric_name ELSE coalesce(s.metric_name, m.metric_name) END
       FROM merged m
      WHERE m.is_current AND s.province_code = $1 AND s.department_id = m.department_id AND s.valid_to IS NULL AND $13::uuid IS NOT NULL`,
    params,
  );
}

export interface AnswerVersionOutcome {
  version: number;
  status: 'provisional' | 'final';
  /** new: first answer; changed: new figures; finalised: same figures, now final; unchanged */
  change: 'new' | 'changed' | 'finalised' | 'unchanged';
  revisesFinal: boolean;
}

/**
 * After the last page of an answer: its content (every unit, metric and flag as now stored, all pages) as a
 * digest, compared with the newest version. New figures are a new version (with a snapshot), kept beside the
 * older ones; figures of a closed period that change after it was final are marked `revises_final` — a finding.
 * A provisional answer whose period has closed and whose figures did not change is marked final.
 */
export async function recordAnswerVersion(
  db: PoolClient,
  k: { provinceCode: string; period: Period; endpoint: string; formalityId: string },
  runId: string,
  now: Date,
): Promise<AnswerVersionOutcome> {
  const key = [k.provinceCode, k.period.key, k.endpoint, k.formalityId];
  const status: 'provisional' | 'final' = k.period.end.getTime() <= now.getTime() ? 'final' : 'provisional';
  const { rows: content } = await db.query(
    `SELECT md5(coalesce((SELECT string_agg(x, E'\\n' ORDER BY x) FROM (
              SELECT concat_ws('|', 'u', department_id, total_score, total_max_score, raw_params::text) AS x FROM dvcqg_unit
               WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4
              UNION ALL
              SELECT concat_ws('|', 'm', department_id, code, numerator, denominator, score, max_score) FROM dvcqg_metric
               WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4
              UNION ALL
              SELECT concat_ws('|', 'f', department_id, metric_code, flag_code, message) FROM dvcqg_flag
               WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4) t), '')) AS digest`,
    key,
  );
  const digest = content[0].digest as string;
  const { rows: latest } = await db.query(
    `SELECT version, status, content_digest FROM dvcqg_answer_version
      WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4 ORDER BY version DESC LIMIT 1`,
    key,
  );
  const previous = latest[0] as { version: number; status: string; content_digest: string } | undefined;
  if (previous && previous.content_digest === digest) {
    if (previous.status === 'provisional' && status === 'final') {
      await db.query(
        `UPDATE dvcqg_answer_version SET status = 'final', finalised_at = now()
          WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4 AND version = $5`,
        [...key, previous.version],
      );
      return { version: previous.version, status, change: 'finalised', revisesFinal: false };
    }
    return { version: previous.version, status: previous.status as 'provisional' | 'final', change: 'unchanged', revisesFinal: false };
  }
  const version = (previous?.version ?? 0) + 1;
  const revisesFinal = previous?.status === 'final';
  await db.query(
    `INSERT INTO dvcqg_answer_version (province_code, period_key, period_kind, endpoint, formality_id, version, status, content_digest, revises_final, run_id,
                                      raw_digests, snapshot, finalised_at)
     SELECT $1, $2, $5, $3, $4, $6, $7, $8, $9, $10,
            coalesce((SELECT array_agg(DISTINCT raw_digest::text) FROM dvcqg_fetch
                       WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4 AND run_id = $10), '{}'),
            jsonb_build_object(
              'units', coalesce((SELECT jsonb_agg(jsonb_build_object('departmentId', department_id, 'totalScore', total_score, 'totalMaxScore', total_max_score,
                                                                     'rawParams', raw_params) ORDER BY department_id)
                                   FROM dvcqg_unit WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4), '[]'::jsonb),
              'metrics', coalesce((SELECT jsonb_agg(jsonb_build_object('departmentId', department_id, 'code', code, 'numerator', numerator, 'denominator', denominator,
                                                                       'score', score, 'maxScore', max_score) ORDER BY department_id, code)
                                     FROM dvcqg_metric WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4), '[]'::jsonb),
              'flags', coalesce((SELECT jsonb_agg(jsonb_build_object('departmentId', department_id, 'metric', metric_code, 'status', flag_code, 'message', message)
                                                   ORDER BY department_id, metric_code, flag_code)
                                   FROM dvcqg_flag WHERE province_code = $1 AND period_key = $2 AND endpoint = $3 AND formality_id = $4), '[]'::jsonb)),
            CASE WHEN $7 = 'final' THEN now() END`,
    [...key, k.period.kind, version, status, digest, revisesFinal, runId],
  );
  return { version, status, change: previous ? 'changed' : 'new', revisesFinal };
}
