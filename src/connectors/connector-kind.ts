import { Logger } from '@nestjs/common';
import { PoolClient } from 'pg';
import { FetchMetadata } from '../raw-archive/raw-archive.service';
import { EgressPolicy } from '../platform/http/egress-policy';

/**
 * A connector KIND is code that speaks one source contract; a connector INSTANCE is data (kind, base URL,
 * credentials, province scope, schedule, options). The framework drives a kind through one run at a time:
 * a run is a window [from, to) of source time (or, for report-file sources, the files listed in it), and the
 * kind keeps its own position inside the run in `cursor` — any JSON — which it checkpoints together with the
 * data it covers (see RunContext.commit). That one shape fits incremental JSON APIs (one-stop shop), report
 * files listed over HTTP (cursor = files and versions done) and declarative REST sources (cursor = next link).
 */
export interface ConnectorInstance {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  provinceCode: string;
  credentials: Record<string, string>;
  options: Record<string, unknown>;
  configVersion: number;
}

export interface RunState {
  id: string;
  connectorId: string;
  windowFrom: Date;
  windowTo: Date;
  cursor: unknown;
  attempt: number;
}

export interface RunCounts {
  pages: number;
  fetched: number;
  normalised: number;
  unchanged: number;
  quarantined: number;
}

/** One line of a run's step log: a file loaded or rejected, a retry, a warning the operator should see. */
export interface RunStep {
  kind: 'file' | 'retry' | 'warning';
  message: string;
  detail?: Record<string, unknown>;
}

/** Where a kind hands every response body it receives, before interpreting it; returns its SHA-256. */
export interface RunArchive {
  archive(body: Buffer, meta: FetchMetadata): Promise<string>;
}

export interface RunContext {
  connector: ConnectorInstance;
  run: RunState;
  archive: RunArchive;
  logger: Logger;
  /**
   * Runs `work` in one database transaction together with the run's checkpoint: the new cursor and the count
   * increments are written in the same transaction as the records, so a crash never splits them. A `cursor`
   * of `undefined` leaves the position as it is.
   */
  commit(work: (client: PoolClient) => Promise<{ cursor: unknown; counts: Partial<RunCounts> }>): Promise<void>;
  /** true once the process is shutting down: stop at the next checkpoint, the run resumes elsewhere */
  stopping(): boolean;
  /**
   * Adds a line to the run's step log; it is written with the next checkpoint (or when the run ends). A
   * `warning` counts in the run's warnings: the run succeeds, and the operator sees why it needs a look.
   */
  step(step: RunStep): void;
  /** `onRetry` writes each retried source call in the step log */
  http: { timeoutMs: number; maxAttempts: number; backoffBaseMs: number; backoffMaxMs: number; onRetry?: (retry: { attempt: number; delayMs: number; reason: string }) => void; egress: EgressPolicy };
}

export interface OptionsCheck {
  errors: string[];
}

export interface ConnectorKind {
  readonly kind: string;
  /** evidence source this kind feeds (the evidence outbox's source_kind) */
  readonly sourceKind: string;
  /** kind-specific options and credentials, checked when an instance is saved; messages name the field */
  validate(instance: Pick<ConnectorInstance, 'options' | 'credentials' | 'baseUrl' | 'provinceCode'>): OptionsCheck;
  /** runs (or resumes, from run.cursor) one run; returns when the window is done */
  execute(context: RunContext): Promise<void>;
  /**
   * Optional "test call": fetches one page as a run would and reports what it would produce, storing nothing.
   */
  preview?(instance: ConnectorInstance, http: RunContext['http']): Promise<unknown>;
}

export const CONNECTOR_KINDS = Symbol('CONNECTOR_KINDS');
