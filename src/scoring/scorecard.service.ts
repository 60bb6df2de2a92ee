import { AccessScope } from '../platform/auth/access-policy';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { TransparencyLogService } from '../ledger/transparency-log.service';
import { Inject, Injectable, ForbiddenException, NotFoundException } from '@nestjs/common';
import { ScoreboardRow, scoreboardFor } from './publication/results-publication';
import { Pool } from 'pg';
import { InjectPool, withTransaction } from '../platform/database/database.module';
import { RegionsCatalogue } from '../units/regions.loader';
import { ScoreSource, ScoringCatalogue, SubCriterion, coversYear, sourceOfMetric } from './catalogue';
import { ruleMetrics } from './rules/rule.schema';
import { SCORING_CATALOGUES, catalogueKey } from './scoring-catalogues.provider';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const round = (n: number): number => Math.round(n * 10000) / 10000;

/**
 * auto_filled: scored from evidence; no_data: automatic, but the evidence has nothing to count;
 * manual_needed: a document must be attached; stale: scored, but newer evidence exists than the score used
 * (a rescoring is queued or running); not_computed: not scored yet; manual_accepted / manual_rejected: an
 * appraiser reviewed the current document (accepted with the points assigned, or rejected with a reason).
 */
export type ScorecardStatus = 'auto_filled' | 'no_data' | 'manual_needed' | 'manual_accepted' | 'manual_rejected' | 'stale' | 'not_computed';

/** A manual sub-criterion's status from its current document's latest review (no document or no review yet: manual_needed). */
export function manualStatus(review: { decision: 'accepted' | 'rejected' } | null | undefined): ScorecardStatus {
  if (!review) return 'manual_needed';
  return review.decision === 'accepted' ? 'manual_accepted' : 'manual_rejected';
}

export interface ScorecardItem {
  scoreId: number | null;
  subCriterion: string;
  title: string;
  field: string | null;
  criterion: string | null;
  kind: string;
  document: string | null;
  /** where the value comes from (the catalogue's source precedence): dvcqg, dvcqg-published, one-stop-shop, sector, import, document */
  source: ScoreSource;
  status: ScorecardStatus;
  points: number | null;
  maxPoints: number;
  value: number | null;
  ruleDigest: string | null;
  evidenceIds: number[];
  evidenceCount: number;
  /** when the newest evidence behind the score was computed */
  evidenceComputedAt: Date | null;
  version: number | null;
  computedAt: Date | null;
}

/** Reading scores: the latest version per sub-criterion, in catalogue order, with field totals and coverage. */
@Injectable()
export class ScorecardService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
    private readonly regions: RegionsCatalogue,
    private readonly ledger: TransparencyLogService,
  ) {}

  cataloguesFor(year: number, catalogue?: string): ScoringCatalogue[] {
    return this.catalogues.filter((c) => coversYear(c, year) && (!catalogue || catalogueKey(c) === catalogue));
  }

  async scorecard(scope: AccessScope, provinceCode: string, year: number, catalogue?: string, periodKey: string = String(year)) {
    scope.assertProvince(provinceCode);
    const catalogues = this.cataloguesFor(year, catalogue);
    const scoreParams: unknown[] = [provinceCode, year, periodKey];
    const evidenceParams: unknown[] = [provinceCode, periodKey];
    const attachmentParams: unknown[] = [provinceCode, year];
    const [{ rows }, { rows: latestEvidence }, { rows: attachments }] = await Promise.all([
      this.pool.query(
        `SELECT DISTINCT ON (catalogue_version, sub_criterion) * FROM score
          WHERE province_code = $1 AND year = $2 AND period_key = $3 AND ${scope.provinceCondition('province_code', scoreParams)}
          ORDER BY catalogue_version, sub_criterion, version DESC`,
        scoreParams,
      ),
      this.pool.query(
        `SELECT DISTINCT ON (e.metric) e.id, e.metric, c.computed_at FROM evidence_record e JOIN evidence_computation c ON c.id = e.computation_id
          WHERE e.province_code = $1 AND e.period_key = $2 AND e.subject = '' AND ${scope.provinceCondition('e.province_code', evidenceParams)}
          ORDER BY e.metric, e.version DESC`,
        evidenceParams,
      ),
      // the latest document attached to each manual sub-criterion (for the year, whatever the period)
      this.pool.query(
        `SELECT DISTINCT ON (m.catalogue_version, m.sub_criterion) m.id, m.catalogue_version, m.sub_criterion, m.title, m.raw_digest, m.created_at, m.version,
                m.withdrawn_at, r.decision, r.points AS review_points, r.reason, r.reviewer, r.created_at AS reviewed_at
           FROM manual_evidence m
           LEFT JOIN LATERAL (SELECT * FROM manual_evidence_review x WHERE x.manual_evidence_id = m.id ORDER BY x.id DESC LIMIT 1) r ON TRUE
          WHERE m.province_code = $1 AND m.year = $2 AND ${scope.provinceCondition('m.province_code', attachmentParams)}
          ORDER BY m.catalogue_version, m.sub_criterion, m.version DESC`,
        attachmentParams,
      ),
    ]);
    type Review = { decision: 'accepted' | 'rejected'; points: number | null; reason: string | null; reviewer: string; reviewedAt: Date };
    type Attachment = { id: number; title: string; rawDigest: string; attachedAt: Date; version: number; review: Review | null };
    // a withdrawn current version leaves the sub-criterion without a document
    const attachmentByKey = new Map<string, Attachment>(
      attachments
        .filter((a) => a.withdrawn_at === null)
        .map((a) => [
          `${a.catalogue_version}|${a.sub_criterion}`,
          {
            id: Number(a.id),
            title: a.title,
            rawDigest: a.raw_digest,
            attachedAt: a.created_at,
            version: a.version,
            review: a.decision ? { decision: a.decision, points: num(a.review_points), reason: a.reason ?? null, reviewer: a.reviewer, reviewedAt: a.reviewed_at } : null,
          },
        ]),
    );
    const latestByMetric = new Map(latestEvidence.map((e) => [e.metric as string, { id: Number(e.id), computedAt: e.computed_at as Date }]));
    const computedAtById = new Map(latestEvidence.map((e) => [Number(e.id), e.computed_at as Date]));
    const metricById = new Map(latestEvidence.map((e) => [Number(e.id), e.metric as string]));
    const byKey = new Map(rows.map((r) => [`${r.catalogue_version}|${r.sub_criterion}`, r]));
    return {
      provinceCode,
      year,
      period: periodKey,
      catalogues: catalogues.map((c) => {
        const items: Array<ScorecardItem & { attachment?: Attachment | null }> = c.subCriteria.map((s) => {
          const r = byKey.get(`${catalogueKey(c)}|${s.code}`);
          const evidenceIds = r ? (r.evidence_ids as string[]).map(Number) : [];
          const metrics = s.metrics ?? (s.rule ? ruleMetrics(s.rule) : []);
          const stale = r && r.status === 'scored' && metrics.some((m) => {
            const latest = latestByMetric.get(m);
            return latest !== undefined && !evidenceIds.includes(latest.id);
          });
          const times = evidenceIds.map((id) => computedAtById.get(id)).filter((t): t is Date => t !== undefined);
          const attachment = s.kind === 'manual' ? attachmentByKey.get(`${catalogueKey(c)}|${s.code}`) ?? null : undefined;
          const item: ScorecardItem = {
            scoreId: r ? Number(r.id) : null,
            subCriterion: s.code,
            title: s.title,
            field: s.field ?? null,
            criterion: s.criterion ?? null,
            kind: s.kind,
            document: s.document ?? null,
            source: sourceOfItem(s, evidenceIds.map((id) => metricById.get(id)).filter((m): m is string => m !== undefined), metrics),
            status: !r ? (s.kind === 'manual' ? 'manual_needed' : 'not_computed') : r.status === 'manual' ? 'manual_needed' : r.status === 'no_data' ? 'no_data' : stale ? 'stale' : 'auto_filled',
            points: r ? num(r.points) : null,
            maxPoints: s.maxPoints,
            value: r ? num(r.value) : null,
            ruleDigest: r ? r.rule_digest : null,
            evidenceIds,
            evidenceCount: evidenceIds.length,
            evidenceComputedAt: times.length > 0 ? new Date(Math.max(...times.map((t) => t.getTime()))) : null,
            version: r ? r.version : null,
            computedAt: r ? r.computed_at : null,
          };
          if (attachment === undefined) return item;
          // manual: the status and points come from the appraiser's review of the current document
          const accepted = attachment?.review?.decision === 'accepted' ? attachment.review.points : null;
          return { ...item, status: manualStatus(attachment?.review), points: accepted, attachment };
        });
        const filled = items.filter((i) => i.status === 'auto_filled' || i.status === 'stale');
        const manualAccepted = items.filter((i) => i.status === 'manual_accepted');
        const total = items.reduce((a, i) => a + i.maxPoints, 0);
        const fields = (c.fields ?? []).map((f) => {
          const own = items.filter((i) => i.field === f.code);
          return {
            code: f.code,
            title: f.title,
            maxPoints: f.maxPoints,
            points: round(own.reduce((a, i) => a + (i.points ?? 0), 0)),
            filledFromData: own.filter((i) => i.status === 'auto_filled' || i.status === 'stale').length,
            manualNeeded: own.filter((i) => i.status === 'manual_needed').length,
            subCriteria: own.length,
          };
        });
        return {
          catalogue: catalogueKey(c),
          framework: c.framework,
          status: c.status,
          items,
          fields,
          totals: {
            points: round([...filled, ...manualAccepted].reduce((a, i) => a + (i.points ?? 0), 0)),
            manualAcceptedPoints: round(manualAccepted.reduce((a, i) => a + (i.points ?? 0), 0)),
            maxPoints: round(total),
            scoredMaxPoints: round(filled.reduce((a, i) => a + i.maxPoints, 0)),
            automaticMaxPoints: round(items.filter((i) => i.kind !== 'manual').reduce((a, i) => a + i.maxPoints, 0)),
            stillManual: items.filter((i) => i.status === 'manual_needed' || i.status === 'manual_rejected').map((i) => i.subCriterion),
            noData: items.filter((i) => i.status === 'no_data' || i.status === 'not_computed').map((i) => i.subCriterion),
            stale: items.filter((i) => i.status === 'stale').map((i) => i.subCriterion),
          },
          coverage: {
            subCriteria: items.length,
            filledFromData: filled.length,
            manualNeeded: items.filter((i) => i.status === 'manual_needed').length,
            points: round(total),
            pointsFromData: round(filled.reduce((a, i) => a + i.maxPoints, 0)),
            share: total > 0 ? round(filled.reduce((a, i) => a + i.maxPoints, 0) / total) : null,
          },
        };
      }),
    };
  }

  /** Recomputed scores beside the official ones a source published; `finding` when they differ beyond tolerance. */
  async scoreChecks(scope: AccessScope, provinceCode: string, year: number) {
    scope.assertProvince(provinceCode);
    const params: unknown[] = [provinceCode, year];
    const { rows } = await this.pool.query(
      `SELECT * FROM score_check WHERE province_code = $1 AND year = $2 AND ${scope.provinceCondition('province_code', params)}
        ORDER BY catalogue_version, sub_criterion`,
      params,
    );
    return rows.map((r) => ({
      catalogue: r.catalogue_version,
      subCriterion: r.sub_criterion,
      metric: r.metric,
      computedPoints: num(r.computed_points),
      officialPoints: num(r.official_points),
      difference: num(r.difference),
      finding: r.finding,
      scoreId: r.score_id === null ? null : Number(r.score_id),
      officialEvidenceId: r.official_evidence_id === null ? null : Number(r.official_evidence_id),
      checkedAt: r.checked_at,
    }));
  }

  /** The national table by socio-economic region: provinces, mean points and coverage, best province. */
  async scoreboardByRegion(scope: AccessScope, year: number, catalogue: string) {
    // regional means are made of every province of the region: only for roles that reach every province
    if (scope.province !== null) throw new ForbiddenException('regional tables cover other provinces');
    const board = await this.scoreboard(scope, year, catalogue);
    return this.regions.regions.map((region) => {
      const own = board.filter((r) => r.region === region.code);
      const mean = (xs: number[]) => (xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length));
      return {
        region: region.code,
        name: region.name,
        provinces: region.provinces.length,
        scoredProvinces: own.length,
        meanPoints: mean(own.map((r) => r.points ?? 0)),
        meanCoverage: mean(own.map((r) => r.coverage ?? 0)),
        best: own[0] ? { provinceCode: own[0].provinceCode, points: own[0].points, nationalRank: own[0].rank } : null,
      };
    });
  }

  /** Every province's totals for a year and catalogue (latest versions), ranked, with coverage. */
  /** The national table as the scope may see it: live, draft (own province only) or published (see scoreboardFor). */
  async scoreboard(scope: AccessScope, year: number, catalogue?: string): Promise<ScoreboardRow[]> {
    const [live, published] = await Promise.all([this.liveScoreboard(year, catalogue), scope.province === null ? null : this.publishedScoreboard(year)]);
    return scoreboardFor(scope, live, published, catalogue);
  }

  /** The table an administrator publishes: every province, ranked, as it stands. */
  async publish(year: number, publishedBy: string): Promise<{ year: number; publishedAt: Date; publishedBy: string; rows: number }> {
    const table = await this.liveScoreboard(year);
    if (table.length === 0) throw new NotFoundException(`no scores for ${year}: nothing to publish`);
    // the publication is a fact of the transparency log, written with it
    const publishedAt = await withTransaction(this.pool, async (db) => {
      const { rows } = await db.query(
        `INSERT INTO results_publication (year, published_by, scoreboard) VALUES ($1, $2, $3)
         ON CONFLICT (year) DO UPDATE SET published_at = now(), published_by = EXCLUDED.published_by, scoreboard = EXCLUDED.scoreboard
         RETURNING published_at`,
        [year, publishedBy, JSON.stringify(table)],
      );
      const at = (rows[0].published_at as Date).toISOString();
      const scoreboardDigest = createHash('sha256').update(canonicalize(table) ?? '').digest('hex');
      await this.ledger.append('results_publication', `${year}@${at}`, { year, published_at: at, published_by: publishedBy, rows: table.length, scoreboard_sha256: scoreboardDigest }, db);
      return rows[0].published_at as Date;
    });
    await this.ledger.appendPending();
    return { year, publishedAt, publishedBy, rows: table.length };
  }

  private async publishedScoreboard(year: number): Promise<ScoreboardRow[] | null> {
    const { rows } = await this.pool.query(`SELECT scoreboard FROM results_publication WHERE year = $1`, [year]);
    return rows.length === 0 ? null : (rows[0].scoreboard as ScoreboardRow[]);
  }

  private async liveScoreboard(year: number, catalogue?: string): Promise<ScoreboardRow[]> {
    const params: unknown[] = [year, catalogue ?? null];
    const { rows } = await this.pool.query(
      `WITH latest AS (
         SELECT DISTINCT ON (province_code, catalogue_version, sub_criterion) province_code, catalogue_version, status, points, max_points
           FROM score WHERE year = $1 AND period_key = $1::text AND ($2::text IS NULL OR catalogue_version = $2)
          ORDER BY province_code, catalogue_version, sub_criterion, version DESC),
       totals AS (
         SELECT province_code, catalogue_version,
                coalesce(sum(points) FILTER (WHERE status = 'scored'), 0) AS points,
                coalesce(sum(max_points) FILTER (WHERE status = 'scored'), 0) AS scored_max,
                sum(max_points) AS max_points,
                count(*) FILTER (WHERE status = 'scored')::int AS scored,
                count(*) FILTER (WHERE status = 'no_data')::int AS no_data,
                count(*) FILTER (WHERE status = 'manual')::int AS manual
           FROM latest GROUP BY province_code, catalogue_version)
       SELECT * FROM (SELECT *, rank() OVER (PARTITION BY catalogue_version ORDER BY points DESC) AS rank FROM totals) ranked
        ORDER BY catalogue_version, rank, province_code`,
      params,
    );
    return rows.map((r) => ({
      rank: Number(r.rank),
      provinceCode: r.province_code,
      region: this.regions.regionOf(r.province_code)?.code ?? null,
      catalogue: r.catalogue_version,
      points: num(r.points),
      scoredMaxPoints: num(r.scored_max),
      maxPoints: num(r.max_points),
      coverage: Number(r.max_points) > 0 ? round(Number(r.scored_max) / Number(r.max_points)) : null,
      scored: r.scored,
      noData: r.no_data,
      manual: r.manual,
    }));
  }
}

/** The source an item's score used: a declared fallback shows in the evidence it read; else the rule's own. */
function sourceOfItem(item: SubCriterion, usedMetrics: string[], ruleMetricCodes: string[]): ScoreSource {
  if (item.kind === 'manual') return 'document';
  if (item.portal?.published) return 'dvcqg-published';
  if (item.kind === 'imported') return 'import';
  return sourceOfMetric(usedMetrics[0] ?? ruleMetricCodes[0] ?? '');
}
