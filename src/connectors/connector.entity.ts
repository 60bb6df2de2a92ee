import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A connector instance: data, not code. Its `kind` names the code that speaks the source's contract. */
@Entity({ name: 'connector' })
export class ConnectorEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'base_url', type: 'text' })
  baseUrl!: string;

  @Column({ name: 'province_code', type: 'char', length: 2 })
  provinceCode!: string;

  /** write-only: never returned by the API, never logged */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  credentials!: Record<string, string>;

  /** cron in Vietnam time (Asia/Ho_Chi_Minh); null = manual runs only */
  @Column({ type: 'text', nullable: true })
  schedule!: string | null;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  options!: Record<string, unknown>;

  @Column({ name: 'config_version', type: 'int', default: 1 })
  configVersion!: number;

  /** schedule slots before this instant are never due (set when the schedule is first set or changed) */
  @Column({ name: 'schedule_anchor', type: 'timestamptz' })
  scheduleAnchor!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
