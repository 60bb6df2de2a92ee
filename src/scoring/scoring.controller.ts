import { AccessScope } from '../platform/auth/access-policy';
import { RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { ApiOkResponse } from '@nestjs/swagger';
import { BadRequestException, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { ProvinceYearParams } from '../platform/http/province-year.params';
import { ScorecardService } from './scorecard.service';

export class YearQuery {
  @ApiProperty({ example: '2025' })
  @Matches(/^(19|20|21)\d{2}$/, { message: 'year must be a four-digit year' })
  year!: string;

  @ApiPropertyOptional({ example: 'par-index-2026-demo@2026.0-demo', description: 'only this catalogue (id@version)' })
  @IsOptional()
  @IsString()
  catalogue?: string;
}

export class YearCatalogueQuery {
  @ApiProperty({ example: '2025' })
  @Matches(/^(19|20|21)\d{2}$/, { message: 'year must be a four-digit year' })
  year!: string;

  @ApiProperty({ example: 'par-index-2026@2026.0-draft', description: 'catalogue version (id@version)' })
  @IsString()
  @Matches(/@/, { message: 'catalogue must be written id@version' })
  catalogue!: string;
}

export class CatalogueQuery {
  @ApiPropertyOptional({ example: 'par-index-2026-demo@2026.0-demo', description: 'only this catalogue version (id@version)' })
  @IsOptional()
  @IsString()
  catalogue?: string;

  @ApiPropertyOptional({ example: '2025-Q1', description: 'a quarter (yyyy-Qn) or month (yyyy-MM) of the year; default: the year' })
  @IsOptional()
  @Matches(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, { message: 'period must be a year, a quarter (2025-Q1) or a month (2025-03)' })
  period?: string;
}

@ApiTags('scores')
@Controller()
export class ScoringController {
  constructor(private readonly scorecards: ScorecardService) {}

  @Get('provinces/:provinceCode/years/:year/scorecard')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'Scorecard of a province for a year: latest score per sub-criterion, what is still manual, totals' })
  scorecard(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Query() query: CatalogueQuery) {
    if (query.period && !query.period.startsWith(params.year)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`period: ${query.period} is not in ${params.year}`] });
    }
    return this.scorecards.scorecard(scope, params.provinceCode, Number(params.year), query.catalogue, query.period ?? params.year);
  }

  @Get('provinces/:provinceCode/years/:year/score-checks')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'Recomputed scores beside the official ones published by the source (DVCQG); differences above 0.015 points are findings' })
  scoreChecks(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams) {
    return this.scorecards.scoreChecks(scope, params.provinceCode, Number(params.year));
  }

  @Get('scoreboard/regions')
  @RequirePermission('regions.read')
  @ApiOperation({ summary: 'National table by socio-economic region (region assignment is configuration to confirm)' })
  byRegion(@Scope() scope: AccessScope, @Query() query: YearCatalogueQuery) {
    return this.scorecards.scoreboardByRegion(scope, Number(query.year), query.catalogue);
  }

  @Get('scoreboard')
  @RequirePermission('scoreboard.read')
  @ApiOperation({ summary: 'National table: every province ranked by points for a year and catalogue, with coverage (points filled from data)' })
  scoreboard(@Scope() scope: AccessScope, @Query() query: YearQuery) {
    return this.scorecards.scoreboard(scope, Number(query.year), query.catalogue);
  }
}

export class PublishParams {
  @ApiProperty({ example: '2025' })
  @Matches(/^(19|20|21)\d{2}$/, { message: 'year must be a four-digit year' })
  year!: string;
}

@ApiTags('scoring')
@Controller('results')
export class ResultsController {
  constructor(private readonly scorecards: ScorecardService) {}

  @Post(':year/publish')
  @RequirePermission('results.publish')
  @HttpCode(200)
  @ApiOperation({ summary: "Publish a year's results: from now on every role sees this national table (until then an officer sees only the own province)" })
  @ApiOkResponse({ description: 'the year, when and by whom it was published, and how many rows the published table has' })
  publish(@Scope() scope: AccessScope, @Param() params: PublishParams) {
    return this.scorecards.publish(Number(params.year), scope.principal.name);
  }
}
