import { Injectable } from '@nestjs/common';
import { TransparencyLogService } from '../ledger/transparency-log.service';

/** The signed checkpoint of the transparency log that covers a score, printed on generated evidence documents. */
export const EXPORT_CHECKPOINTS = Symbol('EXPORT_CHECKPOINTS');

export interface ExportCheckpoints {
  forScore(scoreId: number): Promise<string | null>;
}

/**
 * The score's leaf in the transparency log and a signed checkpoint covering it (a new checkpoint is signed if
 * the leaf came after the latest). Null while the score is not logged yet (the appender runs in batches) or
 * when no signing key is configured; the document then carries its evidence digest only.
 */
@Injectable()
export class LedgerCheckpoints implements ExportCheckpoints {
  constructor(private readonly log: TransparencyLogService) {}

  async forScore(scoreId: number): Promise<string | null> {
    const leaf = await this.log.leafOf('score', String(scoreId));
    if (!leaf) return null;
    try {
      const checkpoint = await this.log.checkpointCovering(leaf.index);
      return `lá ${leaf.index} (score ${scoreId}), cây ${checkpoint.treeSize} lá, gốc ${checkpoint.rootHash}, khoá ${checkpoint.keyId}, ${checkpoint.createdAt.toISOString()}`;
    } catch {
      return null;
    }
  }
}
