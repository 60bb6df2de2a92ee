import { Injectable } from '@nestjs/common';

/**
 * The signed checkpoint of the transparency log that covers a score, printed on generated evidence documents.
 * Until the log (src/ledger/) is wired in there is none, and the documents carry their evidence digest only.
 */
export const EXPORT_CHECKPOINTS = Symbol('EXPORT_CHECKPOINTS');

export interface ExportCheckpoints {
  forScore(scoreId: number): Promise<string | null>;
}

@Injectable()
export class NoCheckpoints implements ExportCheckpoints {
  async forScore(): Promise<string | null> {
    return null;
  }
}
