import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../platform/auth/auth.decorators';
import { AuditService } from './audit.service';
import { AuditPage } from './audit.types';
import { AuditEventsQuery } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@RequirePermission('audit.read')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail, newest first: who did what to which target, when, and how it ended (succeeded, failed, denied)',
    description: 'Every state-changing call is recorded, refused ones included, and reads of personal data such as raw payload downloads. Page with `before` = the previous page\'s `nextBefore`.',
  })
  @ApiOkResponse({ description: '{ items: audit events, nextBefore: id for the next page or null }' })
  @ApiForbiddenResponse({ description: 'the role does not hold audit.read (admin and auditor do)' })
  list(@Query() q: AuditEventsQuery): Promise<AuditPage> {
    const from = instant('from', q.from);
    const to = instant('to', q.to);
    if (from && to && from > to) throw badRequest('from must not be after to');
    return this.audit.list({
      actor: q.actor,
      action: q.action,
      outcome: q.outcome,
      target: q.target,
      from,
      to,
      before: q.before === undefined ? undefined : Number(q.before),
      limit: q.limit === undefined ? undefined : Number(q.limit),
    });
  }
}

function badRequest(message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [message] });
}

/** An ISO 8601 time PostgreSQL can compare with (years 1 to 9999). */
function instant(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) throw badRequest(`${name} must be an ISO 8601 date-time between the years 1 and 9999`);
  return date;
}
