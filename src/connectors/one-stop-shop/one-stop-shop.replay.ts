import { PoolClient } from 'pg';
import { NormalisedDossier } from './dossier.model';
import { NormalisedProcedure, parseDossier, parseProcedure } from './dossier.parser';
import { Provenance, QuarantineEntry, insertQuarantine, upsertDossiers } from './dossier.writer';
import { errorForEnvelope } from './one-stop-shop.errors';
import { OssEnvelope, OssPage } from './one-stop-shop.types';
import { upsertProcedures } from './procedure.writer';

export interface ReplayCounts {
  pages: number;
  normalised: number;
  quarantined: number;
  /** archived answers that hold no page (error envelopes, unreadable bodies): a run did not use them either */
  skipped: number;
}

/**
 * Replays one archived one-stop-shop answer through the connector's own parse and write functions, exactly
 * as a run wrote it (newest `NgayCapNhat` wins, so replaying every archived page in fetch order rebuilds the
 * normalised rows). The caller decides where the rows go: recompute runs it on temporary tables.
 */
export async function replayOneStopShopPayload(db: PoolClient, provinceCode: string, url: string, body: Buffer, provenance: Provenance, counts: ReplayCounts): Promise<void> {
  let envelope: OssEnvelope<OssPage<unknown>>;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch {
    counts.skipped++;
    return;
  }
  const list = envelope?.data?.danhSach;
  if (errorForEnvelope(envelope?.error_code, envelope?.message, url) || !Array.isArray(list)) {
    counts.skipped++;
    return;
  }
  const procedures = new URL(url, 'http://replay').pathname.endsWith('/thutuc');
  const quarantine: QuarantineEntry[] = [];
  const positions: number[] = [];
  if (procedures) {
    const valid: NormalisedProcedure[] = [];
    list.forEach((raw, position) => {
      const parsed = parseProcedure(raw, provinceCode);
      if (parsed.ok) {
        valid.push(parsed.procedure);
        positions.push(position);
      } else quarantine.push({ entity: 'procedure', position, recordKey: parsed.procedureCode, record: raw, reason: parsed.reason, field: parsed.field, detail: parsed.detail });
    });
    await upsertProcedures(db, provinceCode, valid, positions, provenance);
    counts.normalised += valid.length;
  } else {
    const valid: NormalisedDossier[] = [];
    list.forEach((raw, position) => {
      const parsed = parseDossier(raw, provinceCode);
      if (parsed.ok) {
        valid.push(parsed.dossier);
        positions.push(position);
      } else quarantine.push({ entity: 'dossier', position, recordKey: parsed.dossierId, record: raw, reason: parsed.reason, field: parsed.field, detail: parsed.detail });
    });
    await upsertDossiers(db, provinceCode, valid, positions, provenance);
    counts.normalised += valid.length;
  }
  await insertQuarantine(db, provinceCode, quarantine, provenance);
  counts.pages++;
  counts.quarantined += quarantine.length;
}
