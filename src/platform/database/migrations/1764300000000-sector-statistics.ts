import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Figures read from sectoral systems through declarative REST connectors: one row per province, period,
 * metric and subject (e.g. a unit), the newest fetch winning, with the run and raw payload it came from.
 */
export class SectorStatistics1764300000000 implements MigrationInterface {
  name = 'SectorStatistics1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sector_statistic (
        province_code char(2) NOT NULL,
        period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
        period_key text NOT NULL,
        metric text NOT NULL,
        subject text NOT NULL DEFAULT '',
        numerator numeric NOT NULL,
        denominator numeric,
        is_count boolean NOT NULL,
        connector_id uuid NOT NULL REFERENCES connector(id),
        run_id uuid NOT NULL REFERENCES connector_run(id),
        raw_digest char(64) NOT NULL REFERENCES raw_payload(digest),
        raw_position int NOT NULL,
        fetched_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, period_key, metric, subject)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sector_statistic`);
  }
}
