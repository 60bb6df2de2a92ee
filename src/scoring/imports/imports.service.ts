import { AccessScope } from '../../platform/auth/access-policy';
import { BadRequestException, Injectable, ForbiddenException } from '@nestjs/common';
import { Pool } from 'pg';
import { InjectPool, withTransaction } from '../../platform/database/database.module';
import { storeUploadedPayload } from '../../raw-archive/raw-archive.service';
import { UnitsCatalogue } from '../../units/units.loader';
import { ScoringQueue } from '../scoring.queue';
import { checkImportRows } from './import-rows';

/**
 * Imported values (SIPAS and other survey results): validated as a whole, stored with the uploaded bytes (in the
 * raw archive, by digest), versioned per province, year and key, and fed to scoring as `imported.<key>`.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly units: UnitsCatalogue,
    private readonly scoring: ScoringQueue,
  ) {}

  async upload(scope: AccessScope, input: { source: string; fileName: string | null; contentType: string; bytes: Buffer; rows: Array<Record<string, unknown>> }) {
    const { rows, errors } = checkImportRows(input.rows, (code) => this.units.isCurrentProvince(code));
    if (errors.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: errors });
    // an officer imports values of the own province only: one row of another province refuses the whole upload
    const foreign = rows.map((r, index) => ({ index, code: String(r.provinceCode) })).filter((r) => !scope.canReadProvince(r.code));
    if (foreign.length > 0) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: foreign.slice(0, 20).map((r) => `values.${r.index}.provinceCode: ${r.code} is outside your province ${scope.province}`),
      });
    }
    const result = await withTransaction(this.pool, async (db) => {
      const digest = await storeUploadedPayload(db, input.bytes, input.contentType);
      const { rows: upload } = await db.query(
        `INSERT INTO import_upload (source, file_name, content_type, raw_digest, rows) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
        [input.source, input.fileName, input.contentType, digest, rows.length],
      );
      const uploadId = Number(upload[0].id);
      await db.query(
        `INSERT INTO imported_value (upload_id, province_code, year, import_key, value, max_value, row_number, version)
         SELECT $1, x.p, x.y, x.k, x.v, x.m, x.n,
                coalesce((SELECT max(version) FROM imported_value i WHERE i.province_code = x.p AND i.year = x.y AND i.import_key = x.k), 0) + 1
           FROM unnest($2::text[], $3::int[], $4::text[], $5::numeric[], $6::numeric[], $7::int[]) AS x(p, y, k, v, m, n)`,
        [uploadId, rows.map((r) => r.provinceCode), rows.map((r) => r.year), rows.map((r) => r.key), rows.map((r) => r.value), rows.map((r) => r.max), rows.map((_, i) => i + 1)],
      );
      const pairs = [...new Set(rows.map((r) => `${r.provinceCode}|${r.year}`))].map((k) => k.split('|'));
      await db.query(
        `INSERT INTO scoring_outbox (province_code, year) SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (province_code, year) DO UPDATE SET seq = nextval('outbox_seq'), marked_at = now()`,
        [pairs.map((p) => p[0]), pairs.map((p) => Number(p[1]))],
      );
      return { uploadId, digest, createdAt: upload[0].created_at as Date, pairs };
    });
    for (const [province, year] of result.pairs) await this.scoring.requestScoring(province, Number(year));
    return { uploadId: result.uploadId, rawDigest: result.digest, rows: rows.length, createdAt: result.createdAt };
  }

  async list(scope: AccessScope, provinceCode: string, year: number) {
    scope.assertProvince(provinceCode);
    const params: unknown[] = [provinceCode, year];
    const { rows } = await this.pool.query(
      `SELECT DISTINCT ON (i.import_key) i.*, u.source, u.file_name, u.raw_digest FROM imported_value i JOIN import_upload u ON u.id = i.upload_id
        WHERE i.province_code = $1 AND i.year = $2 AND ${scope.provinceCondition('i.province_code', params)}
        ORDER BY i.import_key, i.version DESC`,
      params,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      key: r.import_key,
      value: Number(r.value),
      max: Number(r.max_value),
      version: r.version,
      upload: { id: Number(r.upload_id), source: r.source, fileName: r.file_name, rawDigest: r.raw_digest, row: r.row_number },
    }));
  }
}
