import { fieldPaths } from '../../platform/privacy/personal-fields';
import { ArchiveLimitError, REPORT_ZIP_LIMITS, inspectZip, looksLikeZip } from '../../platform/uploads/zip-limits';
import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { POSTAL_SOURCE } from '../../evidence/sources/postal.evidence';
import { PermanentSourceError } from '../connector-errors';
import { ConnectorInstance, ConnectorKind, OptionsCheck, RunContext } from '../connector-kind';
import { SourceHttp, SourceResponse, parseJsonBody } from '../http/source-http';
import { RunInterrupted } from '../one-stop-shop/one-stop-shop.connector';
import { QuarantineEntry, insertQuarantine, resolveReleased } from '../quarantine/quarantine.writer';
import { HeaderDictionary, loadHeaderDictionary } from './bcci-header-dictionary';
import { openBcciReport } from './bcci-report.parser';
import { FileRejected, readingRows } from './file-rejection';
import { BcciFileEntry, BcciListing } from './bcci-report.types';
import { readVnpostBcciOptions } from './vnpost-bcci.options';
import { reportMonths } from './report-months';
import { badRowEntry, reloadReleasedRows } from './bcci-reload';
import { SettledVersion, WaybillRow, completeReportFile, insertWaybills, recordReportFile, settledVersions } from './waybill.writer';

const LISTING_PATH = '/bcci/v1/baocao';

interface BcciCursor {
  months: string[];
  index: number;
}

/**
 * The VNPost BCCI report kind: a report-file source. For each report month of the run it lists the province's
 * files, downloads the versions not loaded yet (the bytes must hash to the listed SHA-256; a mismatch records
 * the file as failed with the reason and keeps the bytes), streams each file through the parser into one row
 * per waybill and direction, quarantines bad rows with sheet and row number, and makes the newest version of
 * the month current. Each file is one checkpoint: its rows, its record and the month's state commit together.
 * A file that cannot be read (truncated, password-protected, unknown layout, a required column missing,
 * refused by the archive limits) is recorded as rejected with the reason — its bytes archived beforehand, in
 * their own transaction — and the run goes on with the other files, ending with a warning in its step log.
 */
@Injectable()
export class VnpostBcciConnector implements ConnectorKind {
  readonly kind = 'vnpost-bcci';
  readonly sourceKind = POSTAL_SOURCE;
  private dictionary: HeaderDictionary | null = null;

  validate(instance: { options: Record<string, unknown>; credentials: Record<string, string> }): OptionsCheck {
    const { errors } = readVnpostBcciOptions(instance.options);
    if (typeof instance.credentials.apiKey !== 'string' || instance.credentials.apiKey === '') {
      errors.push('credentials.apiKey is required for a vnpost-bcci connector');
    }
    return { errors };
  }

  async execute(ctx: RunContext): Promise<void> {
    const { options } = readVnpostBcciOptions(ctx.connector.options);
    this.dictionary ??= loadHeaderDictionary();
    const http = this.client(ctx.connector, ctx.http, (r) =>
      ctx.archive.archive(r.body, { connectorId: ctx.connector.id, runId: ctx.run.id, method: 'GET', url: r.url, status: r.status, durationMs: r.durationMs, contentType: r.contentType }),
    );
    let cursor = (ctx.run.cursor as BcciCursor | null) ?? { months: reportMonths(ctx.run.windowFrom, ctx.run.windowTo, options.lookbackMonths), index: 0 };
    while (cursor.index < cursor.months.length) {
      const month = cursor.months[cursor.index];
      await this.syncMonth(ctx, http, month, options.batchRows);
      const next: BcciCursor = { months: cursor.months, index: cursor.index + 1 };
      await ctx.commit(async () => ({ cursor: next, counts: {} }));
      cursor = next;
      if (cursor.index < cursor.months.length && ctx.stopping()) throw new RunInterrupted();
    }
  }

  /**
   * The "test call": the listing of the last closed month (no file is downloaded); the answer is summarised
   * (how many files and versions, the listing's field names), nothing is stored or archived.
   */
  async preview(instance: ConnectorInstance, http: RunContext['http']) {
    const now = new Date();
    // [last month, this month]: the last closed month is the first
    const month = reportMonths(now, now, 1)[0];
    const client = this.client(instance, http, async () => 'not archived (test call)');
    const response = await client.get(LISTING_PATH, { maTinh: instance.provinceCode, thang: month });
    const listing = parseJsonBody<BcciListing>(response.body, `${LISTING_PATH}?maTinh=${instance.provinceCode}&thang=${month}`);
    if (!listing || !Array.isArray(listing.tep)) throw new PermanentSourceError('UNEXPECTED_RESPONSE', `listing of ${instance.provinceCode} ${month} has no "tep" list`);
    return {
      month,
      files: listing.tep.length,
      versions: [...new Set(listing.tep.map((e) => e?.phienBan).filter((v) => Number.isInteger(v)))].length,
      bytes: listing.tep.reduce((sum, e) => sum + (Number.isFinite(e?.kichThuoc) ? e.kichThuoc : 0), 0),
      fields: fieldPaths(listing.tep),
    };
  }

  private client(instance: Pick<ConnectorInstance, 'baseUrl' | 'credentials'>, http: RunContext['http'], onResponse: ConstructorParameters<typeof SourceHttp>[0]['onResponse']): SourceHttp {
    return new SourceHttp({ baseUrl: instance.baseUrl, headers: { 'X-API-Key': instance.credentials.apiKey, Accept: 'application/json' }, ...http, onResponse });
  }

  private async syncMonth(ctx: RunContext, http: SourceHttp, month: string, batchRows: number): Promise<void> {
    const province = ctx.connector.provinceCode;
    const listingResponse = await http.get(LISTING_PATH, { maTinh: province, thang: month });
    const listing = parseJsonBody<BcciListing>(listingResponse.body, `${LISTING_PATH}?maTinh=${province}&thang=${month}`);
    if (!listing || !Array.isArray(listing.tep)) {
      throw new PermanentSourceError('UNEXPECTED_RESPONSE', `listing of ${province} ${month} has no "tep" list`);
    }
    const entries = [...listing.tep].filter((e) => Number.isInteger(e?.phienBan)).sort((a, b) => a.phienBan - b.phienBan);
    let done: Map<number, SettledVersion> = new Map();
    await ctx.commit(async (db) => {
      done = await settledVersions(db, province, month);
      return { cursor: undefined, counts: {} };
    });
    for (const entry of entries) {
      const settled = done.get(entry.phienBan);
      if (settled?.reload) {
        await this.reloadRows(ctx, http, month, entry, settled.reload);
        continue;
      }
      // loaded, or rejected for these very bytes (a corrected file comes as a new version, or with a new digest)
      if (settled && (settled.status === 'loaded' || settled.listedSha256 === String(entry.sha256 ?? '').toLowerCase())) continue;
      this.checkSameOrigin(ctx.connector.baseUrl, entry.url);
      const file = await http.get(entry.url);
      await this.loadFile(ctx, month, entry, file, batchRows);
    }
  }

  /** Released quarantined rows of a loaded file: the file is downloaded again and those rows read again. */
  private async reloadRows(ctx: RunContext, http: SourceHttp, month: string, entry: BcciFileEntry, target: { fileId: number; fileName: string; digest: string }): Promise<void> {
    this.checkSameOrigin(ctx.connector.baseUrl, entry.url);
    const file = await http.get(entry.url);
    await ctx.commit(async () => ({ cursor: undefined, counts: { pages: 1 } })); // the bytes archived first
    if (file.digest !== target.digest) {
      ctx.step({ kind: 'warning', message: `${target.fileName} (${month}, version ${entry.phienBan}): the bytes changed since it was loaded; released rows not read again`, detail: { month, version: entry.phienBan } });
      return;
    }
    const provinceCode = ctx.connector.provinceCode;
    const provenance = { connectorId: ctx.connector.id, runId: ctx.run.id, rawDigest: file.digest };
    const where = { month, version: entry.phienBan };
    try {
      await ctx.commit(async (db) => {
        const counts = await reloadReleasedRows(db, { ...target, provinceCode, monthKey: month, version: entry.phienBan }, file.body, this.dictionary!, provenance);
        const message = `${counts.fetched} released row(s) read again: ${counts.normalised} loaded, ${counts.quarantined} still unusable`;
        ctx.step({ kind: 'file', message: `${target.fileName} (${month}, version ${entry.phienBan}): ${message}`, detail: { ...where, ...counts } });
        return { cursor: undefined, counts };
      });
    } catch (error) {
      if (!(error instanceof FileRejected)) throw error;
      ctx.step({ kind: 'warning', message: `${target.fileName} (${month}, version ${entry.phienBan}): released rows not read again: ${error.message}`, detail: where });
    }
  }

  private async loadFile(ctx: RunContext, month: string, entry: BcciFileEntry, file: SourceResponse, batchRows: number): Promise<void> {
    const province = ctx.connector.provinceCode;
    const base = {
      connectorId: ctx.connector.id,
      runId: ctx.run.id,
      provinceCode: province,
      monthKey: month,
      version: entry.phienBan,
      fileName: String(entry.tenTep ?? ''),
      url: entry.url,
      listedSha256: String(entry.sha256 ?? '').toLowerCase(),
      listedSize: Number.isFinite(entry.kichThuoc) ? entry.kichThuoc : null,
      digest: file.digest,
    };
    const where = { month, version: entry.phienBan, file: base.fileName, digest: file.digest };
    // The file's bytes are archived durably on their own, before anything is derived from them: a file that
    // turns out unreadable rolls back its load, never its bytes.
    await ctx.commit(async () => ({ cursor: undefined, counts: { pages: 1 } }));
    const keep = (status: 'digest_mismatch' | 'rejected', error: string) =>
      ctx.commit(async (db) => {
        await recordReportFile(db, { ...base, status, error, sheets: null });
        ctx.logger.warn({ month, version: entry.phienBan, status }, error);
        ctx.step({ kind: 'warning', message: `${base.fileName} (${month}, version ${entry.phienBan}) ${status === 'rejected' ? 'rejected' : 'not loaded'}: ${error}`, detail: { ...where, status } });
        return { cursor: undefined, counts: {} };
      });

    if (base.listedSha256 !== file.digest) {
      await keep('digest_mismatch', `bytes received hash to ${file.digest}, the listing announced ${base.listedSha256 || '(none)'}; file kept in the raw archive, not loaded`);
      return;
    }
    try {
      // workbooks are ZIP archives: refused by the archive limits before the parser opens them (ArchiveLimitError)
      if (looksLikeZip(file.body)) await inspectZip(file.body, REPORT_ZIP_LIMITS, `report file ${base.fileName || file.digest}`);
      await ctx.commit(async (db) => {
        const fileId = await recordReportFile(db, { ...base, status: 'loaded', error: null, sheets: null });
        if (fileId === null) return { cursor: undefined, counts: {} }; // loaded meanwhile by another run
        const report = this.openReport(file.body, base.fileName || `${month}-v${entry.phienBan}`);
        const provenance = { connectorId: ctx.connector.id, runId: ctx.run.id, rawDigest: file.digest };
        let batch: WaybillRow[] = [];
        let quarantine: QuarantineEntry[] = [];
        let fetched = 0;
        let normalised = 0;
        let quarantined = 0;
        const flush = async () => {
          const duplicates = await insertWaybills(db, province, month, entry.phienBan, fileId, batch);
          normalised += batch.length - duplicates.length;
          const dup = new Set(duplicates.map((d) => d.rowNumber));
          await resolveReleased(db, ctx.connector.id, 'waybill', batch.filter((b) => !dup.has(b.rowNumber)).map((b) => b.waybill.waybillId), ctx.run.id);
          for (const d of duplicates) {
            quarantine.push({
              entity: 'waybill',
              position: d.rowNumber,
              sheet: d.sheet,
              recordKey: d.waybill.waybillId,
              record: d.waybill,
              reason: 'DUPLICATE_ID',
              field: 'waybillId',
              detail: `waybill ${d.waybill.waybillId} (${d.waybill.direction}) appears more than once in the file; the first row is kept`,
            });
          }
          quarantined += quarantine.length;
          await insertQuarantine(db, province, quarantine, provenance);
          batch = [];
          quarantine = [];
        };
        for await (const row of readingRows(report.rows)) {
          fetched++;
          if (row.ok) batch.push({ rowNumber: row.rowNumber, sheet: row.sheet, waybill: row.waybill });
          else quarantine.push(badRowEntry(row));
          if (batch.length >= batchRows || quarantine.length >= batchRows) await flush();
        }
        await flush();
        const summary = report.summary();
        await completeReportFile(db, fileId, {
          provinceCode: province,
          monthKey: month,
          version: entry.phienBan,
          format: summary.format,
          encoding: summary.encoding,
          headerRow: summary.headerRow,
          goodRows: normalised,
          badRows: quarantined,
          sheets: summary.sheets,
        });
        const skipped = summary.sheets.filter((s) => s.headerRow === null);
        ctx.step({
          kind: 'file',
          message: `${base.fileName} (${month}, version ${entry.phienBan}) loaded: ${normalised} waybills, ${quarantined} quarantined${skipped.length > 0 ? `; sheets skipped: ${skipped.map((s) => s.name).join(', ')}` : ''}`,
          detail: { ...where, sheets: summary.sheets, totalsRowSkipped: summary.totalsRowSkipped, footerRowsSkipped: summary.footerRowsSkipped },
        });
        return { cursor: undefined, counts: { fetched, normalised, quarantined } };
      });
    } catch (error) {
      if (error instanceof FileRejected || error instanceof ArchiveLimitError) {
        await keep('rejected', error.message);
        return;
      }
      throw error;
    }
  }

  /**
   * Opens a downloaded file for reading. Whatever refuses the file here or while its rows are read (a format
   * error, an archive limit, a library error) rejects that one file with the reason: see {@link FileRejected}.
   */
  private openReport(bytes: Buffer, fileName: string): ReturnType<typeof openBcciReport> {
    try {
      return openBcciReport(Readable.from([bytes]), { fileName, dictionary: this.dictionary! });
    } catch (error) {
      throw new FileRejected(error instanceof Error ? error.message : String(error), error);
    }
  }

  /** File URLs come from the listing: the API key is only ever sent back to the source's own origin. */
  private checkSameOrigin(baseUrl: string, url: string): void {
    let ok = false;
    try {
      ok = new URL(url, baseUrl).origin === new URL(baseUrl).origin;
    } catch {
      ok = false;
    }
    if (!ok) throw new PermanentSourceError('UNEXPECTED_RESPONSE', `the listing points to a file outside the source (${new URL(url, baseUrl).origin}); refused`);
  }
}
