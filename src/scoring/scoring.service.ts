import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { InjectPool, withTransaction } from '../platform/database/database.module';
import { monthPeriod, quarterPeriod, yearPeriod } from '../platform/time/vietnam-time';
import { ScoringCatalogue, SubCriterionScore, coversYear, scoreCatalogue } from './catalogue';
import { RuleInputs } from './rules/rule.types';
import { SCORING_CATALOGUES, catalogueKey } from './scoring-catalogues.provider';
import { scoreQd766ProvinceYear } from './qd766/qd766-scoring';

export function scoreContentDigest(s: SubCriterionScore, evidenceIds: number[]): string {
  return createHash('sha256')
    .update(JSON.stringify([s.status, s.points, s.value, s.ruleDigest, [...evidenceIds].sort((a, b) => a - b)]))
    .digest('hex');
}

export interface ScoringInputs {
  inputs: RuleInputs;
  /** evidence record id of each metric used */
  idOf: Map<string, number>;
  /** imported value id of each imported.<key> */
  importedIdOf: Map<string, number>;
}

/**
 * What a province-year is scored from: the latest year evidence of the whole province (subject ''), and the
 * latest imported survey values as imported.<key> = value / max.
 */
export async function loadScoringInputs(db: Pool | PoolClient, provinceCode: string, year: number, periodKey: string = String(year)): Promise<ScoringInputs> {
  const { rows: evidence } = await db.query(
    `SELECT DISTINCT ON (metric) id, metric, numerator, denominator
       FROM evidence_record WHERE province_code = $1 AND period_key = $2 AND subject = ''
      ORDER BY metric, version DESC`,
    [provinceCode, periodKey],
  );
  const inputs: Record<string, { numerator: number | null; denominator: number | null }> = {};
  const idOf = new Map<string, number>();
  for (const e of evidence) {
    inputs[e.metric] = { numerator: e.numerator === null ? null : Number(e.numerator), denominator: e.denominator === null ? null : Number(e.denominator) };
    idOf.set(e.metric, Number(e.id));
  }
  // imported values are yearly: they count for the year period only
  const { rows: imported } = periodKey !== String(year) ? { rows: [] as Array<Record<string, any>> } : await db.query(
    `SELECT DISTINCT ON (import_key) id, import_key, value, max_value FROM imported_value
      WHERE province_code = $1 AND year = $2 ORDER BY import_key, version DESC`,
    [provinceCode, year],
  );
  const importedIdOf = new Map<string, number>();
  for (const i of imported) {
    inputs[`imported.${i.import_key}`] = { numerator: Number(i.value), denominator: Number(i.max_value) };
    importedIdOf.set(`imported.${i.import_key}`, Number(i.id));
  }
  return { inputs: inputs as RuleInputs, idOf, importedIdOf };
}

/** Official and recomputed points may differ by rounding (the portal rounds to two decimals); beyond this, it is a finding. */
export const OFFICIAL_SCORE_TOLERANCE = 0.015;

/**
 * For every sub-criterion scored from a single published metric that also comes with its official score
 * (`<metric>.official_score`, e.g. from the DVCQG portal), records the recomputed and the official points side
 * by side; a difference above the tolerance is a data-quality finding.
 */
async function checkAgainstOfficial(
  db: PoolClient,
  provinceCode: string,
  year: number,
  catalogue: string,
  scores: SubCriterionScore[],
  inputs: RuleInputs,
  idOf: Map<string, number>,
): Promise<void> {
  for (const s of scores) {
    if (s.usedMetrics.length !== 1) continue;
    const official = inputs[`${s.usedMetrics[0]}.official_score`];
    if (!official || official.numerator === null) continue;
    const difference = s.points === null ? null : Math.round(Math.abs(s.points - official.numerator) * 1e6) / 1e6;
    const finding = difference === null || difference > OFFICIAL_SCORE_TOLERANCE;
    await db.query(
      `INSERT INTO score_check (province_code, year, catalogue_version, sub_criterion, metric, computed_points, official_points, difference, finding, score_id, official_evidence_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
               (SELECT id FROM score WHERE province_code = $1 AND period_key = $11 AND catalogue_version = $3 AND sub_criterion = $4 ORDER BY version DESC LIMIT 1), $10)
       ON CONFLICT (province_code, year, catalogue_version, sub_criterion) DO UPDATE SET
         metric = EXCLUDED.metric, computed_points = EXCLUDED.computed_points, official_points = EXCLUDED.official_points,
         difference = EXCLUDED.difference, finding = EXCLUDED.finding, score_id = EXCLUDED.score_id,
         official_evidence_id = EXCLUDED.official_evidence_id, checked_at = now()`,
      [provinceCode, year, catalogue, s.subCriterion, s.usedMetrics[0], s.points, official.numerator, difference, finding, idOf.get(`${s.usedMetrics[0]}.official_score`) ?? null, String(year)],
    );
  }
}

/**
 * Scores a province-year from its latest year evidence with every catalogue that covers the year. A score is
 * versioned: a new version is written only when its content (status, points, rule digest, evidence used) changed.
 */
@Injectable()
export class ScoringService {
  private readonly logger = new Logger(ScoringService.name);

  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
  ) {}

  async score(provinceCode: string, year: number): Promise<{ newVersions: number }> {
    const result = await withTransaction(this.pool, async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('score:' || $1 || ':' || $2::text))`, [provinceCode, year]);
      const { rows: claimed } = await db.query(`SELECT seq FROM scoring_outbox WHERE province_code = $1 AND year = $2`, [provinceCode, year]);
      let newVersions = 0;
      const catalogues = this.catalogues.filter((c) => coversYear(c, year));
      // the year, and each of its quarters and months that has started
      const now = new Date();
      const periods = [yearPeriod(year), ...[1, 2, 3, 4].map((q) => quarterPeriod(year, q)), ...Array.from({ length: 12 }, (_, m) => monthPeriod(year, m + 1))].filter((p) => p.start <= now);
      for (const period of periods) {
        const { inputs, idOf, importedIdOf } = await loadScoringInputs(db, provinceCode, year, period.key);
        for (const catalogue of catalogues) {
          const key = catalogueKey(catalogue);
          const scores = scoreCatalogue(catalogue, inputs);
          const { rows: latest } = await db.query(
            `SELECT DISTINCT ON (sub_criterion) sub_criterion, version, content_digest FROM score
              WHERE province_code = $1 AND period_key = $2 AND catalogue_version = $3 ORDER BY sub_criterion, version DESC`,
            [provinceCode, period.key, key],
          );
          const current = new Map(latest.map((r) => [r.sub_criterion as string, { version: r.version as number, digest: r.content_digest as string }]));
          const rows = scores
            .map((s) => {
              const evidenceIds = s.usedMetrics.map((m) => idOf.get(m)).filter((id): id is number => id !== undefined);
              const importedIds = s.usedMetrics.map((m) => importedIdOf.get(m)).filter((id): id is number => id !== undefined);
              const digest = scoreContentDigest(s, [...evidenceIds, ...importedIds.map((id) => -id)]);
              const previous = current.get(s.subCriterion);
              return { s, evidenceIds, importedIds, digest, version: (previous?.version ?? 0) + 1, changed: previous?.digest !== digest };
            })
            .filter((r) => r.changed);
          if (rows.length > 0) {
            await db.query(
              `INSERT INTO score (province_code, year, framework, catalogue_version, sub_criterion, rule_digest, status, value, points, max_points, evidence_ids, version, content_digest, imported_ids, period_kind, period_key)
               SELECT $1, $2, $3, $4, x.sub, x.rule_digest, x.status, x.value, x.points, x.max_points, string_to_array(x.evidence, ',')::bigint[], x.version, x.digest,
                      string_to_array(x.imported, ',')::bigint[], $15, $16
                 FROM unnest($5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::numeric[], $11::text[], $12::int[], $13::text[], $14::text[])
                   AS x(sub, rule_digest, status, value, points, max_points, evidence, version, digest, imported)`,
              [
                provinceCode,
                year,
                catalogue.framework,
                key,
                rows.map((r) => r.s.subCriterion),
                rows.map((r) => r.s.ruleDigest),
                rows.map((r) => r.s.status),
                rows.map((r) => r.s.value),
                rows.map((r) => r.s.points),
                rows.map((r) => r.s.maxPoints),
                rows.map((r) => r.evidenceIds.join(',')),
                rows.map((r) => r.version),
                rows.map((r) => r.digest),
                rows.map((r) => r.importedIds.join(',')),
                period.kind,
                period.key,
              ],
            );
            newVersions += rows.length;
          }
          // only the Decision 766 catalogue is compared with the portal's published scores
          if (period.kind === 'year' && catalogue.framework === 'QD766') await checkAgainstOfficial(db, provinceCode, year, key, scores, inputs, idOf);
        }
      }
      // Decision 766 per unit, period and scope, official beside recomputed (only QD766 catalogues)
      await scoreQd766ProvinceYear(db, this.catalogues, provinceCode, year);
      if (claimed.length > 0) {
        await db.query(`DELETE FROM scoring_outbox WHERE province_code = $1 AND year = $2 AND seq = $3`, [provinceCode, year, claimed[0].seq]);
      }
      return { newVersions };
    });
    if (result.newVersions > 0) this.logger.log({ provinceCode, year, ...result }, 'scores written');
    return result;
  }

  async staleOutbox(olderThanMs: number): Promise<Array<{ provinceCode: string; year: number }>> {
    const { rows } = await this.pool.query(
      `SELECT province_code, year FROM scoring_outbox WHERE marked_at < now() - make_interval(secs => $1::float8 / 1000)`,
      [olderThanMs],
    );
    return rows.map((r) => ({ provinceCode: r.province_code, year: r.year }));
  }
}
