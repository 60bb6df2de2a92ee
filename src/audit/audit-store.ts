import { Pool, PoolClient } from 'pg';
import { storableJson, storableText } from './audit-describe';
import { AuditEvent } from './audit.types';

export type Queryable = Pick<Pool | PoolClient, 'query'>;

/**
 * Appends one row to the audit trail (the table refuses UPDATE, DELETE and TRUNCATE). Usable without Nest, e.g.
 * from a command-line tool: `await insertAuditEvent(pool, { ...systemActor('credentials-rotate'), action: … })`.
 * Pass a transaction's client to make the row part of the change it records.
 */
export async function insertAuditEvent(db: Queryable, event: AuditEvent): Promise<void> {
  const text = (value: string | null | undefined): string | null => (value === undefined || value === null ? null : storableText(value));
  await db.query(
    `INSERT INTO audit_event (actor_kind, actor_id, actor_name, role, province_code, action, method, path, target, outcome, status, detail, client_ip, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      text(event.actorKind),
      text(event.actorId),
      text(event.actorName),
      text(event.role),
      text(event.provinceCode),
      storableText(event.action),
      text(event.method),
      text(event.path),
      text(event.target),
      event.outcome,
      event.status ?? null,
      event.detail === undefined || event.detail === null ? null : JSON.stringify(storableJson(event.detail)),
      text(event.clientIp),
      text(event.requestId),
    ],
  );
}
