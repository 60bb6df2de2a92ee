import { ParseIdPipe } from '../platform/http/parse-id.pipe';
import { AccessScope } from '../platform/auth/access-policy';
import { RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ProvinceYearParams } from '../platform/http/province-year.params';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { EvidenceService } from './evidence.service';

export class EvidenceQuery {
  @ApiPropertyOptional({ enum: ['month', 'quarter', 'year'] })
  @IsOptional()
  @IsIn(['month', 'quarter', 'year'])
  periodKind?: string;

  @ApiPropertyOptional({ description: 'also list records per subject (e.g. per procedure code)', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  subjects?: string;
}

export class FindingsQuery {
  @ApiPropertyOptional({ description: 'include the unmatched waybill and dossier ids', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  lists?: string;
}

export class FindingItemsParams extends ProvinceYearParams {
  @ApiProperty({ example: '12', description: 'finding id (from the findings list)' })
  @Matches(/^[1-9]\d{0,15}$/, { message: 'id must be a positive whole number' })
  id!: string;
}

export class FindingItemsQuery {
  @ApiPropertyOptional({ enum: ['NO_WAYBILL', 'WAYBILL_WITHOUT_DOSSIER_ID', 'DOSSIER_NOT_FOUND', 'DOSSIER_ALREADY_MATCHED', 'MATCHED_BY_PROCEDURE_AND_DAY'] })
  @IsOptional()
  @IsIn(['NO_WAYBILL', 'WAYBILL_WITHOUT_DOSSIER_ID', 'DOSSIER_NOT_FOUND', 'DOSSIER_ALREADY_MATCHED', 'MATCHED_BY_PROCEDURE_AND_DAY'])
  reason?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: 'limit must be a whole number up to 1000' })
  limit?: string;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'offset must be a whole number' })
  offset?: string;
}

export class FindingItemDto {
  @ApiProperty({ enum: ['NO_WAYBILL', 'WAYBILL_WITHOUT_DOSSIER_ID', 'DOSSIER_NOT_FOUND', 'DOSSIER_ALREADY_MATCHED', 'MATCHED_BY_PROCEDURE_AND_DAY'] }) reason!: string;
  @ApiPropertyOptional({ nullable: true }) waybillId!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'the Mã hồ sơ written on the waybill' }) waybillDossierId!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'accepted by the post office' }) waybillDate!: string | null;
  @ApiPropertyOptional({ nullable: true }) dossierId!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'received (submission) or returned (result)' }) dossierDate!: string | null;
}

export class FindingItemsDto {
  @ApiProperty() findingId!: number;
  @ApiProperty() monthKey!: string;
  @ApiProperty({ enum: ['submission', 'result'] }) direction!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'items of the finding (of the reason asked for)' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ type: FindingItemDto, isArray: true }) items!: FindingItemDto[];
}

@ApiTags('evidence')
@Controller()
export class EvidenceController {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  @Get('provinces/:provinceCode/years/:year/evidence')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'Latest evidence of a province for a year: per period and metric, numerator, denominator (null = no data), rule version' })
  async forProvinceYear(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Query() query: EvidenceQuery) {
    const records = await this.evidence.forProvinceYear(scope, params.provinceCode, Number(params.year), query.periodKind, query.subjects === 'true');
    return { provinceCode: params.provinceCode, year: Number(params.year), records };
  }

  @Get('provinces/:provinceCode/years/:year/findings')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'Data-quality findings of a province for a year: postal waybills reconciled with one-stop-shop dossiers' })
  async findings(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Query() query: FindingsQuery) {
    const findings = await this.reconciliation.forProvinceYear(scope, params.provinceCode, Number(params.year), query.lists === 'true');
    return { provinceCode: params.provinceCode, year: Number(params.year), findings };
  }

  @Get('provinces/:provinceCode/years/:year/findings/:id/items')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: "A finding's lists, paged: unmatched waybills and dossiers and fallback matches, with both sides' ids, dates and the reason" })
  @ApiOkResponse({ type: FindingItemsDto })
  @ApiNotFoundResponse({ description: 'no such finding of that province and year' })
  findingItems(@Scope() scope: AccessScope, @Param() params: FindingItemsParams, @Query() query: FindingItemsQuery) {
    return this.reconciliation.items(scope, params.provinceCode, Number(params.year), Number(params.id), {
      reason: query.reason,
      limit: Math.min(Number(query.limit ?? 100), 1000),
      offset: Number(query.offset ?? 0),
    });
  }

  @Get('evidence/:id')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'One evidence record with its version history' })
  byId(@Scope() scope: AccessScope, @Param('id', new ParseIdPipe()) id: number) {
    return this.evidence.byId(scope, id);
  }

  @Get('metrics')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: 'The evidence metrics and their counting rules' })
  metrics() {
    return this.evidence.metrics();
  }
}
