import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Pool } from 'pg';
import { AUDIT_READ_KEY } from '../platform/auth/auth.decorators';
import { InjectPool } from '../platform/database/database.module';
import { AuditPlan, AuditedRequest, describeCall, planFor, statusOf } from './audit-describe';
import { Queryable, insertAuditEvent } from './audit-store';
import { AuditEvent, AuditEventView, AuditFilters, AuditPage } from './audit.types';

export const MAX_AUDIT_PAGE = 500;
export const DEFAULT_AUDIT_PAGE = 100;

/** The audit trail: who did what, to what, when, and how it ended. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly reflector: Reflector,
  ) {}

  /** One INSERT; throws when the row could not be written. `db`: a transaction's client, to commit the row with the change. */
  async record(event: AuditEvent, db: Queryable = this.pool): Promise<void> {
    await insertAuditEvent(db, event);
  }

  /** Newest first, paged by id (`before`), at most 500 rows a page. */
  async list(filters: AuditFilters = {}): Promise<AuditPage> {
    const limit = Math.max(1, Math.min(filters.limit ?? DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE));
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (condition: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (filters.before !== undefined) add((p) => `id < ${p}`, filters.before);
    if (filters.actor !== undefined) add((p) => `(actor_id = ${p} OR actor_name = ${p})`, filters.actor);
    if (filters.action !== undefined) add((p) => `action = ${p}`, filters.action);
    if (filters.outcome !== undefined) add((p) => `outcome = ${p}`, filters.outcome);
    if (filters.target !== undefined) add((p) => `target = ${p}`, filters.target);
    if (filters.from !== undefined) add((p) => `at >= ${p}`, filters.from);
    if (filters.to !== undefined) add((p) => `at <= ${p}`, filters.to);
    params.push(limit + 1);
    const { rows } = await this.pool.query(
      `SELECT id, at, actor_kind, actor_id, actor_name, role, province_code, action, method, path, target, outcome, status, detail, client_ip, request_id
         FROM audit_event ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const items: AuditEventView[] = rows.slice(0, limit).map((r) => ({
      id: Number(r.id),
      at: r.at,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorName: r.actor_name,
      role: r.role,
      provinceCode: r.province_code,
      action: r.action,
      method: r.method,
      path: r.path,
      target: r.target,
      outcome: r.outcome,
      status: r.status,
      detail: r.detail,
      clientIp: r.client_ip,
      requestId: r.request_id,
    }));
    return { items, nextBefore: rows.length > limit ? items[items.length - 1].id : null };
  }

  /** Whether a call is audited (every write; reads marked `@AuditRead`), and under which action name. */
  planFor(context: ExecutionContext): AuditPlan | null {
    if (context.getType() !== 'http') return null;
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const readAction = this.reflector.getAllAndOverride<string | undefined>(AUDIT_READ_KEY, [context.getHandler(), context.getClass()]);
    return planFor(request, readAction);
  }

  /**
   * For the authentication guard: records a refused call (401/403; any other error the guard throws as failed)
   * of an audited route. Never throws: failing to record must not change the answer the caller gets.
   */
  async recordRefusal(context: ExecutionContext, error: unknown): Promise<void> {
    try {
      const plan = this.planFor(context);
      if (!plan) return;
      const request = context.switchToHttp().getRequest<AuditedRequest>();
      await this.record(describeCall(request, plan, { status: statusOf(error), error }));
    } catch (failure) {
      this.logger.error({ err: failure }, 'could not record a refused call in the audit trail');
    }
  }
}
