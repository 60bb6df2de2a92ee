import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents provinces attach to manual sub-criteria: the bytes in the raw archive (by digest), one row per
 * attachment, versioned per province, year, catalogue version and sub-criterion. Append-only.
 */
export class ManualEvidence1765100000000 implements MigrationInterface {
  name = 'ManualEvidence1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE manual_evidence (
        id bigserial PRIMARY KEY,
        province_code char(2) NOT NULL,
        year int NOT NULL,
        catalogue_version text NOT NULL,
        sub_criterion text NOT NULL,
        title text NOT NULL,
        document_kind text,
        raw_digest char(64) NOT NULL REFERENCES raw_payload(digest),
        file_name text,
        content_type text NOT NULL,
        size int NOT NULL CHECK (size >= 0),
        attached_by text NOT NULL,
        attached_by_role text NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (province_code, year, catalogue_version, sub_criterion, version)
      )`);
    // the raw archive asks "is this payload a document of province n?" (see payloadInScope)
    await q.query(`CREATE INDEX manual_evidence_digest_idx ON manual_evidence (raw_digest, province_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE manual_evidence`);
  }
}
