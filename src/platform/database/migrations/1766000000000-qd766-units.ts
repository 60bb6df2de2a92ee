import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision 766 per unit and period (issue 10).
 *
 * - dvcqg_subject: the province's units as versioned subjects, keyed by the portal's departmentId (the same in all
 *   six endpoints): code and level from tree answers, type / level / agency level from metric answers, names as
 *   published by each kind of answer. A change is a new version (valid_from / valid_to); nothing is deleted, so a
 *   unit that disappears or is renamed keeps its history. `seen_until` is the end of the newest period it was seen in.
 * - dvcqg_answer_version: each complete answer (all its pages) of a (province, period, endpoint, scope) as a
 *   version: its content digest, status (provisional while the period runs, final after it closed), the runs and
 *   raw payloads behind it and a snapshot of its metrics and units. A closed period whose figures change is a new
 *   version with `revises_final`; both versions stay.
 * - qd766_unit_score: the latest Decision 766 score of every unit (and the province) per catalogue, period and
 *   scope: official and recomputed per item and group, totals, rank, flags, status; `version` goes up when the
 *   content changes.
 * - qd766_finding: official versus recomputed differences beyond 0.015 points (and official 0 against no data, or
 *   the reverse), keyed by catalogue, period, scope, unit and metric, with inputs and rule version.
 * - qd766_scoring_state: per province, catalogue, period and scope, the newest answer fetch and the catalogue
 *   digest that were scored: only periods whose answers (or catalogue) changed since are scored again.
 */
export class Qd766Units1766000000000 implements MigrationInterface {
  name = 'Qd766Units1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dvcqg_subject (
        province_code char(2) NOT NULL,
        department_id text NOT NULL,
        version int NOT NULL,
        is_root boolean NOT NULL,
        department_code text,
        level text,
        department_type text,
        department_level text,
        agency_level text,
        tree_name text,
        metric_name text,
        valid_from timestamptz NOT NULL DEFAULT now(),
        valid_to timestamptz,
        seen_until timestamptz NOT NULL,
        first_period text NOT NULL,
        last_period text NOT NULL,
        run_id uuid REFERENCES connector_run(id),
        PRIMARY KEY (province_code, department_id, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX dvcqg_subject_current_idx ON dvcqg_subject (province_code, department_id) WHERE valid_to IS NULL`);
    await q.query(`
      CREATE TABLE dvcqg_answer_version (
        province_code char(2) NOT NULL,
        period_key text NOT NULL,
        period_kind text NOT NULL,
        endpoint text NOT NULL,
        formality_id text NOT NULL DEFAULT '',
        version int NOT NULL,
        status text NOT NULL CHECK (status IN ('provisional', 'final')),
        content_digest char(32) NOT NULL,
        revises_final boolean NOT NULL DEFAULT false,
        run_id uuid NOT NULL REFERENCES connector_run(id),
        raw_digests text[] NOT NULL,
        snapshot jsonb NOT NULL,
        fetched_at timestamptz NOT NULL DEFAULT now(),
        finalised_at timestamptz,
        PRIMARY KEY (province_code, period_key, endpoint, formality_id, version)
      )`);
    await q.query(`
      CREATE TABLE qd766_unit_score (
        province_code char(2) NOT NULL,
        catalogue_version text NOT NULL,
        period_key text NOT NULL,
        period_kind text NOT NULL,
        year int NOT NULL,
        formality_id text NOT NULL DEFAULT '',
        department_id text NOT NULL,
        is_root boolean NOT NULL,
        level text NOT NULL,
        department_code text,
        department_name text,
        department_type text,
        agency_level text,
        official_total numeric,
        recomputed_total numeric,
        rank_official int,
        rank_recomputed int,
        status text NOT NULL CHECK (status IN ('provisional', 'final')),
        flags jsonb NOT NULL,
        groups jsonb NOT NULL,
        items jsonb NOT NULL,
        catalogue_digest text NOT NULL,
        content_digest char(32) NOT NULL,
        version int NOT NULL DEFAULT 1,
        scored_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, catalogue_version, period_key, formality_id, department_id)
      )`);
    await q.query(`CREATE INDEX qd766_unit_score_board_idx ON qd766_unit_score (catalogue_version, period_key, formality_id, is_root)`);
    await q.query(`
      CREATE TABLE qd766_finding (
        province_code char(2) NOT NULL,
        catalogue_version text NOT NULL,
        period_key text NOT NULL,
        formality_id text NOT NULL DEFAULT '',
        department_id text NOT NULL,
        metric text NOT NULL,
        kind text NOT NULL,
        official numeric,
        recomputed numeric,
        difference numeric,
        inputs jsonb NOT NULL,
        flags jsonb NOT NULL,
        rule_digest text,
        detected_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, catalogue_version, period_key, formality_id, department_id, metric)
      )`);
    await q.query(`
      CREATE TABLE qd766_scoring_state (
        province_code char(2) NOT NULL,
        catalogue_version text NOT NULL,
        period_key text NOT NULL,
        formality_id text NOT NULL DEFAULT '',
        answers_fetched_at timestamptz NOT NULL,
        catalogue_digest text NOT NULL,
        running boolean NOT NULL,
        scored_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, catalogue_version, period_key, formality_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE qd766_scoring_state`);
    await q.query(`DROP TABLE qd766_finding`);
    await q.query(`DROP TABLE qd766_unit_score`);
    await q.query(`DROP TABLE dvcqg_answer_version`);
    await q.query(`DROP TABLE dvcqg_subject`);
  }
}
