import { redactDetail } from '../../platform/privacy/personal-fields';
import { createHash } from 'node:crypto';
import { PoolClient } from 'pg';
import { quarantineIdentity } from './quarantine-identity';

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
 * Quarantines unusable records in one statement. A record is stored once per connector and identity (source key,
 * reason, field, normalised content): seen again in another sending — another payload or another run — its
 * `seen_count` goes up; the same payload replayed by a resumed run counts once. A record seen again after it was
 * released is open again (the release did not cure it). Returns the rows added.
 */
export async function insertQuarantine(db: PoolClient, provinceCode: string, entries: QuarantineEntry[], provenance: Provenance): Promise<number> {
  if (entries.length === 0) return 0;
  // one row per identity within the batch (a payload repeating a bad record counts it once per sending)
  const byIdentity = new Map<string, QuarantineEntry & { identity: string }>();
  for (const e of entries) {
    const identity = quarantineIdentity(e);
    if (!byIdentity.has(identity)) byIdentity.set(identity, { ...e, identity });
  }
  const rows = [...byIdentity.values()];
  const { rows: written } = await db.query(
    `INSERT INTO quarantine_record
       (connector_id, run_id, province_code, entity, raw_digest, raw_position, record_key, record_hash, reason_code, field, detail, sheet,
        identity_hash, last_run_id, last_raw_digest)
     SELECT $1, $2, $3, e.entity, $4, e.position, e.record_key, e.record_hash, e.reason, e.field, e.detail, e.sheet, e.identity, $2, $4
       FROM unnest($5::text[], $6::int4[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         AS e(entity, position, record_key, record_hash, reason, field, detail, sheet, identity)
     ON CONFLICT (connector_id, identity_hash) DO UPDATE SET
       seen_count = quarantine_record.seen_count + 1,
       last_seen_at = now(),
       last_run_id = EXCLUDED.last_run_id,
       last_raw_digest = EXCLUDED.last_raw_digest,
       record_hash = EXCLUDED.record_hash,
       status = CASE WHEN quarantine_record.status IN ('released', 'resolved') THEN 'open' ELSE quarantine_record.status END,
       outcome = CASE WHEN quarantine_record.status IN ('released', 'resolved') THEN 'quarantined again after release' ELSE quarantine_record.outcome END
     WHERE quarantine_record.last_run_id IS DISTINCT FROM EXCLUDED.last_run_id
        OR quarantine_record.last_raw_digest IS DISTINCT FROM EXCLUDED.last_raw_digest
     RETURNING (xmax = 0) AS inserted`,
    [
      provenance.connectorId,
      provenance.runId,
      provinceCode,
      provenance.rawDigest,
      rows.map((e) => e.entity),
      rows.map((e) => e.position),
      rows.map((e) => e.recordKey),
      rows.map((e) => recordHash(e.record)),
      rows.map((e) => e.reason),
      rows.map((e) => e.field ?? null),
      // the detail is shown to every role that reads quarantine: personal values masked (the raw archive keeps them)
      rows.map((e) => redactDetail(e.detail, e.record)),
      rows.map((e) => e.sheet ?? null),
      rows.map((e) => e.identity),
    ],
  );
  return written.filter((r) => r.inserted).length;
}

/**
 * The fate of released records: those of `entity` whose source key was just used by the normal path are
 * `resolved`, with the run that used them. (One seen again as unusable goes back to `open`: see insertQuarantine.)
 */
export async function resolveReleased(db: PoolClient, connectorId: string, entity: string, recordKeys: string[], runId: string): Promise<number> {
  if (recordKeys.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE quarantine_record SET status = 'resolved', outcome = 'used by run ' || $4::uuid, last_run_id = $4::uuid
      WHERE connector_id = $1 AND entity = $2 AND status = 'released' AND record_key = ANY($3::text[])`,
    [connectorId, entity, recordKeys, runId],
  );
  return rowCount ?? 0;
}
