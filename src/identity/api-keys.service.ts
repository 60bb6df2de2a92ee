import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Pool } from 'pg';
import { Role } from '../platform/auth/access-policy';
import { InjectPool } from '../platform/database/database.module';
import { UnitsCatalogue } from '../units/units.loader';
import { ApiKeyView, provinceProblem } from './identity.types';
import { API_KEY_PREFIX, displayPrefix, newSecret, secretHash } from './secret-tokens';

const KEY_COLUMNS = `id, name, prefix, role, province_code AS "provinceCode", created_by AS "createdBy", created_at AS "createdAt",
  expires_at AS "expiresAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

export interface NewApiKey {
  name: string;
  role: Role;
  provinceCode?: string | null;
  expiresAt?: Date | null;
}

/** API keys for machine clients: shown once at creation, stored as a SHA-256, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly units: UnitsCatalogue,
  ) {}

  async create(input: NewApiKey, createdBy: string | null): Promise<ApiKeyView & { key: string }> {
    const problem = provinceProblem(input.role, input.provinceCode, (code) => this.units.isCurrentProvince(code));
    if (problem) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [problem] });
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['expiresAt must be in the future'] });
    }
    const key = newSecret(API_KEY_PREFIX);
    const { rows } = await this.pool.query(
      `INSERT INTO api_key (name, prefix, key_hash, role, province_code, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${KEY_COLUMNS}`,
      [input.name, displayPrefix(key), secretHash(key), input.role, input.provinceCode ?? null, createdBy, input.expiresAt ?? null],
    );
    return { ...rows[0], key };
  }

  async list(): Promise<ApiKeyView[]> {
    const { rows } = await this.pool.query(`SELECT ${KEY_COLUMNS} FROM api_key ORDER BY created_at, id`);
    return rows;
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const { rows } = await this.pool.query(
      `UPDATE api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${KEY_COLUMNS}`,
      [id],
    );
    if (rows.length === 0) throw new NotFoundException(`API key ${id} not found`);
    return rows[0];
  }
}
