import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { parsePeriodKey } from '../../platform/time/vietnam-time';
import { ScoringCatalogue, catalogueDigest, coversYear } from '../catalogue';
import { catalogueKey } from '../scoring-catalogues.provider';
import { AnswerFlagRow, AnswerMetricRow, AnswerUnitRow, PeriodAnswers, Qd766Finding, UnitScore, scoreUnits } from './qd766-unit-scorer';

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const BATCH = 2000;

/** The Decision 766 catalogues: only these are ever compared with the portal. */
export function qd766Catalogues(catalogues: ScoringCatalogue[], year: number): ScoringCatalogue[] {
  return catalogues.filter((c) => c.framework === 'QD766' && coversYear(c, year));
}

/** The stored answers matching `where` (over province_code, period_key, formality_id, department_id), per period and scope. */
export async function loadAnswers(db: Pool | PoolClient, where: string, params: unknown[], now: Date): Promise<Map<string, PeriodAnswers & { periodKey: string; formalityId: string }>> {
  const versionWhere = where.replace(/AND department_id = \$\d+/, '');
  const [{ rows: units }, { rows: metrics }, { rows: flags }, { rows: versions }] = [
    await db.query(
      `SELECT period_key, formality_id, endpoint, department_id, is_root, department_code, department_name, department_type, department_level, agency_level, level,
              total_score, total_max_score, raw_params FROM dvcqg_unit WHERE ${where}`,
      params,
    ),
    await db.query(`SELECT period_key, formality_id, endpoint, department_id, code, numerator, denominator, score, max_score FROM dvcqg_metric WHERE ${where}`, params),
    await db.query(`SELECT period_key, formality_id, endpoint, department_id, metric_code, flag_code, message FROM dvcqg_flag WHERE ${where}`, params),
    await db.query(
      `SELECT DISTINCT ON (period_key, endpoint, formality_id) period_key, formality_id, status FROM dvcqg_answer_version WHERE ${versionWhere}
        ORDER BY period_key, endpoint, formality_id, version DESC`,
      versionWhere === where ? params : params.slice(0, (versionWhere.match(/\$\d+/g) ?? []).length),
    ),
  ];
  const out = new Map<string, PeriodAnswers & { periodKey: string; formalityId: string }>();
  const of = (periodKey: string, formalityId: string) => {
    const key = `${periodKey}|${formalityId}`;
    let a = out.get(key);
    if (!a) {
      const period = parsePeriodKey(periodKey);
      a = { periodKey, formalityId, units: [], metrics: [], flags: [], running: period !== null && period.end.getTime() > now.getTime() };
      out.set(key, a);
    }
    return a;
  };
  for (const u of units) {
    of(u.period_key, u.formality_id).units.push({
      endpoint: u.endpoint,
      departmentId: u.department_id,
      isRoot: u.is_root,
      departmentCode: u.department_code,
      departmentName: u.department_name,
      departmentType: u.department_type,
      departmentLevel: u.department_level,
      agencyLevel: u.agency_level,
      level: u.level,
      totalScore: n(u.total_score),
      totalMaxScore: n(u.total_max_score),
      rawParams: u.raw_params,
    } satisfies AnswerUnitRow);
  }
  for (const m of metrics) {
    of(m.period_key, m.formality_id).metrics.push({
      endpoint: m.endpoint,
      departmentId: m.department_id,
      code: m.code,
      numerator: n(m.numerator),
      denominator: n(m.denominator),
      score: n(m.score),
      maxScore: n(m.max_score),
    } satisfies AnswerMetricRow);
  }
  for (const f of flags) {
    of(f.period_key, f.formality_id).flags.push({ endpoint: f.endpoint, departmentId: f.department_id, metricCode: f.metric_code, flagCode: f.flag_code, message: f.message } satisfies AnswerFlagRow);
  }
  // the portal's figures are provisional while any of the period's answers is
  for (const v of versions) if (v.status === 'provisional') of(v.period_key, v.formality_id).running = true;
  return out;
}

/** What a stored unit score keeps of each item (the full inputs and explanation are rebuilt on demand). */
function compactItems(u: UnitScore) {
  return u.items.map((it) => ({
    code: it.code,
    group: it.group,
    points: it.points,
    recomputed: it.recomputed,
    official: it.official,
    difference: it.difference,
    status: it.status,
    source: it.source,
    compared: it.compared,
    zeroDenominator: it.zeroDenominator,
    ...(it.flags.length > 0 ? { flags: it.flags } : {}),
  }));
}

/**
 * Scores every unit (and the province) of a province-year — the year, its quarters and months, every scope — with
 * each Decision 766 catalogue covering the year, and stores the latest scores and findings. Incremental: only
 * periods and scopes whose answers were fetched since they were scored (or whose catalogue changed, or that
 * closed since) are scored again. Set-based: their answers are read in four queries, scored in memory and
 * written in batches.
 */
export async function scoreQd766ProvinceYear(
  db: PoolClient,
  catalogues: ScoringCatalogue[],
  provinceCode: string,
  year: number,
  now = new Date(),
  /** optional: milliseconds spent in the rules (the rest is reading and writing) */
  timing?: { rulesMs: number },
): Promise<{ unitScores: number; findings: number }> {
  const own = qd766Catalogues(catalogues, year);
  if (own.length === 0) return { unitScores: 0, findings: 0 };
  // what was fetched per period and scope, against what was scored: only what changed is scored again
  const { rows: fetched } = await db.query(
    `SELECT period_key, formality_id, max(fetched_at) AS at FROM dvcqg_fetch WHERE province_code = $1 AND (period_key = $2 OR period_key LIKE $3) GROUP BY 1, 2`,
    [provinceCode, String(year), `${year}-%`],
  );
  if (fetched.length === 0) return { unitScores: 0, findings: 0 };
  let unitScores = 0;
  let findingCount = 0;
  for (const catalogue of own) {
    const key = catalogueKey(catalogue);
    const digest = catalogueDigest(catalogue);
    const { rows: state } = await db.query(
      `SELECT period_key, formality_id, answers_fetched_at, catalogue_digest, running FROM qd766_scoring_state WHERE province_code = $1 AND catalogue_version = $2`,
      [provinceCode, key],
    );
    const seen = new Map(state.map((s) => [`${s.period_key}|${s.formality_id}`, s]));
    const stale = fetched.filter((f) => {
      const s = seen.get(`${f.period_key}|${f.formality_id}`);
      const period = parsePeriodKey(f.period_key);
      const closedSince = s?.running === true && period !== null && period.end.getTime() <= now.getTime();
      return !s || s.catalogue_digest !== digest || new Date(f.at).getTime() > new Date(s.answers_fetched_at).getTime() || closedSince;
    });
    if (stale.length === 0) continue;
    const periodKeys = [...new Set(stale.map((f) => f.period_key as string))];
    const answers = await loadAnswers(db, `province_code = $1 AND period_key = ANY($2::text[])`, [provinceCode, periodKeys], now);
    const wanted = new Set(stale.map((f) => `${f.period_key}|${f.formality_id}`));
    const scoreRows: unknown[][] = [];
    const findingRows: unknown[][] = [];
    const scoped: Array<[string, string, boolean]> = [];
    for (const a of answers.values()) {
      const period = parsePeriodKey(a.periodKey);
      if (!period || !wanted.has(`${a.periodKey}|${a.formalityId}`)) continue;
      scoped.push([a.periodKey, a.formalityId, a.running]);
      // scoring is CPU work: let the event loop breathe between periods (job locks, HTTP)
      await new Promise((r) => setImmediate(r));
      const t0 = performance.now();
      const { units, findings } = scoreUnits(catalogue, a);
      if (timing) timing.rulesMs += performance.now() - t0;
      for (const u of units) {
        // serialised once: the stored columns and the content digest are made of the same text
        const [flags, groups, items] = [JSON.stringify(u.flags), JSON.stringify(u.groups), JSON.stringify(compactItems(u))];
        const content = createHash('md5')
          .update(`${u.officialTotal}|${u.recomputedTotal}|${u.status}|${u.rankOfficial}|${u.departmentName}|${u.departmentCode}|${flags}|${groups}|${items}`)
          .digest('hex');
        scoreRows.push([a.periodKey, period.kind, a.formalityId, u.departmentId, u.isRoot, u.level, u.departmentCode, u.departmentName, u.departmentType, u.agencyLevel,
          u.officialTotal, u.recomputedTotal, u.rankOfficial, u.rankRecomputed, u.status, flags, groups, items, content]);
      }
      for (const f of findings) findingRows.push(findingRow(a.periodKey, a.formalityId, f));
    }
    await writeScores(db, provinceCode, year, key, digest, scoped, scoreRows);
    await writeFindings(db, provinceCode, key, scoped, findingRows);
    const fetchedAt = new Map(fetched.map((f) => [`${f.period_key}|${f.formality_id}`, f.at]));
    await db.query(
      `INSERT INTO qd766_scoring_state (province_code, catalogue_version, period_key, formality_id, answers_fetched_at, catalogue_digest, running)
       SELECT $1, $2, x.p, x.f, x.at, $3, x.running FROM unnest($4::text[], $5::text[], $6::timestamptz[], $7::bool[]) AS x(p, f, at, running)
       ON CONFLICT (province_code, catalogue_version, period_key, formality_id) DO UPDATE SET
         answers_fetched_at = EXCLUDED.answers_fetched_at, catalogue_digest = EXCLUDED.catalogue_digest, running = EXCLUDED.running, scored_at = now()`,
      [provinceCode, key, digest, scoped.map((s) => s[0]), scoped.map((s) => s[1]), scoped.map((s) => fetchedAt.get(`${s[0]}|${s[1]}`)), scoped.map((s) => s[2])],
    );
    unitScores += scoreRows.length;
    findingCount += findingRows.length;
  }
  return { unitScores, findings: findingCount };
}

function findingRow(periodKey: string, formalityId: string, f: Qd766Finding): unknown[] {
  return [periodKey, formalityId, f.departmentId, f.metric, f.kind, f.official, f.recomputed, f.difference, JSON.stringify(f.inputs), JSON.stringify(f.flags), f.ruleDigest];
}

const col = (rows: unknown[][], i: number) => rows.map((r) => r[i]);

type Scoped = Array<[periodKey: string, formalityId: string, running: boolean]>;

async function writeScores(db: PoolClient, provinceCode: string, year: number, catalogue: string, digest: string, scoped: Scoped, rows: unknown[][]): Promise<void> {
  // in the periods scored again, rows of units no longer in the answers go; the others are upserted, their version bumped on change
  await db.query(
    `DELETE FROM qd766_unit_score s WHERE province_code = $1 AND catalogue_version = $2
        AND (period_key, formality_id) IN (SELECT * FROM unnest($3::text[], $4::text[]))
        AND NOT EXISTS (SELECT 1 FROM unnest($5::text[], $6::text[], $7::text[]) AS x(p, f, d) WHERE x.p = s.period_key AND x.f = s.formality_id AND x.d = s.department_id)`,
    [provinceCode, catalogue, scoped.map((s) => s[0]), scoped.map((s) => s[1]), col(rows, 0), col(rows, 2), col(rows, 3)],
  );
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    await db.query(
      `INSERT INTO qd766_unit_score (province_code, catalogue_version, year, catalogue_digest, period_key, period_kind, formality_id, department_id, is_root, level,
                                     department_code, department_name, department_type, agency_level, official_total, recomputed_total, rank_official, rank_recomputed,
                                     status, flags, groups, items, content_digest)
       SELECT $1, $2, $3, $4, x.* FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::bool[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                                               $15::numeric[], $16::numeric[], $17::int[], $18::int[], $19::text[], $20::jsonb[], $21::jsonb[], $22::jsonb[], $23::text[])
         AS x(period_key, period_kind, formality_id, department_id, is_root, level, department_code, department_name, department_type, agency_level,
              official_total, recomputed_total, rank_official, rank_recomputed, status, flags, groups, items, content_digest)
       ON CONFLICT (province_code, catalogue_version, period_key, formality_id, department_id) DO UPDATE SET
         version = qd766_unit_score.version + CASE WHEN qd766_unit_score.content_digest = EXCLUDED.content_digest THEN 0 ELSE 1 END,
         scored_at = CASE WHEN qd766_unit_score.content_digest = EXCLUDED.content_digest THEN qd766_unit_score.scored_at ELSE now() END,
         catalogue_digest = EXCLUDED.catalogue_digest, period_kind = EXCLUDED.period_kind, is_root = EXCLUDED.is_root, level = EXCLUDED.level,
         department_code = EXCLUDED.department_code, department_name = EXCLUDED.department_name, department_type = EXCLUDED.department_type,
         agency_level = EXCLUDED.agency_level, official_total = EXCLUDED.official_total, recomputed_total = EXCLUDED.recomputed_total,
         rank_official = EXCLUDED.rank_official, rank_recomputed = EXCLUDED.rank_recomputed, status = EXCLUDED.status, flags = EXCLUDED.flags,
         groups = EXCLUDED.groups, items = EXCLUDED.items, content_digest = EXCLUDED.content_digest`,
      [provinceCode, catalogue, year, digest, ...Array.from({ length: 19 }, (_, c) => col(b, c))],
    );
  }
}

async function writeFindings(db: PoolClient, provinceCode: string, catalogue: string, scoped: Scoped, rows: unknown[][]): Promise<void> {
  await db.query(
    `DELETE FROM qd766_finding f WHERE province_code = $1 AND catalogue_version = $2
        AND (period_key, formality_id) IN (SELECT * FROM unnest($3::text[], $4::text[]))
        AND NOT EXISTS (SELECT 1 FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS x(p, s, d, m)
                         WHERE x.p = f.period_key AND x.s = f.formality_id AND x.d = f.department_id AND x.m = f.metric)`,
    [provinceCode, catalogue, scoped.map((s) => s[0]), scoped.map((s) => s[1]), col(rows, 0), col(rows, 1), col(rows, 2), col(rows, 3)],
  );
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    await db.query(
      `INSERT INTO qd766_finding (province_code, catalogue_version, period_key, formality_id, department_id, metric, kind, official, recomputed, difference, inputs, flags, rule_digest)
       SELECT $1, $2, x.* FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::numeric[], $11::jsonb[], $12::jsonb[], $13::text[])
         AS x(period_key, formality_id, department_id, metric, kind, official, recomputed, difference, inputs, flags, rule_digest)
       ON CONFLICT (province_code, catalogue_version, period_key, formality_id, department_id, metric) DO UPDATE SET
         kind = EXCLUDED.kind, official = EXCLUDED.official, recomputed = EXCLUDED.recomputed, difference = EXCLUDED.difference,
         inputs = EXCLUDED.inputs, flags = EXCLUDED.flags, rule_digest = EXCLUDED.rule_digest`,
      [provinceCode, catalogue, ...Array.from({ length: 11 }, (_, c) => col(b, c))],
    );
  }
}
