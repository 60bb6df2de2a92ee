import { MigrationInterface, QueryRunner } from 'typeorm';

/** What a run noticed without failing (e.g. a records path that matched nothing), written with its checkpoints. */
export class RunWarnings1766400000001 implements MigrationInterface {
  name = 'RunWarnings1766400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector_run ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector_run DROP COLUMN warnings`);
  }
}
