import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope } from '../../platform/auth/access-policy';
import { RequirePermission, Scope } from '../../platform/auth/auth.decorators';
import { Qd766BoardService } from './qd766-board.service';
import {
  Qd766BoardDto,
  Qd766FindingsPageDto,
  Qd766FindingsQuery,
  Qd766PeriodQuery,
  Qd766ProvinceParams,
  Qd766RawPageDto,
  Qd766RawQuery,
  Qd766UnitDetailDto,
  Qd766UnitParams,
  Qd766UnitsPageDto,
  Qd766UnitsQuery,
} from './qd766.dto';

/** Decision 766 per province, unit and period: official beside recomputed, flags, findings, the portal's answers. */
@ApiTags('decision-766')
@Controller('provinces/:provinceCode/qd766')
export class Qd766Controller {
  constructor(private readonly board: Qd766BoardService) {}

  @Get('board')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: "The province's Decision 766 board for a period: groups, total, official vs recomputed, flags, status, national rank" })
  @ApiOkResponse({ type: Qd766BoardDto })
  getBoard(@Scope() scope: AccessScope, @Param() params: Qd766ProvinceParams, @Query() query: Qd766PeriodQuery) {
    return this.board.board(scope, params.provinceCode, query);
  }

  @Get('units')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: "The province's units (departments, communes) for a period, ranked by official total; paged, sorted, filtered by level, type, name" })
  @ApiOkResponse({ type: Qd766UnitsPageDto })
  getUnits(@Scope() scope: AccessScope, @Param() params: Qd766ProvinceParams, @Query() query: Qd766UnitsQuery) {
    return this.board.units(scope, params.provinceCode, query);
  }

  @Get('units/:departmentId')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'One unit for a period: every item and metric, flags, the source answers and their lineage (answer and subject versions)' })
  @ApiOkResponse({ type: Qd766UnitDetailDto })
  getUnit(@Scope() scope: AccessScope, @Param() params: Qd766UnitParams, @Query() query: Qd766PeriodQuery) {
    return this.board.unit(scope, params.provinceCode, params.departmentId, query);
  }

  @Get('findings')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'Official vs recomputed findings (beyond 0.015 points, or 0 against no data) and revised closed periods; filtered, paged' })
  @ApiOkResponse({ type: Qd766FindingsPageDto })
  getFindings(@Scope() scope: AccessScope, @Param() params: Qd766ProvinceParams, @Query() query: Qd766FindingsQuery) {
    return this.board.findings(scope, params.provinceCode, query);
  }

  @Get('raw-answers')
  @RequirePermission('raw.read')
  @ApiOperation({ summary: "The portal's answers behind a period: request bodies and raw payload digests (bytes at GET /raw-payloads/{digest})" })
  @ApiOkResponse({ type: Qd766RawPageDto })
  getRawAnswers(@Scope() scope: AccessScope, @Param() params: Qd766ProvinceParams, @Query() query: Qd766RawQuery) {
    return this.board.rawAnswers(scope, params.provinceCode, query);
  }
}
