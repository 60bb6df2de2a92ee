import { MigrationInterface, QueryRunner } from 'typeorm';

/** How a sector figure rolls up into quarters and years, as its source declares it (null: by kind). */
export class SectorAggregation1766400000000 implements MigrationInterface {
  name = 'SectorAggregation1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sector_statistic ADD COLUMN aggregation text CHECK (aggregation IN ('sum', 'weightedMean', 'last'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sector_statistic DROP COLUMN aggregation`);
  }
}
