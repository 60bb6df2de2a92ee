import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dossier` grows with every province's dossiers (about 20 million a year nationally): it becomes a table
 * partitioned by province (LIST on province_code, part of its primary key, so upserts by (province, dossier id)
 * stay as they are), one partition per province unit in force since 2025-07-01 and a default partition for any
 * other code (e.g. a former unit). A province's backfill writes, vacuums and indexes only its own partition;
 * partitions can be detached, archived or reindexed one province at a time.
 *
 * Codes as in config/units/provinces-2025.csv (the 34 units of Resolution 202/2025/QH15).
 */
const PROVINCES = ['01', '04', '08', '11', '12', '14', '15', '19', '20', '22', '24', '25', '31', '33', '37', '38', '40', '42', '44', '46', '48', '51', '52', '56', '66', '68', '75', '79', '80', '82', '86', '91', '92', '96'];

export class DossierPartitions1766300000001 implements MigrationInterface {
  name = 'DossierPartitions1766300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier RENAME TO dossier_unpartitioned`);
    await q.query(`ALTER INDEX dossier_pkey RENAME TO dossier_unpartitioned_pkey`);
    await q.query(`ALTER INDEX dossier_partition_idx RENAME TO dossier_unpartitioned_partition_idx`);
    await q.query(`CREATE TABLE dossier (LIKE dossier_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST (province_code)`);
    await q.query(`ALTER TABLE dossier ADD CONSTRAINT dossier_pkey PRIMARY KEY (province_code, dossier_id)`);
    await q.query(`CREATE INDEX dossier_partition_idx ON dossier (province_code, received_at)`);
    for (const code of PROVINCES) {
      await q.query(`CREATE TABLE dossier_p${code} PARTITION OF dossier FOR VALUES IN ('${code}')`);
    }
    await q.query(`CREATE TABLE dossier_other PARTITION OF dossier DEFAULT`);
    await q.query(`INSERT INTO dossier SELECT * FROM dossier_unpartitioned`);
    await q.query(`DROP TABLE dossier_unpartitioned`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dossier_flat (LIKE dossier INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await q.query(`INSERT INTO dossier_flat SELECT * FROM dossier`);
    await q.query(`DROP TABLE dossier`);
    await q.query(`ALTER TABLE dossier_flat RENAME TO dossier`);
    await q.query(`ALTER TABLE dossier ADD CONSTRAINT dossier_pkey PRIMARY KEY (province_code, dossier_id)`);
    await q.query(`CREATE INDEX dossier_partition_idx ON dossier (province_code, received_at)`);
  }
}
