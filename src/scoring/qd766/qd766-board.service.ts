import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Pool } from 'pg';
import { AccessScope } from '../../platform/auth/access-policy';
import { InjectPool } from '../../platform/database/database.module';
import { parsePeriodKey, toVietnamWallClock } from '../../platform/time/vietnam-time';
import { ScoringCatalogue } from '../catalogue';
import { SCORING_CATALOGUES, catalogueKey } from '../scoring-catalogues.provider';
import { loadAnswers, qd766Catalogues } from './qd766-scoring';
import { scoreUnits } from './qd766-unit-scorer';
import { Qd766FindingsQuery, Qd766PageQuery, Qd766PeriodQuery, Qd766RawQuery, Qd766UnitsQuery } from './qd766.dto';

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const bad = (message: string) => new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [message] });

interface Resolved {
  periodKey: string;
  year: number;
  catalogue: string;
  formalityId: string;
  page: number;
  pageSize: number;
}

const SORT_SQL: Record<string, string> = {
  rank: 'rank_official',
  official: 'official_total',
  recomputed: 'recomputed_total',
  difference: 'abs(coalesce(official_total, 0) - coalesce(recomputed_total, 0))',
  name: 'department_name',
  code: 'department_code',
};

function unitRow(r: Record<string, any>) {
  return {
    departmentId: r.department_id,
    level: r.level,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    departmentType: r.department_type,
    officialTotal: n(r.official_total),
    recomputedTotal: n(r.recomputed_total),
    rank: r.rank_official,
    rankRecomputed: r.rank_recomputed,
    status: r.status,
    flags: r.flags,
    groups: r.groups,
    version: r.version,
  };
}

/**
 * The Decision 766 views over the stored unit scores, findings and portal answers: the province board for a
 * period, its units, one unit with every metric, flag, source answer and lineage, findings, raw answers. Every
 * query carries the caller's province condition.
 */
@Injectable()
export class Qd766BoardService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
  ) {}

  private resolve(query: Qd766PeriodQuery & Partial<Qd766PageQuery>): Resolved {
    const periodKey = query.period ?? String(toVietnamWallClock(new Date()).year);
    const period = parsePeriodKey(periodKey);
    if (!period) throw bad('period: not a year, quarter or month');
    const year = Number(periodKey.slice(0, 4));
    const own = qd766Catalogues(this.catalogues, year);
    const catalogue = query.catalogue ?? (own.length > 0 ? catalogueKey(own[own.length - 1]) : undefined);
    if (!catalogue || !own.some((c) => catalogueKey(c) === catalogue)) {
      throw bad(`catalogue: ${query.catalogue ?? '(default)'} is not a Decision 766 catalogue covering ${year} (${own.map(catalogueKey).join(', ') || 'none'})`);
    }
    const page = query.page === undefined ? 1 : Number(query.page);
    const pageSize = query.pageSize === undefined ? 50 : Number(query.pageSize);
    if (page < 1) throw bad('page must be 1 or more');
    if (pageSize < 1 || pageSize > 500) throw bad('pageSize must be from 1 to 500');
    return { periodKey, year, catalogue, formalityId: !query.scope || query.scope === 'all' ? '' : query.scope, page, pageSize };
  }

  async board(scope: AccessScope, provinceCode: string, query: Qd766PeriodQuery) {
    scope.assertProvince(provinceCode);
    const r = this.resolve(query);
    const params: unknown[] = [provinceCode, r.catalogue, r.periodKey, r.formalityId];
    const cond = scope.provinceCondition('province_code', params);
    const { rows: root } = await this.pool.query(`SELECT * FROM qd766_unit_score WHERE province_code = $1 AND catalogue_version = $2 AND period_key = $3 AND formality_id = $4 AND is_root AND ${cond}`, params);
    const { rows: levels } = await this.pool.query(
      `SELECT level, count(*)::int AS n FROM qd766_unit_score WHERE province_code = $1 AND catalogue_version = $2 AND period_key = $3 AND formality_id = $4 AND NOT is_root AND ${cond} GROUP BY level`,
      params,
    );
    const { rows: kinds } = await this.pool.query(
      `SELECT kind, count(*)::int AS n FROM qd766_finding WHERE province_code = $1 AND catalogue_version = $2 AND period_key = $3 AND formality_id = $4 AND ${cond} GROUP BY kind
        UNION ALL
       SELECT 'closed_period_revised', count(*)::int FROM dvcqg_answer_version WHERE province_code = $1 AND period_key = $3 AND formality_id = $4 AND revises_final AND ${cond}`,
      params,
    );
    // the rank among the provinces scored for the period (only the number is shown, not the others' figures)
    const { rows: rank } = await this.pool.query(
      `SELECT r FROM (SELECT province_code, rank() OVER (ORDER BY official_total DESC NULLS LAST)::int AS r FROM qd766_unit_score
                       WHERE catalogue_version = $2 AND period_key = $3 AND formality_id = $4 AND is_root) x
        WHERE province_code = $1 AND ${cond}`,
      params,
    );
    return {
      provinceCode,
      period: r.periodKey,
      catalogue: r.catalogue,
      scope: r.formalityId || 'all',
      province: root[0] ? unitRow(root[0]) : null,
      items: root[0]?.items ?? [],
      nationalRank: rank[0]?.r ?? null,
      units: Object.fromEntries(levels.map((l) => [l.level, l.n])),
      findings: Object.fromEntries(kinds.filter((k) => k.n > 0).map((k) => [k.kind, k.n])),
    };
  }

  async units(scope: AccessScope, provinceCode: string, query: Qd766UnitsQuery) {
    scope.assertProvince(provinceCode);
    const r = this.resolve(query);
    const params: unknown[] = [provinceCode, r.catalogue, r.periodKey, r.formalityId];
    const where = [`province_code = $1`, `catalogue_version = $2`, `period_key = $3`, `formality_id = $4`, `NOT is_root`, scope.provinceCondition('province_code', params)];
    if (query.level) where.push(`level = $${params.push(query.level)}`);
    if (query.type) where.push(`department_type = $${params.push(query.type)}`);
    if (query.name) where.push(`department_name ILIKE $${params.push(`%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    const sort = SORT_SQL[query.sort ?? 'rank'];
    const order = query.order ?? (query.sort === undefined || query.sort === 'rank' || query.sort === 'name' || query.sort === 'code' ? 'asc' : 'desc');
    params.push(r.pageSize, (r.page - 1) * r.pageSize);
    const { rows } = await this.pool.query(
      `SELECT *, count(*) OVER ()::int AS total FROM qd766_unit_score WHERE ${where.join(' AND ')}
        ORDER BY ${sort} ${order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, department_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { total: rows[0]?.total ?? 0, page: r.page, pageSize: r.pageSize, units: rows.map(unitRow) };
  }

  async unit(scope: AccessScope, provinceCode: string, departmentId: string, query: Qd766PeriodQuery) {
    scope.assertProvince(provinceCode);
    const r = this.resolve(query);
    const params: unknown[] = [provinceCode, r.catalogue, r.periodKey, r.formalityId, departmentId];
    const { rows } = await this.pool.query(
      `SELECT * FROM qd766_unit_score WHERE province_code = $1 AND catalogue_version = $2 AND period_key = $3 AND formality_id = $4 AND department_id = $5
          AND ${scope.provinceCondition('province_code', params)}`,
      params,
    );
    if (rows.length === 0) throw new NotFoundException(`no Decision 766 score of unit ${departmentId} for ${r.periodKey} in province ${provinceCode}`);
    const key = [provinceCode, r.periodKey, r.formalityId, departmentId];
    // every item again, with its inputs, flags and explanation, from the stored answers
    const answers = await loadAnswers(this.pool, `province_code = $1 AND period_key = $2 AND formality_id = $3 AND department_id = $4`, key, new Date());
    const catalogue = this.catalogues.find((c) => catalogueKey(c) === r.catalogue)!;
    const period = answers.get(`${r.periodKey}|${r.formalityId}`);
    const items = period ? (scoreUnits(catalogue, period).units[0]?.items ?? []) : [];
    const [{ rows: units }, { rows: metrics }, { rows: flags }, { rows: versions }, { rows: subject }] = [
      await this.pool.query(
        `SELECT endpoint, department_code, department_name, level, department_type, department_level, agency_level, total_score, total_max_score, raw_params, record,
                run_id, raw_digest, page, position, fetched_at
           FROM dvcqg_unit WHERE province_code = $1 AND period_key = $2 AND formality_id = $3 AND department_id = $4 ORDER BY endpoint`,
        key,
      ),
      await this.pool.query(
        `SELECT endpoint, code, name, numerator, denominator, ratio, score, max_score, informational, record, run_id, raw_digest, page, position
           FROM dvcqg_metric WHERE province_code = $1 AND period_key = $2 AND formality_id = $3 AND department_id = $4 ORDER BY endpoint, code`,
        key,
      ),
      await this.pool.query(
        `SELECT endpoint, metric_code, flag_code, message, raw_digest FROM dvcqg_flag
          WHERE province_code = $1 AND period_key = $2 AND formality_id = $3 AND department_id IN ($4, '') ORDER BY endpoint, metric_code`,
        key,
      ),
      await this.pool.query(
        `SELECT endpoint, version, status, content_digest, revises_final, run_id, raw_digests, fetched_at, finalised_at FROM dvcqg_answer_version
          WHERE province_code = $1 AND period_key = $2 AND formality_id = $3 ORDER BY endpoint, version`,
        key.slice(0, 3),
      ),
      await this.pool.query(`SELECT * FROM dvcqg_subject WHERE province_code = $1 AND department_id = $2 ORDER BY version`, [provinceCode, departmentId]),
    ];
    return {
      unit: { ...unitRow(rows[0]), items: rows[0].items },
      items,
      answers: {
        units: units.map((u) => ({ ...u, totalScore: n(u.total_score), totalMaxScore: n(u.total_max_score) })),
        metrics: metrics.map((m) => ({ ...m, numerator: n(m.numerator), denominator: n(m.denominator), ratio: n(m.ratio), score: n(m.score), max_score: n(m.max_score) })),
        flags,
      },
      lineage: { ruleVersion: { catalogue: r.catalogue, catalogueDigest: rows[0].catalogue_digest, scoreVersion: rows[0].version, scoredAt: rows[0].scored_at }, answerVersions: versions, subjectVersions: subject },
    };
  }

  async findings(scope: AccessScope, provinceCode: string, query: Qd766FindingsQuery) {
    scope.assertProvince(provinceCode);
    const r = this.resolve(query);
    const params: unknown[] = [provinceCode, r.catalogue, r.periodKey, r.formalityId];
    const cond = scope.provinceCondition('province_code', params);
    const filters: string[] = [];
    if (query.departmentId) filters.push(`department_id = $${params.push(query.departmentId)}`);
    if (query.metric) filters.push(`metric = $${params.push(query.metric)}`);
    if (query.kind) filters.push(`kind = $${params.push(query.kind)}`);
    params.push(r.pageSize, (r.page - 1) * r.pageSize);
    const { rows } = await this.pool.query(
      `SELECT *, count(*) OVER ()::int AS total FROM (
         SELECT period_key, formality_id, department_id, metric, kind, official, recomputed, difference, inputs, flags, rule_digest, detected_at
           FROM qd766_finding WHERE province_code = $1 AND catalogue_version = $2 AND period_key = $3 AND formality_id = $4 AND ${cond}
         UNION ALL
         SELECT period_key, formality_id, '' AS department_id, 'revision:' || endpoint || ':v' || version AS metric, 'closed_period_revised' AS kind,
                NULL::numeric, NULL::numeric, NULL::numeric,
                jsonb_build_object('endpoint', endpoint, 'version', version, 'contentDigest', content_digest, 'runId', run_id, 'rawDigests', raw_digests),
                '[]'::jsonb, NULL::text, fetched_at
           FROM dvcqg_answer_version WHERE province_code = $1 AND period_key = $3 AND formality_id = $4 AND revises_final AND ${cond}
       ) f ${filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''}
       ORDER BY detected_at DESC, department_id, metric LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      total: rows[0]?.total ?? 0,
      page: r.page,
      pageSize: r.pageSize,
      findings: rows.map((f) => ({
        period: f.period_key,
        scope: f.formality_id || 'all',
        departmentId: f.department_id,
        metric: f.metric,
        kind: f.kind,
        official: n(f.official),
        recomputed: n(f.recomputed),
        difference: n(f.difference),
        inputs: f.inputs,
        flags: f.flags,
        ruleDigest: f.rule_digest,
        detectedAt: f.detected_at,
      })),
    };
  }

  async rawAnswers(scope: AccessScope, provinceCode: string, query: Qd766RawQuery) {
    scope.assertProvince(provinceCode);
    const r = this.resolve(query);
    const params: unknown[] = [provinceCode, r.periodKey, r.formalityId];
    const where = [`province_code = $1`, `period_key = $2`, `formality_id = $3`, scope.provinceCondition('province_code', params)];
    if (query.endpoint) where.push(`endpoint = $${params.push(query.endpoint)}`);
    params.push(r.pageSize, (r.page - 1) * r.pageSize);
    const { rows } = await this.pool.query(
      `SELECT endpoint, formality_id, page, request_body, raw_digest, run_id, fetched_at, count(*) OVER ()::int AS total FROM dvcqg_fetch
        WHERE ${where.join(' AND ')} ORDER BY fetched_at DESC, endpoint, page LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      total: rows[0]?.total ?? 0,
      page: r.page,
      pageSize: r.pageSize,
      answers: rows.map((a) => ({ period: r.periodKey, endpoint: a.endpoint, scope: a.formality_id || 'all', page: a.page, requestBody: a.request_body, rawDigest: String(a.raw_digest), runId: a.run_id, fetchedAt: a.fetched_at })),
    };
  }
}
