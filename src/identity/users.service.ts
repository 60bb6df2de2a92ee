import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { Pool } from 'pg';
import { AuditService } from '../audit/audit.service';
import { systemActor } from '../audit/audit.types';
import { Role } from '../platform/auth/access-policy';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { InjectPool, withTransaction } from '../platform/database/database.module';
import { UnitsCatalogue } from '../units/units.loader';
import { UserView, provinceProblem } from './identity.types';
import { hashPassword } from './password-hash';

const USER_COLUMNS = `id, username, role, province_code AS "provinceCode", disabled, created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  provinceCode?: string | null;
}

export interface UserChange {
  role?: Role;
  provinceCode?: string | null;
  disabled?: boolean;
  password?: string;
}

/** User accounts. Passwords are stored as scrypt hashes only; changing a user's access ends their sessions. */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly units: UnitsCatalogue,
    @Optional() private readonly audit?: AuditService,
  ) {}

  /** BOOTSTRAP_ADMIN_*: the first administrator of a fresh install; ignored once any user exists. */
  async onApplicationBootstrap(): Promise<void> {
    const { BOOTSTRAP_ADMIN_USERNAME: username, BOOTSTRAP_ADMIN_PASSWORD: password } = this.config;
    if (!username || !password) return;
    const created = await this.createFirstAdmin(username, password);
    if (created) this.logger.log({ username }, 'first administrator created from BOOTSTRAP_ADMIN_USERNAME');
  }

  /**
   * Creates an administrator only if there is no user at all (safe with several replicas starting at once).
   * Recorded in the audit trail in the same transaction (actor kind 'system', named by `via`).
   */
  async createFirstAdmin(username: string, password: string, via = 'bootstrap-admin'): Promise<boolean> {
    const hash = await hashPassword(password, this.config.PASSWORD_HASH_COST);
    return withTransaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('peh:first-admin'))`);
      const { rows } = await client.query(`SELECT 1 FROM app_user LIMIT 1`);
      if (rows.length > 0) return false;
      const created = await client.query(`INSERT INTO app_user (username, password_hash, role) VALUES ($1, $2, 'admin') RETURNING id`, [username, hash]);
      await this.audit?.record({ ...systemActor(via), action: 'first-admin.create', target: created.rows[0].id, outcome: 'succeeded', detail: { role: 'admin' } }, client);
      return true;
    });
  }

  async create(input: NewUser): Promise<UserView> {
    this.checkProvince(input.role, input.provinceCode);
    const hash = await hashPassword(input.password, this.config.PASSWORD_HASH_COST);
    const { rows } = await this.pool.query(
      `INSERT INTO app_user (username, password_hash, role, province_code) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`,
      [input.username, hash, input.role, input.provinceCode ?? null],
    );
    if (rows.length === 0) throw new ConflictException(`username ${input.username} is taken`);
    return rows[0];
  }

  async list(): Promise<UserView[]> {
    const { rows } = await this.pool.query(`SELECT ${USER_COLUMNS} FROM app_user ORDER BY username`);
    return rows;
  }

  async get(id: string): Promise<UserView> {
    const { rows } = await this.pool.query(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1`, [id]);
    if (rows.length === 0) throw new NotFoundException(`user ${id} not found`);
    return rows[0];
  }

  async update(id: string, change: UserChange): Promise<UserView> {
    const hash = change.password ? await hashPassword(change.password, this.config.PASSWORD_HASH_COST) : null;
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1 FOR UPDATE`, [id]);
      if (rows.length === 0) throw new NotFoundException(`user ${id} not found`);
      const current = rows[0] as UserView;
      const role = change.role ?? current.role;
      // a role change away from officer drops the province unless one is given
      const provinceCode = change.provinceCode !== undefined ? change.provinceCode : role === 'officer' ? current.provinceCode : null;
      this.checkProvince(role, provinceCode);
      const disabled = change.disabled ?? current.disabled;
      if (current.role === 'admin' && (role !== 'admin' || disabled)) await this.keepOneAdmin(client, id);
      const updated = await client.query(
        `UPDATE app_user SET role = $2, province_code = $3, disabled = $4, password_hash = COALESCE($5, password_hash), updated_at = now()
         WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [id, role, provinceCode, disabled, hash],
      );
      // any change of access or password ends the user's sessions
      await client.query(`UPDATE auth_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      return updated.rows[0];
    });
  }

  private async keepOneAdmin(client: import('pg').PoolClient, leaving: string): Promise<void> {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM app_user WHERE role = 'admin' AND NOT disabled AND id <> $1`, [leaving]);
    if (rows[0].n === 0) throw new ConflictException('the last active administrator cannot be demoted or disabled');
  }

  private checkProvince(role: Role, provinceCode: string | null | undefined): void {
    const problem = provinceProblem(role, provinceCode, (code) => this.units.isCurrentProvince(code));
    if (problem) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [problem] });
  }
}
