import { MigrationInterface, QueryRunner } from 'typeorm';

/** Scores per period: the year as before, and now also its quarters and months (Decision 766 is published so). */
export class PeriodScores1764700000000 implements MigrationInterface {
  name = 'PeriodScores1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE score ADD COLUMN period_kind text NOT NULL DEFAULT 'year' CHECK (period_kind IN ('month', 'quarter', 'year'))`);
    await q.query(`ALTER TABLE score ADD COLUMN period_key text`);
    await q.query(`UPDATE score SET period_key = year::text`);
    await q.query(`ALTER TABLE score ALTER COLUMN period_key SET NOT NULL`);
    await q.query(`ALTER TABLE score DROP CONSTRAINT score_province_code_year_catalogue_version_sub_criterion_ve_key`);
    await q.query(`ALTER TABLE score ADD CONSTRAINT score_version_key UNIQUE (province_code, period_key, catalogue_version, sub_criterion, version)`);
    await q.query(`DROP INDEX score_latest_idx`);
    await q.query(`CREATE INDEX score_latest_idx ON score (province_code, year, period_key, catalogue_version, sub_criterion, version DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM score WHERE period_kind <> 'year'`);
    await q.query(`DROP INDEX score_latest_idx`);
    await q.query(`CREATE INDEX score_latest_idx ON score (province_code, year, catalogue_version, sub_criterion, version DESC)`);
    await q.query(`ALTER TABLE score DROP CONSTRAINT score_version_key`);
    await q.query(`ALTER TABLE score ADD CONSTRAINT score_province_code_year_catalogue_version_sub_criterion_ve_key UNIQUE (province_code, year, catalogue_version, sub_criterion, version)`);
    await q.query(`ALTER TABLE score DROP COLUMN period_key`);
    await q.query(`ALTER TABLE score DROP COLUMN period_kind`);
  }
}
