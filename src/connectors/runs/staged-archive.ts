import { Pool, PoolClient } from 'pg';
import { FetchMetadata, RawArchiveService, sha256Hex } from '../../raw-archive/raw-archive.service';
import { RunArchive } from '../connector-kind';

export interface StagedPayload {
  body: Buffer;
  meta: FetchMetadata;
}

/**
 * The raw archive as a run sees it: a response is hashed at once (its digest is known to the kind) and held
 * until it is stored — with the next checkpoint's transaction, or on its own when the run stops without one.
 * A batch taken for a transaction that did not commit is given back, so nothing received is ever dropped
 * while the process lives.
 */
export class StagedArchive implements RunArchive {
  private pending: StagedPayload[] = [];

  constructor(private readonly store: RawArchiveService) {}

  async archive(body: Buffer, meta: FetchMetadata): Promise<string> {
    this.pending.push({ body, meta });
    return sha256Hex(body);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Takes everything held so far (in arrival order) for a transaction. */
  take(): StagedPayload[] {
    const batch = this.pending;
    this.pending = [];
    return batch;
  }

  /** Gives back a batch whose transaction did not commit, ahead of what arrived since. */
  restore(batch: StagedPayload[]): void {
    if (batch.length > 0) this.pending = [...batch, ...this.pending];
  }

  async write(batch: StagedPayload[], db: PoolClient | Pool): Promise<void> {
    if (batch.length > 0) await this.store.archiveMany(batch, db);
  }

  /** Stores everything held, on its own; on failure everything is held again. */
  async flush(db: PoolClient | Pool): Promise<void> {
    const batch = this.take();
    try {
      await this.write(batch, db);
    } catch (error) {
      this.restore(batch);
      throw error;
    }
  }
}
