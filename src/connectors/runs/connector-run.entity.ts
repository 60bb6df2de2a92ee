import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RunTrigger = 'schedule' | 'manual' | 'backfill';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'missed' | 'cancelled';

/** One run of a connector over a window of source time; the history of runs lives here, not in Redis. */
@Entity({ name: 'connector_run' })
export class ConnectorRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'connector_id', type: 'uuid' })
  connectorId!: string;

  @Column({ name: 'config_version', type: 'int' })
  configVersion!: number;

  @Column({ type: 'text' })
  trigger!: RunTrigger;

  @Column({ name: 'slot_at', type: 'timestamptz', nullable: true })
  slotAt!: Date | null;

  @Column({ name: 'window_from', type: 'timestamptz' })
  windowFrom!: Date;

  @Column({ name: 'window_to', type: 'timestamptz' })
  windowTo!: Date;

  @Column({ type: 'text' })
  status!: RunStatus;

  @Column({ name: 'job_id', type: 'text', unique: true })
  jobId!: string;

  @Column({ type: 'jsonb', nullable: true })
  cursor!: unknown;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'int', default: 0 })
  pages!: number;

  @Column({ type: 'int', default: 0 })
  fetched!: number;

  @Column({ type: 'int', default: 0 })
  normalised!: number;

  @Column({ type: 'int', default: 0 })
  unchanged!: number;

  @Column({ type: 'int', default: 0 })
  quarantined!: number;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
