import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { InjectPool } from '../platform/database/database.module';
import { TransparencyLogService } from './transparency-log.service';
import { LedgerPack, PackLeaf } from './verifier/ledger-verifier';

export const PACK_FORMAT = 'par-evidence-hub/ledger-pack@1';
export const VERIFIER_FILE_NAME = 'verify-pack.cjs';

let verifierSource: string | undefined;

/**
 * The offline verifier as one dependency-free CommonJS file: the compiled `ledger-verifier.js` beside this
 * module in a build, or its TypeScript source transpiled when running from sources (development, tests).
 */
export function offlineVerifierSource(): string {
  if (verifierSource !== undefined) return verifierSource;
  const compiled = join(__dirname, 'verifier', 'ledger-verifier.js');
  if (existsSync(compiled)) {
    verifierSource = readFileSync(compiled, 'utf8');
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript') as typeof import('typescript');
    const source = readFileSync(join(__dirname, 'verifier', 'ledger-verifier.ts'), 'utf8');
    verifierSource = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  }
  verifierSource = `#!/usr/bin/env node\n// PAR Evidence Hub ledger pack verifier. Usage: node ${VERIFIER_FILE_NAME} pack.json [--key <verifier key>]\n${verifierSource.replace(/^#!.*\n/, '')}`;
  return verifierSource;
}

export interface PackOptions {
  provinceCode: string;
  year: number;
}

/**
 * The JSON pack of a province-year: every logged fact its scores rest on (scores of every period and
 * catalogue, evidence records and their computations, raw payload digests, manual documents, imported values,
 * catalogue versions), each with its leaf and inclusion proof, one signed checkpoint, the public keys, and the
 * verifier script.
 */
@Injectable()
export class LedgerPackService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly log: TransparencyLogService,
  ) {}

  async build({ provinceCode, year }: PackOptions): Promise<LedgerPack & Record<string, unknown>> {
    await this.log.appendPending();
    const checkpoint = await this.log.checkpoint('if-grown');
    const { rows } = await this.pool.query(
      `WITH scores AS (SELECT * FROM score WHERE province_code = $1 AND year = $2),
            records AS (
              SELECT id, computation_id FROM evidence_record WHERE province_code = $1 AND year = $2
              UNION SELECT e.id, e.computation_id FROM evidence_record e WHERE e.id IN (SELECT unnest(evidence_ids) FROM scores)
            ),
            computations AS (SELECT c.id, c.raw_digests FROM evidence_computation c WHERE c.id IN (SELECT computation_id FROM records)),
            manual AS (SELECT id, raw_digest FROM manual_evidence WHERE province_code = $1 AND year = $2),
            imported AS (SELECT id FROM imported_value WHERE province_code = $1 AND year = $2),
            facts(kind, fact_key) AS (
              SELECT 'score', id::text FROM scores
              UNION ALL SELECT 'evidence_record', id::text FROM records
              UNION ALL SELECT 'evidence_computation', id::text FROM computations
              UNION ALL SELECT 'raw_payload', d FROM (SELECT unnest(raw_digests) AS d FROM computations UNION SELECT raw_digest FROM manual) r
              UNION ALL SELECT 'manual_evidence', id::text FROM manual
              UNION ALL SELECT 'imported_value', id::text FROM imported
            )
       SELECT l.idx, l.kind, l.fact_key, l.leaf, l.leaf_hash FROM ledger_leaf l JOIN (SELECT DISTINCT kind, fact_key FROM facts) f USING (kind, fact_key)
       UNION
       SELECT l.idx, l.kind, l.fact_key, l.leaf, l.leaf_hash FROM ledger_leaf l
        WHERE l.kind = 'catalogue_version' AND split_part(l.fact_key, '#', 1) IN (SELECT DISTINCT catalogue_version FROM score WHERE province_code = $1 AND year = $2)
       ORDER BY 1`,
      [provinceCode, year],
    );
    const size = checkpoint?.treeSize ?? 0;
    const inTree = rows.filter((r) => Number(r.idx) < size);
    const proofs = await this.log.inclusionProofs(inTree.map((r) => Number(r.idx)), size);
    const leaves: PackLeaf[] = inTree.map((r, i) => ({
      index: Number(r.idx),
      kind: r.kind,
      key: r.fact_key,
      leaf: r.leaf,
      leafHash: (r.leaf_hash as Buffer).toString('base64'),
      proof: proofs[i],
    }));
    const source = offlineVerifierSource();
    return {
      format: PACK_FORMAT,
      origin: this.log.origin,
      provinceCode,
      year,
      generatedAt: new Date().toISOString(),
      checkpoint: { note: checkpoint?.note ?? '', size, rootHash: checkpoint?.rootHash ?? '' },
      publicKeys: this.log.verifierKeys(),
      leafEncoding: 'leaf = RFC 8785 canonical JSON of {kind, v, fact}; leaf hash = SHA-256(0x00 ‖ leaf); proofs per RFC 6962 / RFC 9162',
      leaves,
      verifier: {
        fileName: VERIFIER_FILE_NAME,
        sha256: createHash('sha256').update(source).digest('hex'),
        usage: `node -e "require('fs').writeFileSync('${VERIFIER_FILE_NAME}', require('./pack.json').verifier.source)" && node ${VERIFIER_FILE_NAME} pack.json`,
        source,
      },
    };
  }
}
