/**
 * Re-processing archived answers, no HTTP: the dossier answers in raw_payload are read back, parsed and upserted
 * into an emptied `dossier` table with the pipeline's own parser and writer, one transaction per answer, two
 * streams (as a worker with concurrency 2 would). What a replay after a mapping fix costs.
 */
import { Pool } from 'pg';
import { parseDossier } from '../../src/connectors/one-stop-shop/dossier.parser';
import { NormalisedDossier } from '../../src/connectors/one-stop-shop/dossier.model';
import { upsertDossiers } from '../../src/connectors/one-stop-shop/dossier.writer';
import { withTransaction } from '../../src/platform/database/database.module';

export async function replayArchivedAnswers(pool: Pool, streams = 2): Promise<{ rows: number; seconds: number; rowsPerSecond: number; payloads: number }> {
  const { rows: answers } = await pool.query(
    `SELECT DISTINCT ON (f.digest) f.digest, c.province_code, f.connector_id, f.run_id
       FROM raw_fetch f JOIN connector c ON c.id = f.connector_id
      WHERE f.url LIKE '%/hoso%' AND f.status = 200 ORDER BY f.digest`,
  );
  await pool.query('TRUNCATE dossier');
  let rows = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const stream = async () => {
    while (next < answers.length) {
      const a = answers[next++];
      const { rows: found } = await pool.query('SELECT body FROM raw_payload WHERE digest = $1', [a.digest]);
      const list = JSON.parse(found[0].body.toString('utf8'))?.data?.danhSach;
      if (!Array.isArray(list)) continue;
      const valid: NormalisedDossier[] = [];
      const positions: number[] = [];
      list.forEach((raw: unknown, position: number) => {
        const parsed = parseDossier(raw, a.province_code);
        if (parsed.ok) {
          valid.push(parsed.dossier);
          positions.push(position);
        }
      });
      await withTransaction(pool, (db) => upsertDossiers(db, a.province_code, valid, positions, { connectorId: a.connector_id, runId: a.run_id, rawDigest: a.digest }));
      rows += valid.length;
    }
  };
  await Promise.all(Array.from({ length: streams }, stream));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows, seconds: Math.round(seconds * 100) / 100, rowsPerSecond: Math.round(rows / seconds), payloads: answers.length };
}
