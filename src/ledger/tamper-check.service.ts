import { Injectable, Logger } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { InjectPool, withTransaction } from '../platform/database/database.module';
import { LedgerMetrics } from './ledger-metrics';
import { TABLE_LEAF_TYPES, TableLeafType, encodeLeaf } from './leaf-types';
import { EMPTY_ROOT } from './merkle';
import { leafHash, nodeHash, parseCheckpoint, parseSignedNote, verifiedSigners } from './verifier/ledger-verifier';
import { TransparencyLogService } from './transparency-log.service';

export type Problem = 'changed' | 'removed' | 'added' | 'leaf_corrupt' | 'tree_corrupt';

export interface TamperFinding {
  kind: string;
  key: string;
  problem: Problem;
  detail: string;
}

export interface TamperCheckResult {
  checkedAt: Date;
  rowsChecked: number;
  leavesChecked: number;
  treeSize: number;
  findings: TamperFinding[];
  durationMs: number;
}

const PAGE = 2000;

/**
 * Re-derives every leaf from the stored rows and compares it with the log: a row changed (its leaf differs), a
 * row removed (a leaf without its row) or a row added outside the service (a row without leaf or pending
 * outbox entry) is a finding naming the row. It also re-hashes the log itself against the latest signed
 * checkpoint. Findings are kept in `ledger_finding` (resolved when no longer seen), logged as errors and
 * counted in the metrics; open findings show in /health/ready.
 */
@Injectable()
export class TamperCheckService {
  private readonly logger = new Logger(TamperCheckService.name);

  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly log: TransparencyLogService,
    private readonly metrics: LedgerMetrics,
  ) {}

  async run(): Promise<TamperCheckResult> {
    const started = Date.now();
    await this.log.appendPending();
    const findings: TamperFinding[] = [];
    let rowsChecked = 0;
    const { leavesChecked, treeSize } = await withTransaction(this.pool, async (db) => {
      await db.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
      await db.query(`SET LOCAL timezone TO 'UTC'`);
      for (const type of TABLE_LEAF_TYPES) rowsChecked += await this.checkTable(db, type, findings);
      return this.checkLog(db, findings);
    });
    await this.record(findings);
    const result: TamperCheckResult = { checkedAt: new Date(started), rowsChecked, leavesChecked, treeSize, findings, durationMs: Date.now() - started };
    this.metrics.tamperChecked(result);
    for (const f of findings) this.logger.error({ alert: 'ledger_tamper', ...f }, `ledger tamper finding: ${f.kind} ${f.key} ${f.problem}`);
    return result;
  }

  private async checkTable(db: PoolClient, t: TableLeafType, findings: TamperFinding[]): Promise<number> {
    const key = `t.${t.keyColumn}`;
    const typed = t.keyColumn === 'id' ? 'bigint' : 'text';
    let after: string = t.keyColumn === 'id' ? '-1' : '';
    let checked = 0;
    for (;;) {
      const { rows } = await db.query(
        `SELECT ${key}::text AS key, ${t.checkSql} AS fields, l.leaf_version, l.leaf, l.leaf_hash,
                EXISTS (SELECT 1 FROM ledger_outbox o WHERE o.kind = $1 AND o.fact_key = ${key}::text) AS pending
           FROM ${t.table} t LEFT JOIN ledger_leaf l ON l.kind = $1 AND l.fact_key = ${key}::text
          WHERE ${key} > $2::${typed} ORDER BY ${key} LIMIT ${PAGE}`,
        [t.kind, after],
      );
      for (const r of rows) {
        if (r.leaf_hash === null) {
          if (!r.pending) findings.push({ kind: t.kind, key: r.key, problem: 'added', detail: `row of ${t.table} is not in the log: inserted outside the service` });
          continue;
        }
        const derived = encodeLeaf(t.kind, r.leaf_version, r.fields);
        if (!derived.hash.equals(r.leaf_hash)) {
          findings.push({ kind: t.kind, key: r.key, problem: 'changed', detail: `row of ${t.table} differs from its logged leaf in: ${differingFields(r.leaf, derived.leaf).join(', ')}` });
        }
      }
      checked += rows.length;
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].key;
    }
    const { rows: removed } = await db.query(
      `SELECT l.fact_key FROM ledger_leaf l WHERE l.kind = $1
          AND NOT EXISTS (SELECT 1 FROM ${t.table} t WHERE t.${t.keyColumn} = l.fact_key::${typed})`,
      [t.kind],
    );
    for (const r of removed) findings.push({ kind: t.kind, key: r.fact_key, problem: 'removed', detail: `row of ${t.table} logged at append time no longer exists` });
    return checked;
  }

  /** Re-hashes every leaf and rebuilds the root of the latest checkpoint from them; checks its signature. */
  private async checkLog(db: PoolClient, findings: TamperFinding[]): Promise<{ leavesChecked: number; treeSize: number }> {
    const checkpoint = await this.log.latestCheckpoint(db);
    const size = await this.log.treeSize(db);
    const stack: Array<{ level: number; hash: Buffer }> = [];
    let checked = 0;
    for (let from = 0; from < size; from += PAGE * 5) {
      const { rows } = await db.query(`SELECT idx, kind, fact_key, leaf, leaf_hash FROM ledger_leaf WHERE idx >= $1 AND idx < $2 ORDER BY idx`, [from, from + PAGE * 5]);
      for (const r of rows) {
        if (Number(r.idx) !== checked) {
          findings.push({ kind: 'ledger', key: String(checked), problem: 'tree_corrupt', detail: `leaf ${checked} is missing from the log` });
          return { leavesChecked: checked, treeSize: size };
        }
        const hash = leafHash(Buffer.from(r.leaf, 'utf8'));
        if (!hash.equals(r.leaf_hash)) findings.push({ kind: r.kind, key: r.fact_key, problem: 'leaf_corrupt', detail: `leaf ${checked} does not hash to its stored leaf hash` });
        if (checkpoint && checked < checkpoint.treeSize) {
          stack.push({ level: 0, hash });
          while (stack.length > 1 && stack[stack.length - 1].level === stack[stack.length - 2].level) {
            const right = stack.pop()!;
            const left = stack.pop()!;
            stack.push({ level: left.level + 1, hash: nodeHash(left.hash, right.hash) });
          }
        }
        checked++;
      }
    }
    if (checkpoint) {
      let root = stack.length ? stack[stack.length - 1].hash : EMPTY_ROOT;
      for (let i = stack.length - 2; i >= 0; i--) root = nodeHash(stack[i].hash, root);
      const body = parseCheckpoint(parseSignedNote(checkpoint.note).text);
      const signed = verifiedSigners(checkpoint.note, this.log.verifierKeys()).length > 0;
      if (!root.equals(body.rootHash) || Number(body.size) !== checkpoint.treeSize || !signed) {
        findings.push({ kind: 'ledger', key: `checkpoint-${checkpoint.id}`, problem: 'tree_corrupt', detail: 'the leaves no longer hash to the latest signed checkpoint (or its signature fails)' });
      } else if (!(await this.log.rootAt(checkpoint.treeSize, db)).equals(root)) {
        findings.push({ kind: 'ledger', key: `checkpoint-${checkpoint.id}`, problem: 'tree_corrupt', detail: 'stored tree nodes disagree with the leaves' });
      }
    }
    return { leavesChecked: checked, treeSize: size };
  }

  /** Keeps the open findings: new ones inserted, seen ones touched, the others resolved. */
  private async record(findings: TamperFinding[]): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('ledger:findings'))`);
      await db.query(
        `INSERT INTO ledger_finding (kind, fact_key, problem, detail) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (kind, fact_key, problem) WHERE resolved_at IS NULL DO UPDATE SET last_seen_at = now(), detail = EXCLUDED.detail`,
        [findings.map((f) => f.kind), findings.map((f) => f.key), findings.map((f) => f.problem), findings.map((f) => f.detail)],
      );
      await db.query(
        `UPDATE ledger_finding f SET resolved_at = now() WHERE resolved_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS x(kind, fact_key, problem)
                             WHERE x.kind = f.kind AND x.fact_key = f.fact_key AND x.problem = f.problem)`,
        [findings.map((f) => f.kind), findings.map((f) => f.key), findings.map((f) => f.problem)],
      );
    });
  }

  async openFindings(limit = 1000): Promise<Array<Record<string, unknown>>> {
    const { rows } = await this.pool.query(
      `SELECT id, kind, fact_key AS key, problem, detail, first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"
         FROM ledger_finding WHERE resolved_at IS NULL ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async openFindingCount(): Promise<number> {
    const { rows } = await this.pool.query(`SELECT count(*)::int AS n FROM ledger_finding WHERE resolved_at IS NULL`);
    return rows[0].n;
  }
}

/** Names of the fact fields that differ between two leaves (values are not repeated in findings). */
function differingFields(logged: string, derived: string): string[] {
  const a = (JSON.parse(logged).fact ?? {}) as Record<string, unknown>;
  const b = (JSON.parse(derived).fact ?? {}) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  return names.length ? names : ['(encoding)'];
}
