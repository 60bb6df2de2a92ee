import { redactDetail } from '../../platform/privacy/personal-fields';
import { createHash } from 'node:crypto';
import { PoolClient } from 'pg';

export interface Provenance {
  connectorId: string;
  runId: string;
  rawDigest: string;
}

/** A record that cannot be used: where it sits in its raw payload, and why. */
export interface QuarantineEntry {
  entity: string;
  /** position in the payload: index in a JSON list, or row number in a file */
  position: number;
  /** sheet of a workbook, when the payload is one */
  sheet?: string | null;
  recordKey: string | null;
  record: unknown;
  reason: string;
  field?: string;
  detail: string;
}

export function recordHash(record: unknown): string {
  return createHash('sha256').update(JSON.stringify(record) ?? 'undefined').digest('hex');
}

/**
 * Quarantines unusable records in one statement. The same record (same content) from the same connector is
 * stored once, so replays do not pile up copies.
 */
export async function insertQuarantine(db: PoolClient, provinceCode: string, entries: QuarantineEntry[], provenance: Provenance): Promise<number> {
  if (entries.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO quarantine_record
       (connector_id, run_id, province_code, entity, raw_digest, raw_position, record_key, record_hash, reason_code, field, detail, sheet)
     SELECT $1, $2, $3, e.entity, $4, e.position, e.record_key, e.record_hash, e.reason, e.field, e.detail, e.sheet
       FROM unnest($5::text[], $6::int4[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         AS e(entity, position, record_key, record_hash, reason, field, detail, sheet)
     ON CONFLICT (connector_id, record_hash) DO NOTHING`,
    [
      provenance.connectorId,
      provenance.runId,
      provinceCode,
      provenance.rawDigest,
      entries.map((e) => e.entity),
      entries.map((e) => e.position),
      // a key may be built from the record's subject (a name, for a badly configured source): masked like the detail
      entries.map((e) => (e.recordKey === null ? null : redactDetail(e.recordKey, e.record, { distinct: true }))),
      entries.map((e) => recordHash(e.record)),
      entries.map((e) => e.reason),
      entries.map((e) => e.field ?? null),
      // the detail is shown to every role that reads quarantine: personal values masked (the raw archive keeps them)
      entries.map((e) => redactDetail(e.detail, e.record)),
      entries.map((e) => e.sheet ?? null),
    ],
  );
  return rowCount ?? 0;
}
