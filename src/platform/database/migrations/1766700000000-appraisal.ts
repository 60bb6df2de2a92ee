import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Self-assessment and appraisal: the ministry's `appraiser` role; the appraisal case of each province, year
 * and catalogue version with its append-only history (each approval keeps the evidence set it saw and its
 * digest); reviews of attached manual documents (append-only, the latest counts); withdrawal of a document
 * by its province.
 */
export class Appraisal1766700000000 implements MigrationInterface {
  name = 'Appraisal1766700000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['app_user', 'api_key']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_role_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_role_check CHECK (role IN ('admin', 'operator', 'officer', 'auditor', 'appraiser'))`);
    }
    await q.query(`
      CREATE TABLE appraisal_case (
        province_code char(2) NOT NULL,
        year int NOT NULL,
        catalogue_version text NOT NULL,
        state text NOT NULL CHECK (state IN ('self_assessment', 'submitted', 'in_appraisal', 'approved', 'returned')),
        revision int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, year, catalogue_version)
      )`);
    await q.query(`
      CREATE TABLE appraisal_event (
        id bigserial PRIMARY KEY,
        province_code char(2) NOT NULL,
        year int NOT NULL,
        catalogue_version text NOT NULL,
        action text NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        reasons text[] NOT NULL DEFAULT '{}',
        note text,
        actor text NOT NULL,
        actor_role text NOT NULL,
        evidence_set_digest char(64),
        evidence_set jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX appraisal_event_case_idx ON appraisal_event (province_code, year, catalogue_version, id DESC)`);
    await q.query(`
      CREATE TABLE manual_evidence_review (
        id bigserial PRIMARY KEY,
        manual_evidence_id bigint NOT NULL REFERENCES manual_evidence(id),
        decision text NOT NULL CHECK (decision IN ('accepted', 'rejected')),
        points numeric CHECK (points IS NULL OR points >= 0),
        reason text,
        reviewer text NOT NULL,
        reviewer_role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((decision = 'accepted') = (points IS NOT NULL)),
        CHECK (decision = 'accepted' OR reason IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX manual_evidence_review_idx ON manual_evidence_review (manual_evidence_id, id DESC)`);
    await q.query(`ALTER TABLE manual_evidence ADD COLUMN withdrawn_at timestamptz, ADD COLUMN withdrawn_by text, ADD COLUMN withdrawal_reason text`);
    // history is append-only: decisions and reviews can be added, never changed or removed
    await q.query(`
      CREATE FUNCTION appraisal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
      END $$`);
    for (const table of ['appraisal_event', 'manual_evidence_review']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION appraisal_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE manual_evidence_review`);
    await q.query(`DROP TABLE appraisal_event`);
    await q.query(`DROP TABLE appraisal_case`);
    await q.query(`DROP FUNCTION appraisal_append_only()`);
    await q.query(`ALTER TABLE manual_evidence DROP COLUMN withdrawn_at, DROP COLUMN withdrawn_by, DROP COLUMN withdrawal_reason`);
    for (const table of ['app_user', 'api_key']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_role_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_role_check CHECK (role IN ('admin', 'operator', 'officer', 'auditor'))`);
    }
  }
}
