import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation schema: connectors and their runs, the raw archive, normalised one-stop-shop records,
 * quarantine, the evidence and scoring outboxes, versioned evidence and versioned scores.
 * Append-only tables (raw_payload, evidence_*, score) are never updated in place.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE connector (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        kind text NOT NULL,
        base_url text NOT NULL,
        province_code char(2) NOT NULL,
        credentials jsonb NOT NULL DEFAULT '{}'::jsonb,
        schedule text,
        enabled boolean NOT NULL DEFAULT true,
        options jsonb NOT NULL DEFAULT '{}'::jsonb,
        config_version int NOT NULL DEFAULT 1,
        schedule_anchor timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE connector_config_version (
        connector_id uuid NOT NULL REFERENCES connector(id),
        version int NOT NULL,
        config jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector_id, version)
      )`);
    await q.query(`
      CREATE TABLE connector_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connector_id uuid NOT NULL REFERENCES connector(id),
        config_version int NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'backfill')),
        slot_at timestamptz,
        window_from timestamptz NOT NULL,
        window_to timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'missed')),
        job_id text NOT NULL UNIQUE,
        cursor jsonb,
        attempts int NOT NULL DEFAULT 0,
        pages int NOT NULL DEFAULT 0,
        fetched int NOT NULL DEFAULT 0,
        normalised int NOT NULL DEFAULT 0,
        unchanged int NOT NULL DEFAULT 0,
        quarantined int NOT NULL DEFAULT 0,
        error_code text,
        error_message text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CHECK (window_from < window_to),
        UNIQUE (connector_id, slot_at)
      )`);
    await q.query(`CREATE INDEX connector_run_connector_idx ON connector_run (connector_id, requested_at DESC)`);
    await q.query(`CREATE INDEX connector_run_status_idx ON connector_run (status) WHERE status IN ('queued', 'running')`);

    await q.query(`
      CREATE TABLE raw_payload (
        digest char(64) PRIMARY KEY,
        body bytea NOT NULL,
        size int NOT NULL,
        content_type text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // JSON compresses well; lz4 is far cheaper than the default pglz on the ingest path.
    await q.query(`DO $$ BEGIN
        ALTER TABLE raw_payload ALTER COLUMN body SET COMPRESSION lz4;
      EXCEPTION WHEN others THEN RAISE NOTICE 'lz4 not available, keeping default compression';
      END $$`);
    await q.query(`
      CREATE TABLE raw_fetch (
        id bigserial PRIMARY KEY,
        digest char(64) NOT NULL REFERENCES raw_payload(digest),
        connector_id uuid NOT NULL REFERENCES connector(id),
        run_id uuid REFERENCES connector_run(id),
        method text NOT NULL,
        url text NOT NULL,
        status int NOT NULL,
        duration_ms int NOT NULL,
        fetched_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX raw_fetch_run_idx ON raw_fetch (run_id)`);
    await q.query(`CREATE INDEX raw_fetch_digest_idx ON raw_fetch (digest)`);

    await q.query(`
      CREATE TABLE dossier (
        province_code char(2) NOT NULL,
        dossier_id text NOT NULL,
        procedure_code text,
        field_code text,
        handling_unit_code text,
        handling_level text,
        channel smallint NOT NULL,
        result_delivery smallint,
        status smallint NOT NULL,
        received_at timestamptz NOT NULL,
        due_at timestamptz,
        processed_at timestamptz,
        returned_at timestamptz,
        source_updated_at timestamptz NOT NULL,
        online_payment_channel smallint,
        fee_total bigint,
        has_fee boolean NOT NULL,
        component_count int NOT NULL,
        digitised_component_count int NOT NULL,
        reused_component_count int NOT NULL,
        result_file_count int NOT NULL,
        digitised boolean NOT NULL,
        supplement_count smallint NOT NULL,
        supplement_pause_seconds int NOT NULL,
        connector_id uuid NOT NULL,
        run_id uuid NOT NULL,
        raw_digest char(64) NOT NULL,
        raw_position int NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, dossier_id)
      )`);
    await q.query(`CREATE INDEX dossier_partition_idx ON dossier (province_code, received_at)`);

    await q.query(`
      CREATE TABLE procedure (
        province_code char(2) NOT NULL,
        procedure_code text NOT NULL,
        name text,
        field_code text,
        online_level smallint,
        levels text[] NOT NULL DEFAULT '{}',
        has_fee boolean,
        fully_online_eligible boolean,
        has_paper_result boolean,
        connector_id uuid NOT NULL,
        run_id uuid NOT NULL,
        raw_digest char(64) NOT NULL,
        raw_position int NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, procedure_code)
      )`);

    await q.query(`
      CREATE TABLE quarantine_record (
        id bigserial PRIMARY KEY,
        connector_id uuid NOT NULL REFERENCES connector(id),
        run_id uuid NOT NULL REFERENCES connector_run(id),
        province_code char(2) NOT NULL,
        entity text NOT NULL,
        raw_digest char(64) NOT NULL REFERENCES raw_payload(digest),
        raw_position int NOT NULL,
        record_key text,
        record_hash char(64) NOT NULL,
        reason_code text NOT NULL,
        field text,
        detail text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (connector_id, record_hash)
      )`);
    await q.query(`CREATE INDEX quarantine_run_idx ON quarantine_record (run_id)`);
    await q.query(`CREATE INDEX quarantine_province_idx ON quarantine_record (province_code, created_at DESC)`);

    // Outboxes of stale partitions, written in the same transaction as the records that made them stale.
    // A re-mark bumps `seq`; a job deletes only the rows whose seq it claimed, so a change that lands while
    // the job runs is never dropped.
    await q.query(`CREATE SEQUENCE outbox_seq`);
    await q.query(`
      CREATE TABLE evidence_outbox (
        province_code char(2) NOT NULL,
        source_kind text NOT NULL,
        month_key text NOT NULL,
        seq bigint NOT NULL DEFAULT nextval('outbox_seq'),
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, source_kind, month_key)
      )`);

    await q.query(`
      CREATE TABLE evidence_computation (
        id bigserial PRIMARY KEY,
        province_code char(2) NOT NULL,
        source_kind text NOT NULL,
        period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
        period_key text NOT NULL,
        rule_version text NOT NULL,
        as_of timestamptz NOT NULL,
        record_count int NOT NULL,
        run_ids uuid[] NOT NULL,
        raw_digests text[] NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE evidence_record (
        id bigserial PRIMARY KEY,
        computation_id bigint NOT NULL REFERENCES evidence_computation(id),
        province_code char(2) NOT NULL,
        period_kind text NOT NULL,
        period_key text NOT NULL,
        year int NOT NULL,
        metric text NOT NULL,
        numerator numeric,
        denominator numeric,
        value numeric,
        rule_version text NOT NULL,
        version int NOT NULL,
        content_digest char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (province_code, period_key, metric, version)
      )`);
    await q.query(`CREATE INDEX evidence_record_latest_idx ON evidence_record (province_code, year, metric, period_key, version DESC)`);

    await q.query(`
      CREATE TABLE scoring_outbox (
        province_code char(2) NOT NULL,
        year int NOT NULL,
        seq bigint NOT NULL DEFAULT nextval('outbox_seq'),
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, year)
      )`);
    await q.query(`
      CREATE TABLE score (
        id bigserial PRIMARY KEY,
        province_code char(2) NOT NULL,
        year int NOT NULL,
        framework text NOT NULL,
        catalogue_version text NOT NULL,
        sub_criterion text NOT NULL,
        rule_digest char(64) NOT NULL,
        status text NOT NULL,
        value numeric,
        points numeric,
        max_points numeric NOT NULL,
        evidence_ids bigint[] NOT NULL,
        version int NOT NULL,
        content_digest char(64) NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (province_code, year, catalogue_version, sub_criterion, version)
      )`);
    await q.query(`CREATE INDEX score_latest_idx ON score (province_code, year, catalogue_version, sub_criterion, version DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'score', 'scoring_outbox', 'evidence_record', 'evidence_computation', 'evidence_outbox',
      'quarantine_record', 'procedure', 'dossier', 'raw_fetch', 'raw_payload', 'connector_run',
      'connector_config_version', 'connector',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS outbox_seq`);
  }
}
