import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

const PERIOD = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;
const SCOPE = /^(all|[0-9A-Za-z._-]{1,80})$/;
const PLAIN = /^[^\u0000-\u001f\u007f]*$/;
const WHOLE = /^\d{1,6}$/;

export class Qd766ProvinceParams {
  @ApiProperty({ example: '25' })
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' })
  provinceCode!: string;
}

export class Qd766UnitParams extends Qd766ProvinceParams {
  @ApiProperty({ example: '019d2be3-7001-7a00-8000-000000000001', description: "the portal's departmentId (as published; an unknown one is 404)" })
  @IsString()
  @Length(1, 100)
  @Matches(PLAIN, { message: 'departmentId must not contain control characters' })
  departmentId!: string;
}

export class Qd766PeriodQuery {
  @ApiPropertyOptional({ example: '2026-Q3', description: 'a year (2026), quarter (2026-Q3) or month (2026-08); default: the current year (Vietnam time)' })
  @IsOptional()
  @Matches(PERIOD, { message: 'period must be a year, a quarter (2026-Q3) or a month (2026-08)' })
  period?: string;

  @ApiPropertyOptional({ example: 'qd766-2022@2022.2', description: 'the Decision 766 catalogue (id@version); default: the newest covering the year' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9._+-]*$/, { message: 'catalogue must be written id@version' })
  catalogue?: string;

  @ApiPropertyOptional({ example: 'all', description: 'all (every procedure, default) or a procedure id (formalityId) the connector fetched' })
  @IsOptional()
  @Matches(SCOPE, { message: 'scope must be all or a procedure id' })
  scope?: string;
}

export class Qd766PageQuery extends Qd766PeriodQuery {
  @ApiPropertyOptional({ example: '1' })
  @IsOptional()
  @Matches(WHOLE, { message: 'page must be a whole number' })
  page?: string;

  @ApiPropertyOptional({ example: '50', description: 'at most 500' })
  @IsOptional()
  @Matches(WHOLE, { message: 'pageSize must be a whole number' })
  pageSize?: string;
}

export const UNIT_SORTS = ['rank', 'official', 'recomputed', 'difference', 'name', 'code'] as const;
export const UNIT_LEVELS = ['department', 'commune'] as const;
/** the departmentType values the portal publishes for a province's units */
export const UNIT_TYPES = ['PROVINCIAL_DEPARTMENT', 'COMMUNE', 'DISTRICT'] as const;

export class Qd766UnitsQuery extends Qd766PageQuery {
  @ApiPropertyOptional({ enum: UNIT_LEVELS })
  @IsOptional()
  @IsIn(UNIT_LEVELS)
  level?: (typeof UNIT_LEVELS)[number];

  @ApiPropertyOptional({ enum: UNIT_TYPES, description: 'departmentType as published' })
  @IsOptional()
  @IsIn(UNIT_TYPES, { message: `type must be one of ${UNIT_TYPES.join(', ')}` })
  type?: (typeof UNIT_TYPES)[number];

  @ApiPropertyOptional({ example: 'Tư pháp', description: 'part of the published name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PLAIN, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ enum: UNIT_SORTS, description: 'default rank (official total, highest first)' })
  @IsOptional()
  @IsIn(UNIT_SORTS)
  sort?: (typeof UNIT_SORTS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'] })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export const FINDING_KINDS = ['difference', 'recomputed_missing', 'official_missing', 'closed_period_revised'] as const;

export class Qd766FindingsQuery extends Qd766PageQuery {
  @ApiPropertyOptional({ description: 'only this unit (departmentId)' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z._-]{1,80}$/, { message: 'departmentId must be the portal department id' })
  departmentId?: string;

  @ApiPropertyOptional({ example: '1.4', description: 'item code, group.<n>, total, or <item>/<metric>' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z._/-]{1,80}$/, { message: 'metric must be an item code such as 1.4' })
  metric?: string;

  @ApiPropertyOptional({ enum: FINDING_KINDS })
  @IsOptional()
  @IsIn(FINDING_KINDS)
  kind?: (typeof FINDING_KINDS)[number];
}

export const ENDPOINTS = ['transparency', 'dvc-progress-tree', 'provide-online-tree', 'formality-online-payment-tree', 'dossier-digitized', 'handling-satisfaction'] as const;

export class Qd766RawQuery extends Qd766PageQuery {
  @ApiPropertyOptional({ enum: ENDPOINTS })
  @IsOptional()
  @IsIn(ENDPOINTS)
  endpoint?: (typeof ENDPOINTS)[number];
}

export class Qd766GroupDto {
  @ApiProperty() code!: string;
  @ApiProperty() maxPoints!: number;
  @ApiProperty({ nullable: true, type: Number }) official!: number | null;
  @ApiProperty({ nullable: true, type: Number }) recomputed!: number | null;
  @ApiProperty({ nullable: true, type: Number }) difference!: number | null;
}

export class Qd766FlagDto {
  @ApiProperty({ description: "the published metric code ('' = the unit or the whole answer)" }) metric!: string;
  @ApiProperty({ example: 'TEMP_NATIONAL_REPORT_DENOMINATOR' }) status!: string;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
}

export class Qd766ItemDto {
  @ApiProperty() code!: string;
  @ApiProperty() group!: string;
  @ApiProperty({ nullable: true, type: Number }) points!: number | null;
  @ApiProperty({ nullable: true, type: Number }) recomputed!: number | null;
  @ApiProperty({ nullable: true, type: Number }) official!: number | null;
  @ApiProperty({ nullable: true, type: Number }) difference!: number | null;
  @ApiProperty({ enum: ['scored', 'no_data', 'provisional'] }) status!: string;
  @ApiProperty({ enum: ['dvcqg', 'dvcqg-published', 'one-stop-shop', 'sector', 'import', 'document'] }) source!: string;
  @ApiProperty() compared!: boolean;
  @ApiProperty({ description: 'an input had denominator 0: the zero-denominator convention decided' }) zeroDenominator!: boolean;
  @ApiPropertyOptional({ type: [Qd766FlagDto] }) flags?: Qd766FlagDto[];
}

export class Qd766UnitRowDto {
  @ApiProperty() departmentId!: string;
  @ApiProperty({ enum: ['province', 'department', 'commune'] }) level!: string;
  @ApiProperty({ nullable: true, type: String }) departmentCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) departmentName!: string | null;
  @ApiProperty({ nullable: true, type: String }) departmentType!: string | null;
  @ApiProperty({ nullable: true, type: Number }) officialTotal!: number | null;
  @ApiProperty({ nullable: true, type: Number }) recomputedTotal!: number | null;
  @ApiProperty({ nullable: true, type: Number }) rank!: number | null;
  @ApiProperty({ nullable: true, type: Number }) rankRecomputed!: number | null;
  @ApiProperty({ enum: ['provisional', 'final'] }) status!: string;
  @ApiProperty({ type: [Qd766FlagDto] }) flags!: Qd766FlagDto[];
  @ApiProperty({ type: [Qd766GroupDto] }) groups!: Qd766GroupDto[];
  @ApiProperty() version!: number;
}

export class Qd766BoardDto {
  @ApiProperty() provinceCode!: string;
  @ApiProperty() period!: string;
  @ApiProperty() catalogue!: string;
  @ApiProperty() scope!: string;
  @ApiProperty({ type: Qd766UnitRowDto, nullable: true }) province!: Qd766UnitRowDto | null;
  @ApiProperty({ type: [Qd766ItemDto] }) items!: Qd766ItemDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'rank of the province among the provinces scored for this period, by official total' }) nationalRank!: number | null;
  @ApiProperty({ description: 'units per level' }) units!: Record<string, number>;
  @ApiProperty({ description: 'findings per kind' }) findings!: Record<string, number>;
}

export class Qd766UnitsPageDto {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [Qd766UnitRowDto] }) units!: Qd766UnitRowDto[];
}

export class Qd766UnitDetailDto {
  @ApiProperty({ type: Qd766UnitRowDto }) unit!: Qd766UnitRowDto;
  @ApiProperty({ description: 'every item recomputed again from the stored answers: inputs, flags, explanation, components' }) items!: unknown[];
  @ApiProperty({ description: 'every published metric and tree row of the unit: values as received, flags, raw payload digest, run, page, position' }) answers!: unknown;
  @ApiProperty({ description: 'answer versions of the period (provisional, final, revised) and the versions of the unit as a subject' }) lineage!: unknown;
}

export class Qd766FindingDto {
  @ApiProperty() period!: string;
  @ApiProperty() scope!: string;
  @ApiProperty() departmentId!: string;
  @ApiProperty() metric!: string;
  @ApiProperty({ enum: FINDING_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: Number }) official!: number | null;
  @ApiProperty({ nullable: true, type: Number }) recomputed!: number | null;
  @ApiProperty({ nullable: true, type: Number }) difference!: number | null;
  @ApiProperty({ description: 'the inputs (numerator / denominator per metric), or the answer versions for a revision' }) inputs!: unknown;
  @ApiProperty({ type: [Qd766FlagDto] }) flags!: Qd766FlagDto[];
  @ApiProperty({ nullable: true, type: String, description: 'sha256 of the rule version' }) ruleDigest!: string | null;
}

export class Qd766FindingsPageDto {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [Qd766FindingDto] }) findings!: Qd766FindingDto[];
}

export class Qd766RawAnswerDto {
  @ApiProperty() period!: string;
  @ApiProperty() endpoint!: string;
  @ApiProperty() scope!: string;
  @ApiProperty() page!: number;
  @ApiProperty({ description: 'the exact request body sent' }) requestBody!: unknown;
  @ApiProperty({ description: 'SHA-256 of the bytes received: GET /raw-payloads/{digest}' }) rawDigest!: string;
  @ApiProperty() runId!: string;
  @ApiProperty() fetchedAt!: string;
}

export class Qd766RawPageDto {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [Qd766RawAnswerDto] }) answers!: Qd766RawAnswerDto[];
}
