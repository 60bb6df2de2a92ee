import { Pool } from 'pg';
import { withTransaction } from '../../platform/database/database.module';
import { CredentialsCipherError, CredentialsKeys, openCredentials } from './credentials-cipher';
import { sealForConnector, sealPlaintextCredentials } from './credentials-sealing';

export interface RotationFailure {
  connectorId: string;
  /** the key id the credentials were sealed with (the missing one, when the key is not in the ring) */
  keyId: string | null;
  reason: string;
}

/** What a rotation did: counts and key ids only, never a secret. */
export interface RotationReport {
  activeKeyId: string;
  /** rows sealed with the active key before this rotation */
  alreadyActive: number;
  /** rows re-sealed with the active key, per key id they were sealed with before */
  rotated: Record<string, number>;
  /** rows that still held plaintext, sealed now */
  sealedPlaintext: number;
  failures: RotationFailure[];
}

export function rotatedCount(report: RotationReport): number {
  return Object.values(report.rotated).reduce((a, b) => a + b, 0);
}

/**
 * Re-seals with the ring's active key every connector whose credentials were sealed with another key: opened with
 * the old key (which must still be in the ring), sealed with the active one, each row in its own short transaction
 * holding the row lock. Rows that cannot be opened are reported and left as they are; the others are rotated all the
 * same. Running it again finds nothing to do.
 */
export async function rotateCredentials(pool: Pool, ring: CredentialsKeys): Promise<RotationReport> {
  const active = ring.activeKeyId;
  const { rows: counts } = await pool.query(`SELECT count(*)::int AS n FROM connector WHERE credentials_key_id = $1`, [active]);
  const sealedPlaintext = await sealPlaintextCredentials(pool, ring);
  const { rows: stale } = await pool.query(
    `SELECT id FROM connector WHERE credentials_sealed IS NOT NULL AND credentials_key_id IS DISTINCT FROM $1 ORDER BY id`,
    [active],
  );
  const report: RotationReport = { activeKeyId: active, alreadyActive: counts[0].n, rotated: {}, sealedPlaintext, failures: [] };
  for (const { id } of stale as Array<{ id: string }>) {
    await withTransaction(pool, async (client) => {
      const { rows } = await client.query(`SELECT credentials_sealed, credentials_key_id FROM connector WHERE id = $1 FOR UPDATE`, [id]);
      // gone, or rotated meanwhile by another run of this command
      if (rows.length === 0 || rows[0].credentials_key_id === active || rows[0].credentials_sealed === null) return;
      const oldKeyId = rows[0].credentials_key_id as string;
      let values: Record<string, string>;
      try {
        values = openCredentials(rows[0].credentials_sealed as Buffer, ring, id);
      } catch (error) {
        if (!(error instanceof CredentialsCipherError)) throw error;
        report.failures.push({ connectorId: id, keyId: error.keyId ?? oldKeyId, reason: error.message });
        return;
      }
      const fields = sealForConnector(id, values, ring);
      await client.query(`UPDATE connector SET credentials_sealed = $2, credentials_key_id = $3, credential_names = $4 WHERE id = $1`, [
        id,
        fields.credentialsSealed,
        fields.credentialsKeyId,
        fields.credentialNames,
      ]);
      report.rotated[oldKeyId] = (report.rotated[oldKeyId] ?? 0) + 1;
    });
  }
  return report;
}
