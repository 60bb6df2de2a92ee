import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { AccessScope } from '../platform/auth/access-policy';
import { InjectPool } from '../platform/database/database.module';
import { AppraisalService } from '../appraisal/appraisal.service';
import { EvidenceService, EvidenceView } from '../evidence/evidence.service';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { ScoringCatalogue } from '../scoring/catalogue';
import { ScorecardService } from '../scoring/scorecard.service';
import { UnitsCatalogue } from '../units/units.loader';

/** One row of the lineage sheet: a score and one input it used (an evidence record or an imported value). */
export interface LineageRow {
  subCriterion: string;
  scoreId: number;
  scoreVersion: number;
  scoreDigest: string;
  ruleDigest: string;
  inputKind: 'evidence' | 'imported';
  inputId: number;
  metric: string;
  periodKey: string;
  inputVersion: number;
  inputDigest: string | null;
  countingRule: string | null;
  sourceKind: string;
  recordCount: number | null;
  runIds: string[];
  rawDigests: string[];
}

type Scorecard = Awaited<ReturnType<ScorecardService['scorecard']>>;
export type CatalogueCard = Scorecard['catalogues'][number];

export interface ProvinceYearExport {
  province: { code: string; name: string };
  year: number;
  catalogue: ScoringCatalogue;
  card: CatalogueCard;
  evidence: EvidenceView[];
  lineage: LineageRow[];
  findings: Awaited<ReturnType<ReconciliationService['forProvinceYear']>>;
  appraisal: Awaited<ReturnType<AppraisalService['view']>>;
  generatedAt: Date;
}

/** Everything an evidence pack of a province-year and catalogue version holds, read within the caller's scope. */
@Injectable()
export class ProvinceYearExportService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly scorecards: ScorecardService,
    private readonly evidence: EvidenceService,
    private readonly reconciliation: ReconciliationService,
    private readonly appraisal: AppraisalService,
    private readonly units: UnitsCatalogue,
  ) {}

  async gather(scope: AccessScope, provinceCode: string, year: number, catalogueKey: string): Promise<ProvinceYearExport> {
    scope.assertProvince(provinceCode);
    const catalogue = this.appraisal.catalogueFor(provinceCode, year, catalogueKey);
    const card = (await this.scorecards.scorecard(scope, provinceCode, year, catalogueKey)).catalogues[0];
    const [evidence, lineage, findings, appraisal] = [
      await this.evidence.forProvinceYear(scope, provinceCode, year),
      await this.lineage(scope, provinceCode, year, catalogueKey),
      await this.reconciliation.forProvinceYear(scope, provinceCode, year),
      await this.appraisal.view(scope, provinceCode, year, catalogueKey),
    ];
    return {
      province: { code: provinceCode, name: this.units.province(provinceCode)?.name ?? provinceCode },
      year,
      catalogue,
      card,
      evidence,
      lineage,
      findings,
      appraisal,
      generatedAt: new Date(),
    };
  }

  /** The inputs of the latest year score of every sub-criterion: evidence with its computation, imported values with their upload. */
  async lineage(scope: AccessScope, provinceCode: string, year: number, catalogue: string, subCriterion?: string): Promise<LineageRow[]> {
    const params: unknown[] = [provinceCode, year, catalogue, subCriterion ?? null];
    const latest = `SELECT DISTINCT ON (sub_criterion) * FROM score
                     WHERE province_code = $1 AND year = $2 AND period_key = $2::text AND catalogue_version = $3 AND ($4::text IS NULL OR sub_criterion = $4)
                       AND ${scope.provinceCondition('province_code', params)}
                     ORDER BY sub_criterion, version DESC`;
    const { rows: evidence } = await this.pool.query(
      `SELECT s.sub_criterion, s.id AS score_id, s.version AS score_version, s.content_digest AS score_digest, s.rule_digest,
              e.id AS input_id, e.metric, e.period_key, e.version AS input_version, e.content_digest AS input_digest, e.rule_version,
              c.source_kind, c.record_count, c.run_ids, c.raw_digests
         FROM (${latest}) s CROSS JOIN LATERAL unnest(s.evidence_ids) AS used(id)
         JOIN evidence_record e ON e.id = used.id JOIN evidence_computation c ON c.id = e.computation_id
        ORDER BY s.sub_criterion, e.metric`,
      params,
    );
    const { rows: imported } = await this.pool.query(
      `SELECT s.sub_criterion, s.id AS score_id, s.version AS score_version, s.content_digest AS score_digest, s.rule_digest,
              i.id AS input_id, 'imported.' || i.import_key AS metric, i.year::text AS period_key, i.version AS input_version, u.source, u.raw_digest
         FROM (${latest}) s CROSS JOIN LATERAL unnest(s.imported_ids) AS used(id)
         JOIN imported_value i ON i.id = used.id JOIN import_upload u ON u.id = i.upload_id
        ORDER BY s.sub_criterion, i.import_key`,
      params,
    );
    const common = (r: Record<string, any>) => ({
      subCriterion: r.sub_criterion as string,
      scoreId: Number(r.score_id),
      scoreVersion: r.score_version as number,
      scoreDigest: r.score_digest as string,
      ruleDigest: r.rule_digest as string,
      inputId: Number(r.input_id),
      metric: r.metric as string,
      periodKey: r.period_key as string,
      inputVersion: r.input_version as number,
    });
    return [
      ...evidence.map((r) => ({ ...common(r), inputKind: 'evidence' as const, inputDigest: r.input_digest, countingRule: r.rule_version, sourceKind: r.source_kind, recordCount: r.record_count, runIds: r.run_ids as string[], rawDigests: r.raw_digests as string[] })),
      ...imported.map((r) => ({ ...common(r), inputKind: 'imported' as const, inputDigest: null, countingRule: null, sourceKind: `import: ${r.source}`, recordCount: 1, runIds: [], rawDigests: [r.raw_digest as string] })),
    ];
  }
}
