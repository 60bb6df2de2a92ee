import { ParseIdPipe } from '../platform/http/parse-id.pipe';
import { AccessScope } from '../platform/auth/access-policy';
import { RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
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
