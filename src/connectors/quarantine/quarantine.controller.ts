import { RequirePermission } from '../../platform/auth/auth.decorators';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { Pool } from 'pg';
import { redactDetail, redactText } from '../../platform/privacy/personal-fields';
import { InjectPool } from '../../platform/database/database.module';

export class QuarantineQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'connectorId must be a UUID' }) connectorId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'runId must be a UUID' }) runId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit code' }) provinceCode?: string;
  @ApiPropertyOptional({ example: 'INVALID_DATE' }) @IsOptional() @IsString() reasonCode?: string;
  @ApiPropertyOptional({ enum: ['open', 'released', 'resolved', 'rejected'] }) @IsOptional() @IsIn(['open', 'released', 'resolved', 'rejected']) status?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Matches(/^\d{1,4}$/, { message: 'limit must be a whole number up to 9999' }) limit?: string;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Matches(/^\d{1,9}$/, { message: 'offset must be a whole number' }) offset?: string;
}

/** Records that could not be used: each with its reason, and where it sits in which raw payload. */
@ApiTags('quarantine')
@RequirePermission('quarantine.read')
@Controller('quarantine')
export class QuarantineController {
  constructor(@InjectPool() private readonly pool: Pool) {}

  @Get()
  @ApiOperation({ summary: 'Quarantined records with reason code, field, raw payload digest and position' })
  async list(@Query() q: QuarantineQuery) {
    const params = [q.connectorId ?? null, q.runId ?? null, q.provinceCode ?? null, q.reasonCode ?? null, q.status ?? null, Math.min(Number(q.limit ?? 100), 1000), Number(q.offset ?? 0)];
    const where = `($1::uuid IS NULL OR connector_id = $1) AND ($2::uuid IS NULL OR run_id = $2)
       AND ($3::text IS NULL OR province_code = $3) AND ($4::text IS NULL OR reason_code = $4) AND ($5::text IS NULL OR status = $5)`;
    const [{ rows }, summary] = await Promise.all([
      this.pool.query(
        `SELECT id, connector_id, run_id, province_code, entity, raw_digest, raw_position, sheet, record_key, reason_code, field, detail, created_at,
                seen_count, last_seen_at, last_run_id, status, triage_note, triaged_at, triaged_by, outcome
           FROM quarantine_record WHERE ${where} ORDER BY id DESC LIMIT $6 OFFSET $7`,
        params,
      ),
      this.pool.query(`SELECT reason_code, count(*)::int AS count FROM quarantine_record WHERE ${where} GROUP BY reason_code ORDER BY 2 DESC`, params.slice(0, 5)),
    ]);
    return {
      byReason: Object.fromEntries(summary.rows.map((r) => [r.reason_code, r.count])),
      items: rows.map((r) => ({
        id: Number(r.id),
        connectorId: r.connector_id,
        runId: r.run_id,
        provinceCode: r.province_code,
        entity: r.entity,
        rawDigest: r.raw_digest,
        rawPosition: r.raw_position,
        sheet: r.sheet,
        recordKey: r.record_key === null ? null : redactText(r.record_key),
        reasonCode: r.reason_code,
        field: r.field,
        detail: r.detail === null ? null : redactDetail(r.detail),
        createdAt: r.created_at,
        // identity: the same record received again counts here instead of adding a row
        seenCount: r.seen_count,
        lastSeenAt: r.last_seen_at,
        lastRunId: r.last_run_id,
        // triage: open, released (to be read again), resolved (used by the normal path), rejected (with a note)
        status: r.status,
        outcome: r.outcome,
        triageNote: r.triage_note,
        triagedAt: r.triaged_at,
        triagedBy: r.triaged_by,
      })),
    };
  }
}
