import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security (issue 11):
 * - each raw fetch records the province it was fetched for; access to its bytes is decided by that, forever
 *   (existing rows take their connector's province, which can no longer change once a connector has run);
 * - results are drafts until an administrator publishes a year: the publication keeps the table it published.
 */
export class SecurityBindings1766100000000 implements MigrationInterface {
  name = 'SecurityBindings1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE raw_fetch ADD COLUMN province_code char(2)`);
    await q.query(`UPDATE raw_fetch f SET province_code = c.province_code FROM connector c WHERE c.id = f.connector_id`);
    await q.query(`CREATE INDEX raw_fetch_digest_province ON raw_fetch (digest, province_code)`);
    await q.query(`
      CREATE TABLE results_publication (
        year int PRIMARY KEY,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL,
        scoreboard jsonb NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE results_publication`);
    await q.query(`DROP INDEX raw_fetch_digest_province`);
    await q.query(`ALTER TABLE raw_fetch DROP COLUMN province_code`);
  }
}
