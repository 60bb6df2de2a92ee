import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report files that cannot be read are `rejected` (with the reason) instead of `unreadable`, and keep what each
 * sheet became. Runs get a step log (checkpoints, files, retries, warnings), a warning count, and can be
 * cancelled (`cancelled`, asked for with `cancel_requested_at`).
 */
export class RejectedFilesAndRunSteps1766200000000 implements MigrationInterface {
  name = 'RejectedFilesAndRunSteps1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report_file DROP CONSTRAINT report_file_status_check`);
    await q.query(`UPDATE report_file SET status = 'rejected' WHERE status = 'unreadable'`);
    await q.query(`ALTER TABLE report_file ADD CONSTRAINT report_file_status_check CHECK (status IN ('loaded', 'digest_mismatch', 'rejected'))`);
    await q.query(`ALTER TABLE report_file ADD COLUMN sheets jsonb`);

    await q.query(`ALTER TABLE connector_run DROP CONSTRAINT connector_run_status_check`);
    await q.query(`ALTER TABLE connector_run ADD CONSTRAINT connector_run_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'missed', 'cancelled'))`);
    await q.query(`ALTER TABLE connector_run ADD COLUMN warnings int NOT NULL DEFAULT 0, ADD COLUMN cancel_requested_at timestamptz`);
    await q.query(`
      CREATE TABLE connector_run_step (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES connector_run(id),
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL CHECK (kind IN ('start', 'checkpoint', 'file', 'retry', 'warning', 'cancel', 'finish')),
        message text NOT NULL,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX connector_run_step_run_idx ON connector_run_step (run_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_run_step`);
    await q.query(`ALTER TABLE connector_run DROP COLUMN warnings, DROP COLUMN cancel_requested_at`);
    await q.query(`UPDATE connector_run SET status = 'failed' WHERE status = 'cancelled'`);
    await q.query(`ALTER TABLE connector_run DROP CONSTRAINT connector_run_status_check`);
    await q.query(`ALTER TABLE connector_run ADD CONSTRAINT connector_run_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'missed'))`);
    await q.query(`ALTER TABLE report_file DROP COLUMN sheets`);
    await q.query(`ALTER TABLE report_file DROP CONSTRAINT report_file_status_check`);
    await q.query(`UPDATE report_file SET status = 'unreadable' WHERE status = 'rejected'`);
    await q.query(`ALTER TABLE report_file ADD CONSTRAINT report_file_status_check CHECK (status IN ('loaded', 'digest_mismatch', 'unreadable'))`);
  }
}
