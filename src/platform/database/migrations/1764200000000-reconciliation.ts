import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cross-source reconciliation: per province, month and direction, postal waybills matched against one-stop-shop
 * dossiers sent or returned by post. Findings are versioned (a new version only when the outcome changes) and
 * never alter either source's evidence.
 */
export class Reconciliation1764200000000 implements MigrationInterface {
  name = 'Reconciliation1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconciliation_finding (
        id bigserial PRIMARY KEY,
        province_code char(2) NOT NULL,
        month_key text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('submission', 'result')),
        rule_version text NOT NULL,
        matched int NOT NULL,
        matched_by_fallback int NOT NULL,
        unmatched_waybills int NOT NULL,
        unmatched_dossiers int NOT NULL,
        unmatched_waybill_ids text[] NOT NULL,
        unmatched_dossier_ids text[] NOT NULL,
        report_file_id bigint REFERENCES report_file(id),
        dossier_run_ids uuid[] NOT NULL,
        raw_digests text[] NOT NULL,
        version int NOT NULL,
        content_digest char(64) NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (province_code, month_key, direction, version)
      )`);
    await q.query(`CREATE INDEX reconciliation_latest_idx ON reconciliation_finding (province_code, month_key, direction, version DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliation_finding`);
  }
}
