import { PoolClient } from 'pg';
import { Readable } from 'node:stream';
import { Provenance, QuarantineEntry, insertQuarantine, resolveReleased } from '../quarantine/quarantine.writer';
import { HeaderDictionary, openBcciReport } from './bcci-report.parser';
import { ParsedRow } from './bcci-report.types';
import { readingRows } from './file-rejection';
import { insertWaybills, markMonthStale } from './waybill.writer';

/** A bad row of a report as a quarantine entry: keyed by its waybill id, its mapped cells as content. */
export function badRowEntry(row: Extract<ParsedRow, { ok: false }>): QuarantineEntry {
  return {
    entity: 'waybill',
    position: row.rowNumber,
    sheet: row.sheet || null,
    recordKey: row.raw.waybillId || null,
    record: row.raw,
    reason: row.reason,
    field: row.field,
    detail: row.detail,
  };
}

/** A loaded file version some of whose quarantined rows were released for a new reading. */
export interface ReloadTarget {
  fileId: number;
  provinceCode: string;
  monthKey: string;
  version: number;
  fileName: string;
  digest: string;
}

/**
 * Reads the released rows of a loaded file again, through the normal path (the current header dictionary and
 * value readers): a row that is good now becomes a waybill of that version and its quarantine record is
 * `resolved`; one still bad is quarantined again (its record `open`, seen once more). The month's evidence is
 * marked stale when rows were added. Returns the counts for the run.
 */
export async function reloadReleasedRows(
  db: PoolClient,
  target: ReloadTarget,
  bytes: Buffer,
  dictionary: HeaderDictionary,
  provenance: Provenance,
): Promise<{ fetched: number; normalised: number; quarantined: number }> {
  const { rows: released } = await db.query(
    `SELECT raw_position, coalesce(sheet, '') AS sheet FROM quarantine_record
      WHERE connector_id = $1 AND raw_digest = $2 AND status = 'released' AND entity = 'waybill'`,
    [provenance.connectorId, target.digest],
  );
  const wanted = new Set(released.map((r) => `${r.sheet}|${r.raw_position}`));
  let fetched = 0;
  let normalised = 0;
  const quarantine: QuarantineEntry[] = [];
  if (wanted.size > 0) {
    const report = openBcciReport(Readable.from([bytes]), { fileName: target.fileName, dictionary });
    const good = [];
    for await (const row of readingRows(report.rows)) {
      if (!wanted.has(`${row.sheet}|${row.rowNumber}`)) continue;
      fetched++;
      if (row.ok) good.push({ rowNumber: row.rowNumber, sheet: row.sheet, waybill: row.waybill });
      else quarantine.push(badRowEntry(row));
    }
    const duplicates = new Set((await insertWaybills(db, target.provinceCode, target.monthKey, target.version, target.fileId, good)).map((d) => d.rowNumber));
    const used = good.filter((g) => !duplicates.has(g.rowNumber));
    for (const d of good.filter((g) => duplicates.has(g.rowNumber))) {
      quarantine.push({
        entity: 'waybill',
        position: d.rowNumber,
        sheet: d.sheet,
        recordKey: d.waybill.waybillId,
        record: d.waybill,
        reason: 'DUPLICATE_ID',
        field: 'waybillId',
        detail: `waybill ${d.waybill.waybillId} (${d.waybill.direction}) is already in this file version`,
      });
    }
    normalised = used.length;
    await resolveReleased(db, provenance.connectorId, 'waybill', used.map((g) => g.waybill.waybillId), provenance.runId);
    await insertQuarantine(db, target.provinceCode, quarantine, provenance);
  }
  await db.query(`UPDATE report_file SET reload_requested_at = NULL, good_rows = good_rows + $2, bad_rows = bad_rows - $2 WHERE id = $1`, [target.fileId, normalised]);
  if (normalised > 0) await markMonthStale(db, target.provinceCode, target.monthKey);
  return { fetched, normalised, quarantined: quarantine.length };
}
