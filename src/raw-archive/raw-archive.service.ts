import { AccessScope } from '../platform/auth/access-policy';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { InjectPool } from '../platform/database/database.module';

export interface FetchMetadata {
  connectorId: string;
  runId: string | null;
  method: string;
  url: string;
  status: number;
  durationMs: number;
  contentType: string | null;
}

export interface StoredPayload {
  digest: string;
  body: Buffer;
  size: number;
  contentType: string | null;
  createdAt: Date;
}

const SECRET_PARAM = /(secret|token|password|passwd|pwd|key|signature|sig|auth|credential)/i;

/** The URL as it may be stored and shown: credentials in the user-info or in secret-looking parameters removed. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/[?#].*$/, '');
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, 'REDACTED');
  }
  return url.toString();
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stores bytes that were uploaded rather than fetched (imports, attached documents): once per digest, no fetch
 * row. Pass the transaction's client so the bytes commit with what refers to them. Returns the digest.
 */
export async function storeUploadedPayload(db: Pick<PoolClient, 'query'>, bytes: Buffer, contentType: string): Promise<string> {
  const digest = sha256Hex(bytes);
  await db.query(`INSERT INTO raw_payload (digest, body, size, content_type) VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING`, [
    digest,
    bytes,
    bytes.length,
    contentType,
  ]);
  return digest;
}

/**
 * The raw archive: every response body is stored once, addressed by its SHA-256, and every fetch that returned
 * it is logged (URL without secrets, status, time, run). Stored bytes are never changed.
 */
@Injectable()
export class RawArchiveService {
  constructor(@InjectPool() private readonly pool: Pool) {}

  async archive(body: Buffer, meta: FetchMetadata, client?: PoolClient): Promise<string> {
    const digest = sha256Hex(body);
    const db = client ?? this.pool;
    await db.query(
      `WITH stored AS (
         INSERT INTO raw_payload (digest, body, size, content_type) VALUES ($1, $2, $3, $4)
         ON CONFLICT (digest) DO NOTHING
       )
       INSERT INTO raw_fetch (digest, connector_id, run_id, method, url, status, duration_ms, province_code)
       VALUES ($1, $5, $6, $7, $8, $9, $10, (SELECT province_code FROM connector WHERE id = $5))`,
      [digest, body, body.length, meta.contentType, meta.connectorId, meta.runId, meta.method, redactUrl(meta.url), meta.status, meta.durationMs],
    );
    return digest;
  }

  /**
   * Archives several payloads in one statement (e.g. inside a run's checkpoint transaction). Each body is its
   * own parameter, so it travels in binary (an array of bytea would go as hex text, twice the bytes to encode,
   * send and decode).
   */
  async archiveMany(items: Array<{ body: Buffer; meta: FetchMetadata }>, db: Pool | PoolClient = this.pool): Promise<string[]> {
    if (items.length === 0) return [];
    const digests = items.map((i) => sha256Hex(i.body));
    const params: unknown[] = [];
    const rows = items.map((item, n) => {
      const at = params.length;
      params.push(digests[n], item.body, item.meta.contentType, item.meta.connectorId, item.meta.runId, item.meta.method, redactUrl(item.meta.url), item.meta.status, item.meta.durationMs, n);
      return `($${at + 1}::text, $${at + 2}::bytea, $${at + 3}::text, $${at + 4}::uuid, $${at + 5}::uuid, $${at + 6}::text, $${at + 7}::text, $${at + 8}::int, $${at + 9}::int, $${at + 10}::int)`;
    });
    await db.query(
      `WITH input (digest, body, content_type, connector_id, run_id, method, url, status, duration_ms, ord) AS (
         VALUES ${rows.join(', ')}
       ),
       stored AS (
         INSERT INTO raw_payload (digest, body, size, content_type)
         SELECT DISTINCT ON (digest) digest, body, length(body), content_type FROM input ORDER BY digest
         ON CONFLICT (digest) DO NOTHING
       )
       INSERT INTO raw_fetch (digest, connector_id, run_id, method, url, status, duration_ms, province_code)
       SELECT i.digest, i.connector_id, i.run_id, i.method, i.url, i.status, i.duration_ms, c.province_code
         FROM input i LEFT JOIN connector c ON c.id = i.connector_id ORDER BY i.ord`,
      params,
    );
    return digests;
  }

  /**
   * The bytes of a payload, if the scope reaches it: an officer reaches the payloads fetched for the own province
   * (the province recorded with each fetch, whatever happens to the connector later), and uploaded files whose every value belongs to the own province. Otherwise null (as if
   * it did not exist).
   */
  async get(scope: AccessScope, digest: string): Promise<StoredPayload | null> {
    const params: unknown[] = [digest];
    const { rows } = await this.pool.query(
      `SELECT p.digest, p.body, p.size, p.content_type, p.created_at FROM raw_payload p
        WHERE p.digest = $1 AND ${payloadInScope(scope, 'p.digest', params)}`,
      params,
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return { digest: r.digest, body: r.body, size: r.size, contentType: r.content_type, createdAt: r.created_at };
  }

  /** The fetches that returned a payload (for an officer: those of the own province's connectors). */
  async fetches(scope: AccessScope, digest: string): Promise<Array<Record<string, unknown>>> {
    const params: unknown[] = [digest];
    const { rows } = await this.pool.query(
      `SELECT f.id, f.connector_id AS "connectorId", f.run_id AS "runId", f.method, f.url, f.status, f.duration_ms AS "durationMs", f.fetched_at AS "fetchedAt"
         FROM raw_fetch f
        WHERE f.digest = $1 AND ${scope.provinceCondition('f.province_code', params)} ORDER BY f.id`,
      params,
    );
    return rows;
  }
}

/** SQL condition: the payload `digestColumn` is within the scope (see `RawArchiveService.get`). */
export function payloadInScope(scope: AccessScope, digestColumn: string, params: unknown[]): string {
  if (scope.province === null) return 'TRUE';
  params.push(scope.province);
  const n = `$${params.length}`;
  return `(EXISTS (SELECT 1 FROM raw_fetch f WHERE f.digest = ${digestColumn} AND f.province_code = ${n})
        OR (EXISTS (SELECT 1 FROM import_upload u JOIN imported_value v ON v.upload_id = u.id WHERE u.raw_digest = ${digestColumn} AND v.province_code = ${n})
            AND NOT EXISTS (SELECT 1 FROM import_upload u JOIN imported_value v ON v.upload_id = u.id WHERE u.raw_digest = ${digestColumn} AND v.province_code <> ${n}))
        OR EXISTS (SELECT 1 FROM manual_evidence m WHERE m.raw_digest = ${digestColumn} AND m.province_code = ${n}))`;
}
