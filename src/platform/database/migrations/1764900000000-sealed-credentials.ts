import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connector credentials sealed at rest (AES-256-GCM, see src/connectors/credentials/credentials-cipher.ts):
 * `credentials_sealed` holds the envelope, `credentials_key_id` the id of the key that sealed it (for rotation,
 * without opening anything), `credential_names` the names only (what the API shows, no decryption needed).
 *
 * A migration has no key, so it cannot seal: rows of an older database keep their plaintext `credentials` until the
 * service's start-up step (PlaintextCredentialsSealer) seals them and empties the column to '{}'. From then on the
 * service never writes anything but '{}' there; a later migration may drop the column.
 */
export class SealedCredentials1764900000000 implements MigrationInterface {
  name = 'SealedCredentials1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector ADD COLUMN credentials_sealed bytea`);
    await q.query(`ALTER TABLE connector ADD COLUMN credentials_key_id text`);
    await q.query(`ALTER TABLE connector ADD COLUMN credential_names text[] NOT NULL DEFAULT '{}'`);
    await q.query(
      `ALTER TABLE connector ADD CONSTRAINT connector_credentials_sealed_key_check CHECK ((credentials_sealed IS NULL) = (credentials_key_id IS NULL))`,
    );
    // names of the credentials still in plaintext, so that the API shows them before the start-up step ran
    await q.query(`UPDATE connector SET credential_names = ARRAY(SELECT jsonb_object_keys(credentials) ORDER BY 1) WHERE jsonb_typeof(credentials) = 'object'`);
    await q.query(`COMMENT ON COLUMN connector.credentials IS 'legacy plaintext: emptied to {} by the service at start; see credentials_sealed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // the sealed credentials cannot be restored to plaintext without the key: they are lost (set them again)
    await q.query(`COMMENT ON COLUMN connector.credentials IS NULL`);
    await q.query(`ALTER TABLE connector DROP CONSTRAINT connector_credentials_sealed_key_check`);
    await q.query(`ALTER TABLE connector DROP COLUMN credential_names`);
    await q.query(`ALTER TABLE connector DROP COLUMN credentials_key_id`);
    await q.query(`ALTER TABLE connector DROP COLUMN credentials_sealed`);
  }
}
