import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, IsUUID } from 'class-validator';

export class CreateConnectorDto {
  @ApiProperty({ example: 'hcm-one-stop-shop', description: 'unique name' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: 'one-stop-shop', description: 'connector kind (the code that speaks the source contract)' })
  @IsString()
  @Length(1, 50)
  kind!: string;

  @ApiProperty({ example: 'https://motcua.example.gov.vn' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  baseUrl!: string;

  @ApiProperty({ example: '79', description: 'code of one of the 34 provincial units in force' })
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' })
  provinceCode!: string;

  @ApiProperty({ description: 'write-only: stored, never returned', example: { clientId: 'id', clientSecret: 'secret' } })
  @IsObject()
  credentials!: Record<string, string>;

  @ApiPropertyOptional({ type: String, example: '0 2 * * *', description: 'cron (5 fields) in Vietnam time; null for manual runs only', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  schedule?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    description: 'kind options plus lagSeconds, initialSyncFrom (YYYY-MM-DD), backfillChunkDays',
    example: { pageSize: 1000, initialSyncFrom: '2025-01-01' },
  })
  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'a connector of the same kind, province and source already exists: true registers this one as well, on purpose (under its own name)',
  })
  @IsOptional()
  @IsBoolean()
  allowDuplicate?: boolean;
}

export class UpdateConnectorDto extends PartialType(CreateConnectorDto) {}

/** A test call describes a connector without saving it: no name needed. */
export class TestConnectorDto extends OmitType(CreateConnectorDto, ['name', 'allowDuplicate'] as const) {
  @ApiPropertyOptional({ example: 'hcm-one-stop-shop' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;
}

export class BackfillDto {
  @ApiProperty({ example: '2025-01-01', description: 'ISO 8601; a date without a time (or a time without an offset) is Vietnam time' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2025-07-01', description: 'exclusive; ISO 8601, read like `from`' })
  @IsISO8601({ strict: true })
  to!: string;
}

export class ListRunsQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'connectorId must be a UUID' })
  connectorId?: string;

  @ApiPropertyOptional({ enum: ['queued', 'running', 'succeeded', 'failed', 'missed', 'cancelled'] })
  @IsOptional()
  @IsIn(['queued', 'running', 'succeeded', 'failed', 'missed', 'cancelled'])
  status?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: 'limit must be a whole number up to 9999' })
  limit?: string;
}

export class RunStepsQuery {
  @ApiPropertyOptional({ description: 'only lines after this step id (paging)', example: 0 })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'afterId must be a whole number' })
  afterId?: string;

  @ApiPropertyOptional({ default: 500, maximum: 1000 })
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: 'limit must be a whole number up to 1000' })
  limit?: string;
}

export class RunStepDto {
  @ApiProperty() id!: number;
  @ApiProperty() at!: Date;
  @ApiProperty({ enum: ['start', 'checkpoint', 'file', 'retry', 'warning', 'cancel', 'finish'] }) kind!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) detail!: Record<string, unknown> | null;
}
