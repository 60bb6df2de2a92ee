import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenLineage run events of connector runs (START, COMPLETE, FAIL), kept as an outbox: every event is stored
 * when its run starts or ends, and sent to the configured endpoint later, with retries; one event per run and type.
 */
export class OpenlineageOutbox1766700000001 implements MigrationInterface {
  name = 'OpenlineageOutbox1766700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE openlineage_event (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES connector_run(id),
        event_type text NOT NULL CHECK (event_type IN ('START', 'COMPLETE', 'FAIL')),
        event jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        UNIQUE (run_id, event_type)
      )`);
    await q.query(`CREATE INDEX openlineage_event_unsent_idx ON openlineage_event (next_attempt_at, id) WHERE sent_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE openlineage_event`);
  }
}
