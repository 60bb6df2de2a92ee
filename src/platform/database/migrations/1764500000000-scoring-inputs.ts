import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scoring inputs beyond evidence: imported values (SIPAS, survey results) with lineage to their upload, and
 * the digest of each scoring catalogue version last scored, so that a changed catalogue is rescored.
 */
export class ScoringInputs1764500000000 implements MigrationInterface {
  name = 'ScoringInputs1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_upload (
        id bigserial PRIMARY KEY,
        source text NOT NULL,
        file_name text,
        content_type text NOT NULL,
        raw_digest char(64) NOT NULL REFERENCES raw_payload(digest),
        rows int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE imported_value (
        id bigserial PRIMARY KEY,
        upload_id bigint NOT NULL REFERENCES import_upload(id),
        province_code char(2) NOT NULL,
        year int NOT NULL,
        import_key text NOT NULL,
        value numeric NOT NULL,
        max_value numeric NOT NULL,
        row_number int NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (province_code, year, import_key, version)
      )`);
    await q.query(`ALTER TABLE score ADD COLUMN imported_ids bigint[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE catalogue_state (
        catalogue_key text PRIMARY KEY,
        digest char(64) NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE catalogue_state`);
    await q.query(`ALTER TABLE score DROP COLUMN imported_ids`);
    await q.query(`DROP TABLE imported_value`);
    await q.query(`DROP TABLE import_upload`);
  }
}
