import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Min } from 'class-validator';
import { AccessScope } from '../../platform/auth/access-policy';
import { RequirePermission, Scope } from '../../platform/auth/auth.decorators';
import { QuarantineTriageService, TriageTotals } from './quarantine-triage.service';

export class TriageSelectorDto {
  @ApiPropertyOptional({ type: [Number], description: 'quarantine record ids (or select in bulk by reasonCode)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsInt({ each: true })
  @Min(1, { each: true })
  ids?: number[];

  @ApiPropertyOptional({ example: 'INVALID_DATE', description: 'every record of this reason (narrowed by the fields below)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  reasonCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'connectorId must be a UUID' })
  connectorId?: string;

  @ApiPropertyOptional({ example: '79' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit code' })
  provinceCode?: string;

  @ApiPropertyOptional({ example: '2025-01-01', description: 'first quarantined on or after (a date is a Vietnam date)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2025-02-01', description: 'first quarantined before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class RejectQuarantineDto extends TriageSelectorDto {
  @ApiProperty({ example: 'test records sent by the vendor; not real dossiers' })
  @IsString()
  @Length(1, 2000)
  note!: string;
}

export class ReleaseQuarantineDto extends TriageSelectorDto {
  @ApiPropertyOptional({ example: 'date format dd-MM-yyyy now read (release 1.4)' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class TriageTotalsQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'connectorId must be a UUID' }) connectorId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit code' }) provinceCode?: string;
  @ApiPropertyOptional({ example: '2025-01-01' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2025-02-01' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class TriageTotalsDto {
  @ApiProperty() reasonCode!: string;
  @ApiProperty() open!: number;
  @ApiProperty() released!: number;
  @ApiProperty() resolved!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ description: 'records of this reason' }) records!: number;
  @ApiProperty({ description: 'times they were received in all (re-sends counted)' }) seen!: number;
}

export class RejectResultDto {
  @ApiProperty() rejected!: number;
}

export class ReleaseResultDto {
  @ApiProperty() released!: number;
  @ApiProperty({ description: 'the runs that read the released records again', type: 'array', items: { type: 'object' } }) runs!: unknown[];
}

/** Triage of quarantined records: totals per reason, release (read again through the normal path), reject. */
@ApiTags('quarantine')
@Controller('quarantine')
export class QuarantineTriageController {
  constructor(private readonly triage: QuarantineTriageService) {}

  @Get('totals')
  @RequirePermission('quarantine.read')
  @ApiOperation({ summary: 'Quarantined records per reason: open, released, resolved, rejected, and how often they were received' })
  @ApiOkResponse({ type: TriageTotalsDto, isArray: true })
  totals(@Query() query: TriageTotalsQuery): Promise<TriageTotals[]> {
    return this.triage.totals(query);
  }

  @Post('release')
  @HttpCode(200)
  @RequirePermission('connectors.write')
  @ApiOperation({ summary: 'Release records (by id, or in bulk by reason and period) after a mapping fix: their connector reads them again; each ends resolved or open again' })
  @ApiOkResponse({ type: ReleaseResultDto })
  release(@Scope() scope: AccessScope, @Body() dto: ReleaseQuarantineDto) {
    const { note, ...selector } = dto;
    return this.triage.release(selector, note ?? null, scope.principal.name);
  }

  @Post('reject')
  @HttpCode(200)
  @RequirePermission('connectors.write')
  @ApiOperation({ summary: 'Reject records (by id, or in bulk by reason and period) with a note: they are dismissed, kept for the record' })
  @ApiOkResponse({ type: RejectResultDto })
  reject(@Scope() scope: AccessScope, @Body() dto: RejectQuarantineDto) {
    const { note, ...selector } = dto;
    return this.triage.reject(selector, note, scope.principal.name);
  }
}
