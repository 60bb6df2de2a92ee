import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quarantine identity and triage. A quarantined record is keyed on its identity (entity, source key, reason,
 * field and normalised content), so a re-send in another shape counts (`seen_count`) instead of adding a row.
 * Existing rows keep their content hash as identity (their content is not stored, it cannot be recomputed) and
 * were seen once. Triage: `open`, `released` (to be reprocessed), `resolved` (reprocessed and used), `rejected`
 * (dismissed with a note). A report file with released rows is marked for a reload of those rows.
 */
export class QuarantineIdentityAndTriage1766200000001 implements MigrationInterface {
  name = 'QuarantineIdentityAndTriage1766200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE quarantine_record
        ADD COLUMN identity_hash char(64),
        ADD COLUMN seen_count int NOT NULL DEFAULT 1,
        ADD COLUMN last_seen_at timestamptz,
        ADD COLUMN last_run_id uuid REFERENCES connector_run(id),
        ADD COLUMN last_raw_digest char(64) REFERENCES raw_payload(digest),
        ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'released', 'resolved', 'rejected')),
        ADD COLUMN triage_note text,
        ADD COLUMN triaged_at timestamptz,
        ADD COLUMN triaged_by text,
        ADD COLUMN outcome text`);
    await q.query(`UPDATE quarantine_record SET identity_hash = record_hash, last_seen_at = created_at, last_run_id = run_id, last_raw_digest = raw_digest`);
    await q.query(`ALTER TABLE quarantine_record ALTER COLUMN identity_hash SET NOT NULL, ALTER COLUMN last_seen_at SET NOT NULL, ALTER COLUMN last_seen_at SET DEFAULT now()`);
    await q.query(`ALTER TABLE quarantine_record DROP CONSTRAINT quarantine_record_connector_id_record_hash_key`);
    await q.query(`ALTER TABLE quarantine_record ADD CONSTRAINT quarantine_record_identity_key UNIQUE (connector_id, identity_hash)`);
    await q.query(`CREATE INDEX quarantine_triage_idx ON quarantine_record (status, reason_code, created_at)`);
    // released rows of a report file are read again from that file by the next run
    await q.query(`ALTER TABLE report_file ADD COLUMN reload_requested_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report_file DROP COLUMN reload_requested_at`);
    await q.query(`DROP INDEX quarantine_triage_idx`);
    await q.query(`ALTER TABLE quarantine_record DROP CONSTRAINT quarantine_record_identity_key`);
    await q.query(`DELETE FROM quarantine_record a USING quarantine_record b WHERE a.connector_id = b.connector_id AND a.record_hash = b.record_hash AND a.id > b.id`);
    await q.query(`ALTER TABLE quarantine_record ADD CONSTRAINT quarantine_record_connector_id_record_hash_key UNIQUE (connector_id, record_hash)`);
    await q.query(`
      ALTER TABLE quarantine_record DROP COLUMN identity_hash, DROP COLUMN seen_count, DROP COLUMN last_seen_at, DROP COLUMN last_run_id,
        DROP COLUMN last_raw_digest, DROP COLUMN status, DROP COLUMN triage_note, DROP COLUMN triaged_at, DROP COLUMN triaged_by, DROP COLUMN outcome`);
  }
}
