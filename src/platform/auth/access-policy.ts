import { ForbiddenException } from '@nestjs/common';

/** The five kinds of user of the service (see the README's "Roles"). */
export const ROLES = ['admin', 'operator', 'officer', 'auditor', 'appraiser'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route needs. Each route names exactly one permission; which roles hold it is decided here, in one
 * table, and nowhere else. Province officers hold "province-scoped" permissions: the data they reach is further
 * narrowed to their own province where it is read (see `AccessScope`).
 */
export const PERMISSIONS = [
  'reference.read', // units, metric and scenario catalogues: public reference data
  'connectors.read',
  'connectors.write', // register, change, enable/disable, test, run now, backfill
  'quarantine.read',
  'queues.dashboard', // read the queue dashboard
  'queues.manage', // add, retry, clean, pause, obliterate jobs through the dashboard
  'scores.read', // scorecards, score checks, evidence, findings, lineage, imported values (province-scoped)
  'scoreboard.read', // ranking rows (province-scoped: an officer sees the own province's rows)
  'regions.read', // regional aggregates across provinces
  'scenarios.evaluate', // what-if evaluation of every province, changes nothing
  'imports.write', // attach imported values and manual evidence (province-scoped)
  'raw.read', // raw payloads hold citizens' personal data (province-scoped, every download logged)
  'audit.read',
  'ledger.audit', // run the ledger's tamper check on demand and read its findings
  'appraisal.submit', // a province's self-assessment: submit it for appraisal (province-scoped)
  'appraisal.decide', // the ministry's appraisal: start, review manual documents, approve, return, reopen
  'users.manage', // users and API keys
  'results.publish', // publish a year's results (until then an officer sees only the own province)
  'self', // who am I, log out
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;
const READ_ALL: readonly Permission[] = [
  'reference.read',
  'connectors.read',
  'quarantine.read',
  'scores.read',
  'scoreboard.read',
  'regions.read',
  'scenarios.evaluate',
  'raw.read',
  'audit.read',
  'ledger.audit',
  'self',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ALL,
  operator: ['reference.read', 'connectors.read', 'connectors.write', 'quarantine.read', 'queues.dashboard', 'self'],
  officer: ['reference.read', 'scores.read', 'scoreboard.read', 'imports.write', 'raw.read', 'appraisal.submit', 'self'],
  auditor: READ_ALL,
  // the ministry's appraisers: read every province's scores and documents, decide on them; no connectors, no users
  appraiser: ['reference.read', 'scores.read', 'scoreboard.read', 'regions.read', 'raw.read', 'appraisal.decide', 'self'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Who is acting: a user signed in with a token, a machine client with an API key, or the service itself. */
export interface Principal {
  kind: 'user' | 'api-key' | 'system';
  id: string;
  name: string;
  role: Role;
  /** set for province officers only */
  provinceCode: string | null;
}

/**
 * The part of the data a principal may reach. Services that read province data take one as a required argument
 * and put `provinceCondition` into their SQL, so the narrowing happens in the query itself. Jobs and start-up
 * work use `AccessScope.system()`.
 */
export class AccessScope {
  private constructor(readonly principal: Principal) {}

  static of(principal: Principal): AccessScope {
    return new AccessScope(principal);
  }

  static system(purpose = 'service'): AccessScope {
    return new AccessScope({ kind: 'system', id: purpose, name: purpose, role: 'admin', provinceCode: null });
  }

  /** null: every province; otherwise the only province this scope reaches */
  get province(): string | null {
    return this.principal.role === 'officer' ? this.principal.provinceCode ?? '--' : null;
  }

  canReadProvince(provinceCode: string): boolean {
    return this.province === null || this.province === provinceCode;
  }

  /** Throws 403 when the province is outside this scope (for routes that name the province). */
  assertProvince(provinceCode: string): void {
    if (!this.canReadProvince(provinceCode)) throw new ForbiddenException(`your account is limited to province ${this.province}`);
  }

  /**
   * A SQL condition limiting `column` to this scope; pushes its parameter onto `params`.
   * Every province: `TRUE`. Officers: `column = $n`.
   */
  provinceCondition(column: string, params: unknown[]): string {
    if (this.province === null) return 'TRUE';
    params.push(this.province);
    return `${column} = $${params.length}`;
  }
}
