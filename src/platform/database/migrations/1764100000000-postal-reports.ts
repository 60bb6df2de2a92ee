import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * VNPost BCCI reports: every listed file version (with the digest it was announced with and the digest of the
 * bytes received), one normalised row per waybill and direction per file version, and which version of a month
 * is current. Evidence gains a `subject` (e.g. a procedure code) next to the province and period.
 */
export class PostalReports1764100000000 implements MigrationInterface {
  name = 'PostalReports1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_file (
        id bigserial PRIMARY KEY,
        connector_id uuid NOT NULL REFERENCES connector(id),
        run_id uuid NOT NULL REFERENCES connector_run(id),
        province_code char(2) NOT NULL,
        source_kind text NOT NULL,
        month_key text NOT NULL,
        version int NOT NULL,
        file_name text NOT NULL,
        url text NOT NULL,
        listed_sha256 text NOT NULL,
        listed_size bigint,
        digest char(64) REFERENCES raw_payload(digest),
        status text NOT NULL CHECK (status IN ('loaded', 'digest_mismatch', 'unreadable')),
        error text,
        format text,
        encoding text,
        header_row int,
        good_rows int NOT NULL DEFAULT 0,
        bad_rows int NOT NULL DEFAULT 0,
        loaded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_kind, province_code, month_key, version)
      )`);
    await q.query(`
      CREATE TABLE waybill (
        province_code char(2) NOT NULL,
        month_key text NOT NULL,
        version int NOT NULL,
        direction text NOT NULL CHECK (direction IN ('submission', 'result')),
        waybill_id text NOT NULL,
        dossier_id text,
        procedure_code text,
        agency_code text,
        accepted_at timestamptz,
        delivered_at timestamptz,
        status text,
        status_text text,
        postage bigint,
        file_id bigint NOT NULL REFERENCES report_file(id),
        row_number int NOT NULL,
        PRIMARY KEY (province_code, month_key, version, direction, waybill_id)
      )`);
    await q.query(`CREATE INDEX waybill_dossier_idx ON waybill (province_code, dossier_id) WHERE dossier_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE report_month (
        source_kind text NOT NULL,
        province_code char(2) NOT NULL,
        month_key text NOT NULL,
        current_version int NOT NULL,
        file_id bigint NOT NULL REFERENCES report_file(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_kind, province_code, month_key)
      )`);
    await q.query(`ALTER TABLE quarantine_record ADD COLUMN sheet text`);
    await q.query(`ALTER TABLE evidence_record ADD COLUMN subject text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE evidence_record DROP CONSTRAINT evidence_record_province_code_period_key_metric_version_key`);
    await q.query(`ALTER TABLE evidence_record ADD CONSTRAINT evidence_record_version_key UNIQUE (province_code, period_key, metric, subject, version)`);
    await q.query(`DROP INDEX evidence_record_latest_idx`);
    await q.query(`CREATE INDEX evidence_record_latest_idx ON evidence_record (province_code, year, metric, subject, period_key, version DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX evidence_record_latest_idx`);
    await q.query(`CREATE INDEX evidence_record_latest_idx ON evidence_record (province_code, year, metric, period_key, version DESC)`);
    await q.query(`ALTER TABLE evidence_record DROP CONSTRAINT evidence_record_version_key`);
    await q.query(`ALTER TABLE evidence_record ADD CONSTRAINT evidence_record_province_code_period_key_metric_version_key UNIQUE (province_code, period_key, metric, version)`);
    await q.query(`ALTER TABLE evidence_record DROP COLUMN subject`);
    await q.query(`ALTER TABLE quarantine_record DROP COLUMN sheet`);
    await q.query(`DROP TABLE report_month`);
    await q.query(`DROP TABLE waybill`);
    await q.query(`DROP TABLE report_file`);
  }
}
