import { Principal } from '../platform/auth/access-policy';

export const AUDIT_OUTCOMES = ['succeeded', 'failed', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * One row of the audit trail. Never put request bodies, passwords, tokens, credentials or personal data here:
 * `target` holds identifiers (route parameters, the id of what was created), `detail` small facts such as the
 * status and a scrubbed error message.
 */
export interface AuditEvent {
  actorKind?: Principal['kind'] | null;
  actorId?: string | null;
  actorName?: string | null;
  role?: string | null;
  provinceCode?: string | null;
  /** a stable name: `POST /connectors/:id/runs` (route pattern, not the URL) or a named action such as `raw-payload.download` */
  action: string;
  method?: string | null;
  path?: string | null;
  target?: string | null;
  outcome: AuditOutcome;
  status?: number | null;
  detail?: Record<string, unknown> | null;
  clientIp?: string | null;
  requestId?: string | null;
}

/** An audit row as the API shows it. */
export interface AuditEventView {
  id: number;
  at: Date;
  actorKind: string | null;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  provinceCode: string | null;
  action: string;
  method: string | null;
  path: string | null;
  target: string | null;
  outcome: AuditOutcome;
  status: number | null;
  detail: Record<string, unknown> | null;
  clientIp: string | null;
  requestId: string | null;
}

export interface AuditFilters {
  /** matches the actor's id or name */
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  target?: string;
  from?: Date;
  to?: Date;
  /** only rows with an id below this one (paging backwards from the newest) */
  before?: number;
  limit?: number;
}

export interface AuditPage {
  items: AuditEventView[];
  /** pass as `before` for the next (older) page; null when there is none */
  nextBefore: number | null;
}

/** The actor columns of a principal. */
export function actorOf(principal: Principal | null | undefined): Pick<AuditEvent, 'actorKind' | 'actorId' | 'actorName' | 'role' | 'provinceCode'> {
  if (!principal) return { actorKind: null, actorId: null, actorName: null, role: null, provinceCode: null };
  return {
    actorKind: principal.kind,
    actorId: principal.id,
    actorName: principal.name,
    role: principal.role,
    provinceCode: principal.provinceCode,
  };
}

/** The actor of work the service does by itself (start-up, command-line tools): kind 'system'. */
export function systemActor(name: string): Pick<AuditEvent, 'actorKind' | 'actorId' | 'actorName' | 'role' | 'provinceCode'> {
  return { actorKind: 'system', actorId: name, actorName: name, role: null, provinceCode: null };
}
