import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { AppConfig } from '../../platform/config/app-config';
import { APP_CONFIG } from '../../platform/config/config.module';
import { InjectPool } from '../../platform/database/database.module';
import { CredentialsKeys, openCredentials } from './credentials-cipher';
import { HOLDS_PLAINTEXT, SealedCredentialsFields, sealForConnector, sealPlaintextCredentials } from './credentials-sealing';

/**
 * Connector credentials at rest: sealed with the active key where they are written, opened in memory only where a
 * run or a test call needs them. At start (every role, before workers and the scheduler start), plaintext left by
 * an older database is sealed and its column emptied.
 */
@Injectable()
export class ConnectorCredentialsService implements OnModuleInit {
  private readonly logger = new Logger(ConnectorCredentialsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
  ) {}

  /** onModuleInit rather than onApplicationBootstrap: it is over before any worker takes a run */
  async onModuleInit(): Promise<void> {
    const sealed = await sealPlaintextCredentials(this.pool, this.ring);
    if (sealed > 0) this.logger.log({ sealed, keyId: this.ring.activeKeyId }, 'sealed plaintext connector credentials left by an older version');
  }

  seal(connectorId: string, values: Record<string, string>): SealedCredentialsFields {
    return sealForConnector(connectorId, values, this.ring);
  }

  /**
   * A connector's credentials, read from the database and opened in memory (a row that still holds plaintext is
   * sealed first). Throws CredentialsCipherError, naming the key id, when the key is missing or the data altered.
   */
  async open(connectorId: string): Promise<Record<string, string>> {
    let row = await this.read(connectorId);
    if (row?.plaintext) {
      await sealPlaintextCredentials(this.pool, this.ring, connectorId);
      row = await this.read(connectorId);
    }
    if (!row?.sealed) return {};
    return openCredentials(row.sealed, this.ring, connectorId);
  }

  private async read(connectorId: string): Promise<{ sealed: Buffer | null; plaintext: boolean } | undefined> {
    const { rows } = await this.pool.query(`SELECT credentials_sealed AS sealed, ${HOLDS_PLAINTEXT} AS plaintext FROM connector WHERE id = $1`, [connectorId]);
    return rows[0];
  }

  private get ring(): CredentialsKeys {
    const ring = this.config.credentialsKeyRing;
    if (!ring) throw new Error('CREDENTIALS_KEYS is not configured: connector credentials cannot be sealed or opened');
    return ring;
  }
}
