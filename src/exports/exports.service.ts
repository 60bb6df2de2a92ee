import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Pool } from 'pg';
import { AccessScope } from '../platform/auth/access-policy';
import { InjectPool } from '../platform/database/database.module';
import { AppraisalService } from '../appraisal/appraisal.service';
import { LineageService } from '../lineage/lineage.service';
import { ScorecardService } from '../scoring/scorecard.service';
import { UnitsCatalogue } from '../units/units.loader';
import { evidencePackXlsx } from './evidence-pack.xlsx';
import { EXPORT_CHECKPOINTS, ExportCheckpoints } from './export-checkpoints';
import { GENERATED_STATUSES, documentFileBase, generatedDocument, generatedDocumentPdf, generatedDocumentXlsx } from './generated-document';
import { ProvinceYearExportService } from './province-year-export.service';
import { ProvDocument, scoreToProv } from './prov-json';
import { summaryPdf } from './summary.pdf';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/** Evidence packs, generated evidence documents and PROV-JSON, each read within the caller's scope. */
@Injectable()
export class ExportsService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly data: ProvinceYearExportService,
    private readonly scorecards: ScorecardService,
    private readonly appraisal: AppraisalService,
    private readonly lineage: LineageService,
    private readonly units: UnitsCatalogue,
    @Inject(EXPORT_CHECKPOINTS) private readonly checkpoints: ExportCheckpoints,
  ) {}

  async evidencePack(scope: AccessScope, provinceCode: string, year: number, catalogue: string): Promise<ExportFile> {
    const data = await this.data.gather(scope, provinceCode, year, catalogue);
    return { fileName: `goi-bang-chung_${provinceCode}_${year}.xlsx`, contentType: XLSX_TYPE, bytes: await evidencePackXlsx(data) };
  }

  async summary(scope: AccessScope, provinceCode: string, year: number, catalogue: string): Promise<ExportFile> {
    const data = await this.data.gather(scope, provinceCode, year, catalogue);
    return { fileName: `bao-cao-tom-tat_${provinceCode}_${year}.pdf`, contentType: 'application/pdf', bytes: await summaryPdf(data) };
  }

  /** The sub-criteria filled from data, each with the links to its generated document. */
  async listGenerated(scope: AccessScope, provinceCode: string, year: number, catalogue: string) {
    const items = await this.generatedItems(scope, provinceCode, year, catalogue);
    const base = `/provinces/${provinceCode}/years/${year}/generated-documents`;
    return items.map((i) => {
      const query = `catalogue=${encodeURIComponent(catalogue)}`;
      return {
        subCriterion: i.subCriterion,
        title: i.title,
        status: i.status,
        points: i.points,
        maxPoints: i.maxPoints,
        fileBase: documentFileBase(i.subCriterion, provinceCode, year),
        pdf: `${base}/${i.subCriterion}?${query}&format=pdf`,
        xlsx: `${base}/${i.subCriterion}?${query}&format=xlsx`,
      };
    });
  }

  async generated(scope: AccessScope, provinceCode: string, year: number, catalogueKey: string, code: string, format: 'pdf' | 'xlsx'): Promise<ExportFile> {
    const item = (await this.generatedItems(scope, provinceCode, year, catalogueKey)).find((i) => i.subCriterion === code);
    if (!item) throw new NotFoundException(`no document can be generated for ${code}: it is not a sub-criterion of ${catalogueKey} scored from data`);
    const catalogue = this.appraisal.catalogueFor(provinceCode, year, catalogueKey);
    const inputs = await this.data.lineage(scope, provinceCode, year, catalogueKey, code);
    const runIds = [...new Set(inputs.flatMap((i) => i.runIds))];
    const { rows: runs } = await this.pool.query(
      `SELECT r.id, c.name, c.kind, r.window_from, r.window_to, r.status, r.fetched, r.normalised, r.quarantined
         FROM connector_run r JOIN connector c ON c.id = r.connector_id WHERE r.id = ANY($1::uuid[]) ORDER BY r.window_from, r.id`,
      [runIds],
    );
    const doc = generatedDocument({
      provinceCode,
      provinceName: this.units.province(provinceCode)?.name ?? provinceCode,
      year,
      catalogue: catalogueKey,
      item,
      subCriterion: catalogue.subCriteria.find((s) => s.code === code)!,
      inputs,
      runs: runs.map((r) => ({ id: r.id, connectorName: r.name, kind: r.kind, windowFrom: r.window_from, windowTo: r.window_to, status: r.status, fetched: r.fetched, normalised: r.normalised, quarantined: r.quarantined })),
      checkpoint: item.scoreId === null ? null : await this.checkpoints.forScore(item.scoreId),
      generatedAt: new Date(),
    });
    return format === 'pdf'
      ? { fileName: `${doc.fileBase}.pdf`, contentType: 'application/pdf', bytes: await generatedDocumentPdf(doc) }
      : { fileName: `${doc.fileBase}.xlsx`, contentType: XLSX_TYPE, bytes: await generatedDocumentXlsx(doc) };
  }

  /** A score's lineage as W3C PROV-JSON; a score outside the scope is not found. */
  async prov(scope: AccessScope, scoreId: number): Promise<ProvDocument> {
    const lineage = await this.lineage.ofScore(scope, scoreId);
    const { rows } = await this.pool.query(
      `SELECT DISTINCT digest, run_id FROM raw_fetch WHERE digest = ANY($1::text[]) AND run_id = ANY($2::uuid[])`,
      [lineage.rawPayloads.map((p) => p.digest), lineage.runs.map((r) => r.id)],
    );
    return scoreToProv(lineage, rows.map((r) => ({ digest: r.digest, runId: r.run_id })));
  }

  private async generatedItems(scope: AccessScope, provinceCode: string, year: number, catalogue: string) {
    scope.assertProvince(provinceCode);
    this.appraisal.catalogueFor(provinceCode, year, catalogue);
    const card = (await this.scorecards.scorecard(scope, provinceCode, year, catalogue)).catalogues[0];
    return card.items.filter((i) => i.kind !== 'manual' && i.scoreId !== null && (GENERATED_STATUSES as readonly string[]).includes(i.status));
  }
}
