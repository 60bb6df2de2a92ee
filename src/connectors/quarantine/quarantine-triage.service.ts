import { BadRequestException, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { InjectPool, withTransaction } from '../../platform/database/database.module';
import { ConnectorsService } from '../connectors.service';
import { parseWindowBound } from '../runs/backfill-window';
import { RunView, RunsService } from '../runs/runs.service';

/** Which quarantined records an action applies to: listed ids, or in bulk by reason and period. */
export interface TriageSelector {
  ids?: number[];
  reasonCode?: string;
  connectorId?: string;
  provinceCode?: string;
  /** first quarantined on or after (date: Vietnam date) */
  from?: string;
  /** first quarantined before */
  to?: string;
}

export interface TriageTotals {
  reasonCode: string;
  open: number;
  released: number;
  resolved: number;
  rejected: number;
  /** records, and how many times they were received in all */
  records: number;
  seen: number;
}

/** The WHERE clause of a selector (parameters from $1), for the statuses given. */
function selection(s: TriageSelector, statuses: string[]): { where: string; params: unknown[] } {
  const from = s.from ? parseWindowBound(s.from) : null;
  const to = s.to ? parseWindowBound(s.to) : null;
  if ((s.from && !from) || (s.to && !to)) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['from and to must be valid dates'] });
  if ((!s.ids || s.ids.length === 0) && !s.reasonCode) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['name the records: ids, or a reasonCode (with connectorId, provinceCode, from, to to narrow it)'] });
  }
  return {
    where: `status = ANY($1::text[]) AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[])) AND ($3::text IS NULL OR reason_code = $3)
        AND ($4::uuid IS NULL OR connector_id = $4) AND ($5::text IS NULL OR province_code = $5)
        AND ($6::timestamptz IS NULL OR created_at >= $6) AND ($7::timestamptz IS NULL OR created_at < $7)`,
    params: [statuses, s.ids && s.ids.length > 0 ? s.ids : null, s.reasonCode ?? null, s.connectorId ?? null, s.provinceCode ?? null, from, to],
  };
}

/**
 * Triage of quarantined records: totals per reason; reject (dismiss, with a note); release — the records go
 * through the normal path again: their connector re-reads the window (and a report file the rows) they came
 * from, and each released record ends `resolved` (used by that run) or `open` again with the reason it still
 * fails. Every action is a state-changing request, hence in the audit trail.
 */
@Injectable()
export class QuarantineTriageService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly connectors: ConnectorsService,
    private readonly runs: RunsService,
  ) {}

  async totals(filter: { connectorId?: string; provinceCode?: string; from?: string; to?: string }): Promise<TriageTotals[]> {
    const from = filter.from ? parseWindowBound(filter.from) : null;
    const to = filter.to ? parseWindowBound(filter.to) : null;
    const { rows } = await this.pool.query(
      `SELECT reason_code,
              count(*) FILTER (WHERE status = 'open')::int AS open, count(*) FILTER (WHERE status = 'released')::int AS released,
              count(*) FILTER (WHERE status = 'resolved')::int AS resolved, count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
              count(*)::int AS records, sum(seen_count)::int AS seen
         FROM quarantine_record
        WHERE ($1::uuid IS NULL OR connector_id = $1) AND ($2::text IS NULL OR province_code = $2)
          AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)
        GROUP BY reason_code ORDER BY count(*) DESC, reason_code`,
      [filter.connectorId ?? null, filter.provinceCode ?? null, from, to],
    );
    return rows.map((r) => ({ reasonCode: r.reason_code, open: r.open, released: r.released, resolved: r.resolved, rejected: r.rejected, records: r.records, seen: r.seen }));
  }

  async reject(selector: TriageSelector, note: string, by: string): Promise<{ rejected: number }> {
    const { where, params } = selection(selector, ['open', 'released']);
    const { rowCount } = await this.pool.query(
      `UPDATE quarantine_record SET status = 'rejected', triage_note = $8, triaged_at = now(), triaged_by = $9, outcome = 'rejected by an operator'
        WHERE ${where}`,
      [...params, note, by],
    );
    return { rejected: rowCount ?? 0 };
  }

  /** Releases open (or rejected) records and asks each connector concerned to re-read where they came from. */
  async release(selector: TriageSelector, note: string | null, by: string): Promise<{ released: number; runs: RunView[] }> {
    const { where, params } = selection(selector, ['open', 'rejected']);
    const windows = await withTransaction(this.pool, async (db) => {
      const { rows } = await db.query(
        `UPDATE quarantine_record SET status = 'released', triage_note = coalesce($8, triage_note), triaged_at = now(), triaged_by = $9,
                outcome = 'released: waiting for the re-read'
          WHERE ${where}
          RETURNING id, connector_id, run_id, raw_digest`,
        [...params, note, by],
      );
      if (rows.length === 0) return { count: 0, windows: [] as Array<{ connector_id: string; window_from: Date; window_to: Date }> };
      // report files: the released rows are read again from the archived file by the next run
      await db.query(`UPDATE report_file SET reload_requested_at = now() WHERE digest = ANY($1::text[]) AND status = 'loaded'`, [[...new Set(rows.map((r) => r.raw_digest))]]);
      const { rows: w } = await db.query(
        `SELECT connector_id, min(window_from) AS window_from, max(window_to) AS window_to FROM connector_run WHERE id = ANY($1::uuid[]) GROUP BY connector_id`,
        [[...new Set(rows.map((r) => r.run_id))]],
      );
      return { count: rows.length, windows: w };
    });
    const runs: RunView[] = [];
    for (const w of windows.windows) {
      const connector = await this.connectors.get(w.connector_id);
      if (!connector.enabled) continue; // re-read when it is enabled again (run now or backfill)
      runs.push(...(await this.runs.backfill(connector, w.window_from, w.window_to)));
    }
    return { released: windows.count, runs };
  }
}
