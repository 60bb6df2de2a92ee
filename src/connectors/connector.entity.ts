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

  /**
   * The credentials, sealed (AES-256-GCM envelope, see credentials/credentials-cipher.ts): opened in memory only
   * where a run or a test call needs them, never returned by the API, never logged.
   */
  @Column({ name: 'credentials_sealed', type: 'bytea', nullable: true })
  credentialsSealed!: Buffer | null;

  /** the id of the key that sealed them (rotation finds what to re-seal without opening anything) */
  @Column({ name: 'credentials_key_id', type: 'text', nullable: true })
  credentialsKeyId!: string | null;

  /** the names of the credentials that are set, sorted (what the API shows) */
  @Column({ name: 'credential_names', type: 'text', array: true, default: () => "'{}'" })
  credentialNames!: string[];

  /**
   * The former plaintext column, never read by the service and always written as `{}` (an older version may
   * still write there during a rolling update; such rows are sealed before use, see credentials-sealing.ts).
   */
  @Column({ name: 'credentials', type: 'jsonb', select: false, default: () => "'{}'::jsonb" })
  legacyPlaintextCredentials?: Record<string, never>;

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
