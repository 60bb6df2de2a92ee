import { Injectable } from '@nestjs/common';

export interface LedgerMetricsSnapshot {
  ledger_leaves_appended_total: number;
  ledger_tree_size: number;
  ledger_tamper_checks_total: number;
  ledger_tamper_findings: number;
  ledger_tamper_check_duration_ms: number;
  ledger_last_tamper_check_timestamp_seconds: number;
}

/**
 * The ledger's metrics hook: counters and gauges a metrics exporter reads with `snapshot()` (names in the
 * Prometheus style), and listeners called on every tamper check.
 */
@Injectable()
export class LedgerMetrics {
  private readonly values: LedgerMetricsSnapshot = {
    ledger_leaves_appended_total: 0,
    ledger_tree_size: 0,
    ledger_tamper_checks_total: 0,
    ledger_tamper_findings: 0,
    ledger_tamper_check_duration_ms: 0,
    ledger_last_tamper_check_timestamp_seconds: 0,
  };
  private readonly listeners: Array<(s: LedgerMetricsSnapshot) => void> = [];

  onChange(listener: (s: LedgerMetricsSnapshot) => void): void {
    this.listeners.push(listener);
  }

  appended(count: number, size: number): void {
    this.values.ledger_leaves_appended_total += count;
    this.values.ledger_tree_size = size;
    this.emit();
  }

  tamperChecked(r: { findings: unknown[]; durationMs: number; checkedAt: Date }): void {
    this.values.ledger_tamper_checks_total++;
    this.values.ledger_tamper_findings = r.findings.length;
    this.values.ledger_tamper_check_duration_ms = r.durationMs;
    this.values.ledger_last_tamper_check_timestamp_seconds = Math.floor(r.checkedAt.getTime() / 1000);
    this.emit();
  }

  snapshot(): LedgerMetricsSnapshot {
    return { ...this.values };
  }

  private emit(): void {
    for (const l of this.listeners) l(this.snapshot());
  }
}
