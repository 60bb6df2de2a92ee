import { Pool, PoolClient } from 'pg';
import { RunCounts, RunStep } from '../connector-kind';

export type StoredStepKind = RunStep['kind'] | 'start' | 'checkpoint' | 'cancel' | 'finish';

interface PendingStep {
  kind: StoredStepKind;
  message: string;
  detail: Record<string, unknown> | null;
  at: Date;
}

/** The run was cancelled through the API: it stopped after its last checkpoint, which is committed. */
export class RunCancelled extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelled';
  }
}

/** A checkpoint's counters as a step-log line ("2 pages, 1,000 fetched, …"), or null when nothing moved. */
export function checkpointMessage(counts: Partial<RunCounts>): string | null {
  const parts = (['pages', 'fetched', 'normalised', 'unchanged', 'quarantined'] as const)
    .filter((k) => (counts[k] ?? 0) > 0)
    .map((k) => `${counts[k]} ${k}`);
  return parts.length === 0 ? null : `checkpoint: ${parts.join(', ')}`;
}

/**
 * The step log of one run as it executes: lines are kept in memory and written with the next checkpoint's
 * transaction (so a rolled-back checkpoint leaves no line behind), or on their own when the run ends.
 */
export class RunStepLog {
  private pending: PendingStep[] = [];

  constructor(private readonly runId: string) {}

  add(kind: StoredStepKind, message: string, detail?: Record<string, unknown> | null): void {
    this.pending.push({ kind, message: message.slice(0, 2000), detail: detail ?? null, at: new Date() });
  }

  /** Writes the pending lines and adds the warnings among them to the run's count. */
  async flush(db: PoolClient | Pool): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      await db.query(
        `INSERT INTO connector_run_step (run_id, at, kind, message, detail)
         SELECT $1, s.at, s.kind, s.message, s.detail FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::jsonb[]) AS s(at, kind, message, detail)`,
        [this.runId, batch.map((s) => s.at), batch.map((s) => s.kind), batch.map((s) => s.message), batch.map((s) => (s.detail ? JSON.stringify(s.detail) : null))],
      );
      const warnings = batch.filter((s) => s.kind === 'warning').length;
      if (warnings > 0) await db.query(`UPDATE connector_run SET warnings = warnings + $2 WHERE id = $1`, [this.runId, warnings]);
    } catch (error) {
      this.pending = batch.concat(this.pending); // kept for the next try (the transaction rolled back)
      throw error;
    }
  }
}
