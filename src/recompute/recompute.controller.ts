import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AccessScope } from '../platform/auth/access-policy';
import { RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { ParseIdPipe } from '../platform/http/parse-id.pipe';
import { ProvinceYearParams } from '../platform/http/province-year.params';
import { RecomputeService } from './recompute.service';

class RecomputeReportDto {
  @ApiProperty() provinceCode!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ description: 'true when every compared evidence record and score came out the same' }) identical!: boolean;
  @ApiProperty({ description: 'per evidence source: re-parsed from raw bytes (`raw`) or from stored normalised rows (`normalised`)' }) sources!: unknown[];
  @ApiProperty({ description: 'archived answers replayed: payloads, pages, normalised, quarantined, skipped' }) replay!: Record<string, number>;
  @ApiProperty({ description: '{compared, differences[]}: periodKey, metric, subject, changed|missing|extra, fields, stored, recomputed' }) evidence!: Record<string, unknown>;
  @ApiProperty({ description: '{compared, differences[]}: scoreId, periodKey, catalogue, subCriterion, fields (status, value, points, ruleDigest)' }) scores!: Record<string, unknown>;
  @ApiProperty() durationMs!: number;
}

/** Deterministic recompute from the archived raw bytes; nothing stored is touched. */
@ApiTags('recompute')
@RequirePermission('scores.read')
@Controller()
export class RecomputeController {
  constructor(private readonly recompute: RecomputeService) {}

  @Get('scores/:id/recompute')
  @ApiOperation({ summary: 'Recompute a published score from the archived raw bytes: identical, or which evidence or rule differs' })
  @ApiOkResponse({ type: RecomputeReportDto })
  score(@Scope() scope: AccessScope, @Param('id', new ParseIdPipe()) id: number) {
    return this.recompute.recomputeScore(scope, id);
  }

  @Get('provinces/:provinceCode/years/:year/recompute')
  @ApiOperation({ summary: 'Recompute every evidence record and published score of a province-year from the archived raw bytes' })
  @ApiOkResponse({ type: RecomputeReportDto })
  provinceYear(@Scope() scope: AccessScope, @Param() p: ProvinceYearParams) {
    scope.assertProvince(p.provinceCode);
    return this.recompute.recompute(p.provinceCode, Number(p.year));
  }
}
