import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recomputed scores checked against the official ones a source publishes (the DVCQG portal's Decision 766
 * scores): both kept; a difference above the tolerance is a data-quality finding, not an error to hide.
 */
export class ScoreChecks1764600000000 implements MigrationInterface {
  name = 'ScoreChecks1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE score_check (
        province_code char(2) NOT NULL,
        year int NOT NULL,
        catalogue_version text NOT NULL,
        sub_criterion text NOT NULL,
        metric text NOT NULL,
        computed_points numeric,
        official_points numeric NOT NULL,
        difference numeric,
        finding boolean NOT NULL,
        score_id bigint REFERENCES score(id),
        official_evidence_id bigint REFERENCES evidence_record(id),
        checked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, year, catalogue_version, sub_criterion)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE score_check`);
  }
}
