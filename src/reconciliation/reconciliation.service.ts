import { AccessScope } from '../platform/auth/access-policy';
import { Injectable, NotFoundException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { InjectPool } from '../platform/database/database.module';
import { parsePeriodKey } from '../platform/time/vietnam-time';
import { Direction, reconcileMonth, vietnamDay } from './reconcile-month';

export const RECONCILIATION_RULE_VERSION = 'postal-reconciliation/2';

/**
 * Cross-checks VNPost waybills against one-stop-shop dossiers, per province, month and direction, and records
 * the outcome as a versioned data-quality finding. Submission: waybills "Chiều đi" × dossiers submitted by post
 * (KenhThucHien = 3) received in the month; result: waybills "Chiều về" × dossiers whose result was returned by
 * post (HinhThuc = 1) in the month. Runs inside the evidence build of either source (same transaction), for the
 * months that changed. A finding is made only when both sources reported for the month: a postal report, and a
 * successful one-stop-shop run that reached the month's end.
 */
@Injectable()
export class ReconciliationService {
  constructor(@InjectPool() private readonly pool: Pool) {}

  async reconcileMonths(db: PoolClient, provinceCode: string, monthKeys: string[]): Promise<number> {
    let written = 0;
    // the evidence builds of both sources reconcile the same province: one at a time (until this transaction ends),
    // so that the second sees the first's finding instead of writing the same version again
    await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`reconciliation:${provinceCode}`]);
    for (const monthKey of [...new Set(monthKeys)].sort()) {
      const month = parsePeriodKey(monthKey);
      if (!month || month.kind !== 'month') continue;
      const { rows: report } = await db.query(
        `SELECT m.current_version, m.file_id, f.digest FROM report_month m JOIN report_file f ON f.id = m.file_id
          WHERE m.source_kind = 'vnpost-bcci' AND m.province_code = $1 AND m.month_key = $2`,
        [provinceCode, monthKey],
      );
      if (report.length === 0) continue;
      const { rows: synced } = await db.query(
        `SELECT 1 FROM connector_run r JOIN connector c ON c.id = r.connector_id
          WHERE c.kind = 'one-stop-shop' AND c.province_code = $1 AND r.status = 'succeeded' AND r.window_to >= $2 LIMIT 1`,
        [provinceCode, month.end],
      );
      if (synced.length === 0) continue; // the one-stop shop has not reported the whole month yet
      const { rows: waybills } = await db.query(
        `SELECT direction, waybill_id, dossier_id, procedure_code, accepted_at FROM waybill
          WHERE province_code = $1 AND month_key = $2 AND version = $3`,
        [provinceCode, monthKey, report[0].current_version],
      );
      const { rows: dossiers } = await db.query(
        `SELECT dossier_id, procedure_code, channel, result_delivery, received_at, processed_at, returned_at, run_id, raw_digest
           FROM dossier WHERE province_code = $1
            AND ((channel = 3 AND received_at >= $2 AND received_at < $3) OR (result_delivery = 1 AND returned_at >= $2 AND returned_at < $3))`,
        [provinceCode, month.start, month.end],
      );
      const inMonth = (d: Date | null): boolean => d !== null && d >= month.start && d < month.end;
      for (const direction of ['submission', 'result'] as Direction[]) {
        const need = dossiers.filter((d) => (direction === 'submission' ? d.channel === 3 && inMonth(d.received_at) : d.result_delivery === 1 && inMonth(d.returned_at)));
        const outcome = reconcileMonth(
          waybills
            .filter((w) => w.direction === direction)
            .map((w) => ({ waybillId: w.waybill_id, dossierId: w.dossier_id, procedureCode: w.procedure_code, acceptedAt: w.accepted_at })),
          need.map((d) => ({
            dossierId: d.dossier_id,
            procedureCode: d.procedure_code,
            postalDays: (direction === 'submission' ? [d.received_at] : [d.processed_at, d.returned_at]).filter((x): x is Date => x !== null).map(vietnamDay),
            date: direction === 'submission' ? d.received_at : d.returned_at,
          })),
        );
        const digest = createHash('sha256').update(JSON.stringify([RECONCILIATION_RULE_VERSION, report[0].file_id, outcome])).digest('hex');
        const { rows: latest } = await db.query(
          `SELECT version, content_digest FROM reconciliation_finding WHERE province_code = $1 AND month_key = $2 AND direction = $3
            ORDER BY version DESC LIMIT 1`,
          [provinceCode, monthKey, direction],
        );
        if (latest[0]?.content_digest === digest) continue;
        await db.query(
          `INSERT INTO reconciliation_finding (province_code, month_key, direction, rule_version, matched, matched_by_fallback,
             unmatched_waybills, unmatched_dossiers, unmatched_waybill_ids, unmatched_dossier_ids, report_file_id, dossier_run_ids,
             raw_digests, version, content_digest, items)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            provinceCode,
            monthKey,
            direction,
            RECONCILIATION_RULE_VERSION,
            outcome.matched,
            outcome.matchedByFallback,
            outcome.unmatchedWaybillIds.length,
            outcome.unmatchedDossierIds.length,
            outcome.unmatchedWaybillIds,
            outcome.unmatchedDossierIds,
            report[0].file_id,
            [...new Set(need.map((d) => d.run_id as string))],
            [report[0].digest, ...new Set(need.map((d) => d.raw_digest as string))],
            (latest[0]?.version ?? 0) + 1,
            digest,
            JSON.stringify(outcome.items),
          ],
        );
        written++;
      }
    }
    return written;
  }

  /** The latest finding of each month and direction of a province's year. */
  async forProvinceYear(scope: AccessScope, provinceCode: string, year: number, withLists = false) {
    scope.assertProvince(provinceCode);
    const params: unknown[] = [provinceCode, `${year}-%`];
    const { rows } = await this.pool.query(
      `SELECT DISTINCT ON (month_key, direction) ${FINDING_COLUMNS}, jsonb_array_length(items) AS item_count FROM reconciliation_finding
        WHERE province_code = $1 AND month_key LIKE $2 AND ${scope.provinceCondition('province_code', params)}
        ORDER BY month_key, direction, version DESC`,
      params,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      monthKey: r.month_key,
      direction: r.direction,
      ruleVersion: r.rule_version,
      matched: r.matched,
      matchedByFallback: r.matched_by_fallback,
      unmatchedWaybills: r.unmatched_waybills,
      unmatchedDossiers: r.unmatched_dossiers,
      ...(withLists ? { unmatchedWaybillIds: r.unmatched_waybill_ids, unmatchedDossierIds: r.unmatched_dossier_ids } : {}),
      items: r.item_count,
      reportFileId: r.report_file_id === null ? null : Number(r.report_file_id),
      dossierRunIds: r.dossier_run_ids,
      rawDigests: r.raw_digests,
      version: r.version,
      computedAt: r.computed_at,
    }));
  }

  /**
   * One page of a finding's lists: unmatched waybills and dossiers and fallback matches, each with both sides'
   * ids and dates and the reason; optionally of one reason. The finding must belong to the province named.
   */
  async items(scope: AccessScope, provinceCode: string, year: number, findingId: number, page: { reason?: string; limit: number; offset: number }) {
    scope.assertProvince(provinceCode);
    const params: unknown[] = [findingId, provinceCode, `${year}-%`, page.reason ?? null, page.limit, page.offset];
    const { rows } = await this.pool.query(
      `SELECT f.id, f.month_key, f.direction, f.version,
              (SELECT count(*)::int FROM jsonb_array_elements(f.items) i WHERE $4::text IS NULL OR i->>'reason' = $4) AS total,
              (SELECT coalesce(jsonb_agg(x.i ORDER BY x.n), '[]') FROM (
                 SELECT i, n FROM jsonb_array_elements(f.items) WITH ORDINALITY AS e(i, n)
                  WHERE $4::text IS NULL OR i->>'reason' = $4 ORDER BY n LIMIT $5 OFFSET $6) x) AS page
         FROM reconciliation_finding f
        WHERE f.id = $1 AND f.province_code = $2 AND f.month_key LIKE $3 AND ${scope.provinceCondition('f.province_code', params)}`,
      params,
    );
    if (rows.length === 0) throw new NotFoundException(`finding ${findingId} not found for province ${provinceCode} in ${year}`);
    const r = rows[0];
    return { findingId: Number(r.id), monthKey: r.month_key, direction: r.direction, version: r.version, total: r.total, limit: page.limit, offset: page.offset, items: r.page };
  }
}

const FINDING_COLUMNS = `id, province_code, month_key, direction, rule_version, matched, matched_by_fallback, unmatched_waybills, unmatched_dossiers,
  unmatched_waybill_ids, unmatched_dossier_ids, report_file_id, dossier_run_ids, raw_digests, version, computed_at`;
