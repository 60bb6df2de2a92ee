import { Readable } from 'node:stream';
import { PoolClient } from 'pg';
import { HeaderDictionary } from './bcci-header-dictionary';
import { BcciReportFormatError, openBcciReport } from './bcci-report.parser';
import { WaybillRow, insertWaybills } from './waybill.writer';

export interface LoadedReportFile {
  id: number;
  monthKey: string;
  version: number;
  fileName: string;
}

/**
 * Replays one loaded BCCI report file from its archived bytes through the connector's parser and waybill
 * writer (rows as a run wrote them; quarantine is not repeated). Returns the rows written, or null when the
 * bytes no longer parse. The caller decides where the rows go: recompute runs it on temporary tables.
 */
export async function replayBcciReportFile(db: PoolClient, provinceCode: string, file: LoadedReportFile, body: Buffer, dictionary: HeaderDictionary, batchRows = 1000): Promise<number | null> {
  const report = openBcciReport(Readable.from([body]), { fileName: file.fileName, dictionary });
  let batch: WaybillRow[] = [];
  let written = 0;
  const flush = async () => {
    written += batch.length - (await insertWaybills(db, provinceCode, file.monthKey, file.version, file.id, batch)).length;
    batch = [];
  };
  try {
    for await (const row of report.rows) {
      if (row.ok) batch.push({ rowNumber: row.rowNumber, sheet: row.sheet, waybill: row.waybill });
      if (batch.length >= batchRows) await flush();
    }
    await flush();
  } catch (error) {
    if (error instanceof BcciReportFormatError) return null;
    throw error;
  }
  return written;
}
