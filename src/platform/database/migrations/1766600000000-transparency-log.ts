import { MigrationInterface, QueryRunner } from 'typeorm';

/** trigger arguments per table: leaf kind, fact key, captured fields (kept equal to src/ledger/leaf-types.ts; a spec checks) */
const CAPTURED: Array<[table: string, kind: string, key: string, fields: string]> = [
  ['raw_payload', 'raw_payload', 't.digest::text', `jsonb_build_object('digest', t.digest, 'size', t.size::text, 'content_type', t.content_type)`],
  ['evidence_computation', 'evidence_computation', 't.id::text', 'ledger_row(to_jsonb(t))'],
  ['evidence_record', 'evidence_record', 't.id::text', 'ledger_row(to_jsonb(t))'],
  ['score', 'score', 't.id::text', 'ledger_row(to_jsonb(t))'],
  ['manual_evidence', 'manual_evidence', 't.id::text', 'ledger_row(to_jsonb(t))'],
  ['imported_value', 'imported_value', 't.id::text', 'ledger_row(to_jsonb(t))'],
];

/**
 * The transparency log (RFC 6962 Merkle tree): leaves, stored perfect-subtree nodes, signed checkpoints, the
 * outbox that feeds it and the tamper findings. Facts are captured by statement triggers in the transaction
 * that inserts them — only for the service's own connections (`par.writer = service`, set on every pooled
 * connection): a row inserted by anyone else has no leaf and is reported by the tamper check.
 */
export class TransparencyLog1766600000000 implements MigrationInterface {
  name = 'TransparencyLog1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET LOCAL timezone TO 'UTC'`);
    await q.query(`
      CREATE TABLE ledger_leaf (
        idx bigint PRIMARY KEY CHECK (idx >= 0),
        kind text NOT NULL,
        fact_key text NOT NULL,
        leaf_version smallint NOT NULL,
        leaf text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
        appended_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, fact_key)
      )`);
    await q.query(`
      CREATE TABLE ledger_node (
        level smallint NOT NULL,
        idx bigint NOT NULL,
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);
    await q.query(`
      CREATE TABLE ledger_outbox (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        fact_key text NOT NULL,
        fields jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_outbox_fact_idx ON ledger_outbox (kind, fact_key)`);
    await q.query(`
      CREATE TABLE ledger_checkpoint (
        id bigserial PRIMARY KEY,
        tree_size bigint NOT NULL,
        root_hash bytea NOT NULL,
        note text NOT NULL,
        key_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_checkpoint_size_idx ON ledger_checkpoint (tree_size, id DESC)`);
    await q.query(`
      CREATE TABLE ledger_finding (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        fact_key text NOT NULL,
        problem text NOT NULL CHECK (problem IN ('changed', 'removed', 'added', 'leaf_corrupt', 'tree_corrupt')),
        detail text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX ledger_finding_open_idx ON ledger_finding (kind, fact_key, problem) WHERE resolved_at IS NULL`);

    // a row as JSON with numbers as their exact decimal text (timestamps follow the session time zone: the
    // trigger and the tamper check both run in UTC)
    await q.query(`
      CREATE FUNCTION ledger_row(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT COALESCE(jsonb_object_agg(key, CASE WHEN jsonb_typeof(value) = 'number' THEN to_jsonb(value #>> '{}') ELSE value END), '{}'::jsonb)
          FROM jsonb_each(j)
      $$`);
    await q.query(`
      CREATE FUNCTION ledger_capture() RETURNS trigger LANGUAGE plpgsql SET timezone TO 'UTC' AS $$
      BEGIN
        IF current_setting('par.writer', true) IS DISTINCT FROM 'service' THEN RETURN NULL; END IF;
        EXECUTE format('INSERT INTO ledger_outbox (kind, fact_key, fields) SELECT %L, %s, %s FROM ledger_new t', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]);
        RETURN NULL;
      END $$`);
    for (const [table, kind, key, fields] of CAPTURED) {
      await q.query(
        `CREATE TRIGGER ${table}_ledger AFTER INSERT ON ${table} REFERENCING NEW TABLE AS ledger_new
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_capture('${kind}', '${key}', '${fields.replace(/'/g, "''")}')`,
      );
    }
    // rows stored before the log existed are adopted as they are now (the first append logs them)
    for (const [table, kind, key, fields] of CAPTURED) {
      await q.query(`INSERT INTO ledger_outbox (kind, fact_key, fields) SELECT '${kind}', ${key}, ${fields} FROM ${table} t ORDER BY 2`);
    }
    // the log itself is append-only
    await q.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the transparency log is append-only (% on %)', TG_OP, TG_TABLE_NAME; END $$`);
    for (const table of ['ledger_leaf', 'ledger_node', 'ledger_checkpoint']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table] of CAPTURED) await q.query(`DROP TRIGGER IF EXISTS ${table}_ledger ON ${table}`);
    for (const table of ['ledger_finding', 'ledger_checkpoint', 'ledger_outbox', 'ledger_node', 'ledger_leaf']) await q.query(`DROP TABLE IF EXISTS ${table}`);
    await q.query(`DROP FUNCTION IF EXISTS ledger_refuse_change()`);
    await q.query(`DROP FUNCTION IF EXISTS ledger_capture()`);
    await q.query(`DROP FUNCTION IF EXISTS ledger_row(jsonb)`);
  }
}
