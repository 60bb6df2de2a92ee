import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CatalogueParamQuery } from '../appraisal/appraisal.dto';
import { AccessScope } from '../platform/auth/access-policy';
import { AuditRead, RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { ParseIdPipe } from '../platform/http/parse-id.pipe';
import { ProvinceYearParams } from '../platform/http/province-year.params';
import { GeneratedDocumentParams, GeneratedDocumentQuery } from './exports.dto';
import { ExportFile, ExportsService, XLSX_TYPE } from './exports.service';

const download = (file: ExportFile) =>
  new StreamableFile(file.bytes, {
    type: file.contentType,
    length: file.bytes.length,
    disposition: `attachment; filename="${file.fileName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
  });

const BINARY = { schema: { type: 'string', format: 'binary' } };

@ApiTags('exports')
@RequirePermission('scores.read')
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('provinces/:provinceCode/years/:year/exports/evidence-pack')
  @AuditRead('export.evidence-pack')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'workbook with the sheets Thông tin, Bảng điểm (scorecard), Bằng chứng (evidence), Nguồn gốc (lineage), Phát hiện (findings)', ...BINARY })
  @ApiOperation({ summary: 'Evidence pack of a province-year and catalogue version as an Excel workbook (Vietnamese headers)' })
  async evidencePack(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Query() query: CatalogueParamQuery) {
    return download(await this.exports.evidencePack(scope, params.provinceCode, Number(params.year), query.catalogue));
  }

  @Get('provinces/:provinceCode/years/:year/exports/summary')
  @AuditRead('export.summary')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF in Vietnamese with an embedded font', ...BINARY })
  @ApiOperation({ summary: 'Summary of a province-year evidence pack as a PDF: totals, fields, sub-criteria, appraisal state, evidence-set digest' })
  async summary(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Query() query: CatalogueParamQuery) {
    return download(await this.exports.summary(scope, params.provinceCode, Number(params.year), query.catalogue));
  }

  @Get('provinces/:provinceCode/years/:year/generated-documents')
  @ApiOperation({ summary: 'Sub-criteria filled from data, each with links to its generated evidence document (PDF, XLSX)' })
  list(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Query() query: CatalogueParamQuery) {
    return this.exports.listGenerated(scope, params.provinceCode, Number(params.year), query.catalogue);
  }

  @Get('provinces/:provinceCode/years/:year/generated-documents/:subCriterion')
  @AuditRead('export.generated-document')
  @ApiProduces('application/pdf', XLSX_TYPE)
  @ApiOkResponse({ description: 'the document, named TCTP-<code>_<province>_<year>.pdf|.xlsx', ...BINARY })
  @ApiOperation({ summary: 'Generated evidence document of a data-filled sub-criterion: value, period, sources, record counts, rule, evidence digest (and checkpoint)' })
  async generated(@Scope() scope: AccessScope, @Param() params: GeneratedDocumentParams, @Query() query: GeneratedDocumentQuery) {
    return download(await this.exports.generated(scope, params.provinceCode, Number(params.year), query.catalogue, params.subCriterion, query.format));
  }

  @Get('scores/:id/prov')
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'W3C PROV-JSON document (entities, activities, agents; used, wasGeneratedBy, wasDerivedFrom, wasAssociatedWith)' })
  @ApiOperation({ summary: "A score's lineage as W3C PROV-JSON" })
  prov(@Scope() scope: AccessScope, @Param('id', new ParseIdPipe()) id: number) {
    return this.exports.prov(scope, id);
  }
}
