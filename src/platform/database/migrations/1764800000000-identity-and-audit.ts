import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, their bearer tokens, API keys for machine clients (all secrets stored hashed) and the audit trail. */
export class IdentityAndAudit1764800000000 implements MigrationInterface {
  name = 'IdentityAndAudit1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const role = `text NOT NULL CHECK (role IN ('admin', 'operator', 'officer', 'auditor'))`;
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role ${role},
        province_code char(2),
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_officer_province CHECK ((role = 'officer') = (province_code IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE auth_token (
        token_hash bytea PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX auth_token_user_idx ON auth_token (user_id)`);
    await q.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash bytea NOT NULL UNIQUE,
        role ${role},
        province_code char(2),
        created_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT api_key_officer_province CHECK ((role = 'officer') = (province_code IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_kind text,
        actor_id text,
        actor_name text,
        role text,
        province_code char(2),
        action text NOT NULL,
        method text,
        path text,
        target text,
        outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'denied')),
        status int,
        detail jsonb,
        client_ip text,
        request_id text
      )`);
    await q.query(`CREATE INDEX audit_event_at_idx ON audit_event (at DESC)`);
    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, at DESC)`);
    // append-only: rows can be added, never changed or removed
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_append_only()`);
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE auth_token`);
    await q.query(`DROP TABLE app_user`);
  }
}
