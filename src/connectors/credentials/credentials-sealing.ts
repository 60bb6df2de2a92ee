import { Pool } from 'pg';
import { withTransaction } from '../../platform/database/database.module';
import { CredentialsKeys, sealCredentials } from './credentials-cipher';

/** What a connector row holds of its credentials once sealed: the envelope, its key id and the names only. */
export interface SealedCredentialsFields {
  credentialsSealed: Buffer;
  credentialsKeyId: string;
  credentialNames: string[];
}

/** Seals `values` for a connector with the active key; the connector id is bound to the envelope. */
export function sealForConnector(connectorId: string, values: Record<string, string>, ring: CredentialsKeys): SealedCredentialsFields {
  return {
    credentialsSealed: sealCredentials(values, ring, connectorId),
    credentialsKeyId: ring.activeKeyId,
    credentialNames: credentialNames(values),
  };
}

export function credentialNames(values: Record<string, unknown>): string[] {
  return Object.keys(values).sort();
}

/** A row still to seal: never sealed, or plaintext written there (by an older version) since. */
export const HOLDS_PLAINTEXT = `(credentials_sealed IS NULL OR credentials <> '{}'::jsonb)`;

/**
 * Seals the plaintext credentials left in `connector.credentials` (an older database, or an older version during a
 * rolling update) with the active key, and empties that column to '{}'. One row per short transaction; replicas
 * doing this at the same time skip each other's rows (FOR UPDATE SKIP LOCKED), and a sealed row no longer matches,
 * so it is idempotent. With `connectorId`, only that row, waiting for a concurrent sealer rather than skipping it.
 * Returns how many rows it sealed.
 */
export async function sealPlaintextCredentials(pool: Pool, ring: CredentialsKeys, connectorId?: string): Promise<number> {
  let sealed = 0;
  for (;;) {
    const done = await withTransaction(pool, async (client) => {
      const { rows } = connectorId
        ? await client.query(`SELECT id, credentials FROM connector WHERE id = $1 AND ${HOLDS_PLAINTEXT} FOR UPDATE`, [connectorId])
        : await client.query(`SELECT id, credentials FROM connector WHERE ${HOLDS_PLAINTEXT} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`);
      if (rows.length === 0) return true;
      const { id, credentials } = rows[0] as { id: string; credentials: unknown };
      const fields = sealForConnector(id, plaintextRecord(credentials), ring);
      await client.query(
        `UPDATE connector SET credentials_sealed = $2, credentials_key_id = $3, credential_names = $4, credentials = '{}'::jsonb WHERE id = $1`,
        [id, fields.credentialsSealed, fields.credentialsKeyId, fields.credentialNames],
      );
      return false;
    });
    if (done) return sealed;
    sealed += 1;
    if (connectorId) return sealed;
  }
}

/** The plaintext column as a record of strings (values that are not strings are kept as their JSON text). */
export function plaintextRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, typeof v === 'string' ? v : JSON.stringify(v)]));
}
