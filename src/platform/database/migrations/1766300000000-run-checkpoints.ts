import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many checkpoints a run has committed. A checkpoint is written only on top of the count its worker last
 * saw, so a checkpoint retried after the database dropped the connection at COMMIT (did it land or not?) is
 * recognised and never applied twice (no doubled counters or fetch rows).
 */
export class RunCheckpoints1766300000000 implements MigrationInterface {
  name = 'RunCheckpoints1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector_run ADD COLUMN checkpoints int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector_run DROP COLUMN checkpoints`);
  }
}
