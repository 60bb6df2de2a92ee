import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { AUDIT_OUTCOMES, AuditOutcome } from '../audit.types';
import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE } from '../audit.service';

/** No control characters (NUL cannot even be sent to PostgreSQL). */
const PLAIN_TEXT = /^[^\u0000-\u001f\u007f]*$/;

/** Filters of GET /audit-events (unknown query fields are refused by the global validation pipe). */
export class AuditEventsQuery {
  @ApiPropertyOptional({ description: "the actor's id (user or API key id, or the system task) or name", example: 'admin' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PLAIN_TEXT, { message: 'actor must not contain control characters' })
  actor?: string;

  @ApiPropertyOptional({ description: 'the action name, exactly', example: 'POST /connectors/:id/runs' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @Matches(PLAIN_TEXT, { message: 'action must not contain control characters' })
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: AuditOutcome;

  @ApiPropertyOptional({
    description: 'the target, exactly: the route parameter (an id, a digest), `name=value, …` for several, or the id of what a POST created',
    example: '79',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @Matches(PLAIN_TEXT, { message: 'target must not contain control characters' })
  target?: string;

  @ApiPropertyOptional({ description: 'from this time on (ISO 8601, inclusive)', example: '2025-01-01T00:00:00+07:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'up to this time (ISO 8601, inclusive)', example: '2025-02-01T00:00:00+07:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @ApiPropertyOptional({ description: "only events with a smaller id: pass the previous page's nextBefore", example: '1200' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,14}$/, { message: 'before must be a whole number from 1 (an event id)' })
  before?: string;

  @ApiPropertyOptional({ default: DEFAULT_AUDIT_PAGE, description: `1 to ${MAX_AUDIT_PAGE}` })
  @IsOptional()
  @Matches(/^([1-9]\d?|[1-4]\d\d|500)$/, { message: `limit must be a whole number from 1 to ${MAX_AUDIT_PAGE}` })
  limit?: string;
}
