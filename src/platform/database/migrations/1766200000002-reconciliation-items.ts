import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation findings keep their lists, not only counts: unmatched waybills and dossiers and fallback matches,
 * each with both sides' ids and dates and the reason (served paged). Earlier findings have empty lists until
 * their month is reconciled again.
 */
export class ReconciliationItems1766200000002 implements MigrationInterface {
  name = 'ReconciliationItems1766200000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciliation_finding ADD COLUMN items jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciliation_finding DROP COLUMN items`);
  }
}
