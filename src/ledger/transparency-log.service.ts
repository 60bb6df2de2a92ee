import { Inject, Injectable, Logger } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { InjectPool, withTransaction } from '../platform/database/database.module';
import { SigningKey, checkpointBody, signNote, signingKeys } from './checkpoint-signer';
import { LedgerMetrics } from './ledger-metrics';
import { LeafFields, encodeLeaf, latestLeafVersion, tableLeafType } from './leaf-types';
import { NodeRef, Range, buildNodes, consistencyRanges, frontier, inclusionRanges, nodeKey, perfectSubtrees, rangeHash } from './merkle';

type Db = Pick<PoolClient, 'query'>;

export interface SignedCheckpoint {
  id: number;
  treeSize: number;
  rootHash: string;
  /** the C2SP signed note, verbatim */
  note: string;
  keyId: string;
  createdAt: Date;
}

export interface InclusionProof {
  kind: string;
  key: string;
  index: number;
  leaf: string;
  leafHash: string;
  treeSize: number;
  proof: string[];
  checkpoint: SignedCheckpoint;
}

/** One transaction at a time appends; replicas queue on this lock. */
const APPEND_LOCK = `hashtext('ledger:append')`;
const APPEND_BATCH = 5000;

/**
 * The transparency log: an append-only RFC 6962 Merkle tree over the facts the scores rest on.
 *
 * Facts reach it through `ledger_outbox`: table rows by the capture triggers, other facts by `append()`, both in
 * the transaction that creates the fact. `appendPending()` moves them into the tree in order, under one advisory
 * lock (safe with any number of replicas), at most once per (kind, key). The tree keeps every perfect subtree's
 * hash (`ledger_node`), so a proof reads O(log² n) nodes.
 */
@Injectable()
export class TransparencyLogService {
  private readonly logger = new Logger(TransparencyLogService.name);
  readonly origin: string;
  private readonly keys: SigningKey[];
  private readonly activeKey: SigningKey | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
    private readonly metrics: LedgerMetrics,
  ) {
    this.origin = config.LEDGER_ORIGIN;
    this.keys = config.ledgerKeyRing ? signingKeys(this.origin, config.ledgerKeyRing) : [];
    this.activeKey = this.keys.find((k) => k.id === config.ledgerKeyRing?.activeKeyId);
  }

  /**
   * Logs a fact that is not a captured table row (a review decision, a publication, a catalogue version):
   * `fields` must be plain JSON (strings, integers, booleans, null, arrays, objects) and documented. Pass the
   * transaction that records the fact so both commit together. Idempotent per (kind, key).
   */
  async append(kind: string, key: string, fields: LeafFields, db: Db = this.pool): Promise<void> {
    if (tableLeafType(kind)) throw new Error(`${kind} facts are captured from their table, not appended`);
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(kind) || key.length === 0) throw new Error(`bad leaf kind or key: ${kind} ${key}`);
    encodeLeaf(kind, 1, fields); // fails now rather than in the appender
    await db.query(`INSERT INTO ledger_outbox (kind, fact_key, fields) VALUES ($1, $2, $3)`, [kind, key, JSON.stringify(fields)]);
  }

  /** Moves everything waiting in the outbox into the tree; returns how many leaves were added and the new size. */
  async appendPending(): Promise<{ appended: number; size: number }> {
    let appended = 0;
    for (;;) {
      const batch = await withTransaction(this.pool, (db) => this.appendBatch(db));
      appended += batch.appended;
      if (!batch.more) {
        if (appended > 0) this.metrics.appended(appended, batch.size);
        return { appended, size: batch.size };
      }
    }
  }

  private async appendBatch(db: PoolClient): Promise<{ appended: number; size: number; more: boolean }> {
    await db.query(`SELECT pg_advisory_xact_lock(${APPEND_LOCK})`);
    const size = await this.treeSize(db);
    const { rows } = await db.query(`SELECT id, kind, fact_key, fields FROM ledger_outbox ORDER BY id LIMIT ${APPEND_BATCH}`);
    if (rows.length === 0) return { appended: 0, size, more: false };
    const { rows: present } = await db.query(
      `SELECT kind, fact_key FROM ledger_leaf l JOIN unnest($1::text[], $2::text[]) AS x(kind, fact_key) USING (kind, fact_key)`,
      [rows.map((r) => r.kind), rows.map((r) => r.fact_key)],
    );
    const seen = new Set(present.map((p) => `${p.kind}\u0000${p.fact_key}`));
    const leaves: Array<{ kind: string; key: string; version: number; leaf: string; hash: Buffer }> = [];
    for (const r of rows) {
      const id = `${r.kind}\u0000${r.fact_key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const type = tableLeafType(r.kind);
      const version = type ? latestLeafVersion(type) : 1;
      leaves.push({ kind: r.kind, key: r.fact_key, version, ...encodeLeaf(r.kind, version, r.fields) });
    }
    if (leaves.length > 0) {
      const known = await this.nodes(db, frontier(size));
      const nodes = buildNodes(size, leaves.map((l) => l.hash), known);
      await db.query(
        `INSERT INTO ledger_leaf (idx, kind, fact_key, leaf_version, leaf, leaf_hash)
         SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::int2[], $5::text[], $6::bytea[])`,
        [leaves.map((_, i) => size + i), leaves.map((l) => l.kind), leaves.map((l) => l.key), leaves.map((l) => l.version), leaves.map((l) => l.leaf), leaves.map((l) => l.hash)],
      );
      const all = [...leaves.map((l, i) => ({ level: 0, index: size + i, hash: l.hash })), ...nodes];
      await db.query(`INSERT INTO ledger_node (level, idx, hash) SELECT * FROM unnest($1::int2[], $2::int8[], $3::bytea[])`, [
        all.map((n) => n.level),
        all.map((n) => n.index),
        all.map((n) => n.hash),
      ]);
    }
    await db.query(`DELETE FROM ledger_outbox WHERE id = ANY($1::int8[])`, [rows.map((r) => r.id)]);
    return { appended: leaves.length, size: size + leaves.length, more: rows.length === APPEND_BATCH };
  }

  async treeSize(db: Db = this.pool): Promise<number> {
    const { rows } = await db.query(`SELECT COALESCE(max(idx) + 1, 0)::int8 AS size FROM ledger_leaf`);
    return Number(rows[0].size);
  }

  private async nodes(db: Db, refs: NodeRef[]): Promise<Map<string, Buffer>> {
    const map = new Map<string, Buffer>();
    if (refs.length === 0) return map;
    const { rows } = await db.query(
      `SELECT n.level, n.idx, n.hash FROM ledger_node n JOIN unnest($1::int2[], $2::int8[]) AS x(level, idx) USING (level, idx)`,
      [refs.map((r) => r.level), refs.map((r) => r.index)],
    );
    for (const r of rows) map.set(nodeKey({ level: r.level, index: Number(r.idx) }), r.hash);
    for (const ref of refs) if (!map.has(nodeKey(ref))) throw new Error(`ledger node ${nodeKey(ref)} is missing`);
    return map;
  }

  /** The hashes of the given ranges of the tree, from its stored nodes (one query). */
  async rangeHashes(ranges: Range[], db: Db = this.pool): Promise<Buffer[]> {
    const refs = [...new Map(ranges.flatMap((r) => perfectSubtrees(r)).map((n) => [nodeKey(n), n])).values()];
    const map = await this.nodes(db, refs);
    return ranges.map((r) => rangeHash(r, (n) => map.get(nodeKey(n))!));
  }

  async rootAt(size: number, db: Db = this.pool): Promise<Buffer> {
    return (await this.rangeHashes([[0, size]], db))[0];
  }

  /** Public keys (C2SP verifier keys) of every configured checkpoint key, the retired ones included. */
  verifierKeys(): string[] {
    return this.keys.map((k) => k.vkey);
  }

  /**
   * Signs a checkpoint of the current tree: `if-grown` when leaves were added since the last one (after a
   * scoring batch), `if-due` when the last one is older than LEDGER_CHECKPOINT_INTERVAL_MS (the hourly one),
   * `always`. Returns the newest checkpoint (null while the log is empty).
   */
  async checkpoint(when: 'if-grown' | 'if-due' | 'always' = 'if-grown'): Promise<SignedCheckpoint | null> {
    if (!this.activeKey) throw new Error('no ledger signing key configured (LEDGER_SIGNING_KEYS or CREDENTIALS_KEYS)');
    const key = this.activeKey;
    return withTransaction(this.pool, async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(${APPEND_LOCK})`);
      const size = await this.treeSize(db);
      const latest = await this.latestCheckpoint(db);
      const grown = !latest || latest.treeSize !== size;
      const due = !latest || Date.now() - latest.createdAt.getTime() >= this.config.LEDGER_CHECKPOINT_INTERVAL_MS;
      if ((when === 'if-grown' && !grown) || (when === 'if-due' && !due)) return latest;
      if (size === 0) return latest;
      const root = await this.rootAt(size, db);
      const time = new Date(Math.max(Date.now(), (latest?.createdAt.getTime() ?? 0) + 1));
      const note = signNote(checkpointBody(this.origin, size, root, time), this.origin, [key]);
      const { rows } = await db.query(
        `INSERT INTO ledger_checkpoint (tree_size, root_hash, note, key_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [size, root, note, key.id, time],
      );
      this.logger.log({ treeSize: size, keyId: key.id }, 'ledger checkpoint signed');
      return toCheckpoint(rows[0]);
    });
  }

  async latestCheckpoint(db: Db = this.pool): Promise<SignedCheckpoint | null> {
    const { rows } = await db.query(`SELECT * FROM ledger_checkpoint ORDER BY id DESC LIMIT 1`);
    return rows.length ? toCheckpoint(rows[0]) : null;
  }

  async checkpointOfSize(size: number): Promise<SignedCheckpoint | null> {
    const { rows } = await this.pool.query(`SELECT * FROM ledger_checkpoint WHERE tree_size = $1 ORDER BY id DESC LIMIT 1`, [size]);
    return rows.length ? toCheckpoint(rows[0]) : null;
  }

  /** A checkpoint that covers leaf `index`: the latest, or a new one if the leaf came after it. */
  async checkpointCovering(index: number): Promise<SignedCheckpoint> {
    const latest = await this.latestCheckpoint();
    if (latest && latest.treeSize > index) return latest;
    const fresh = await this.checkpoint('if-grown');
    if (!fresh || fresh.treeSize <= index) throw new Error(`leaf ${index} is not in the log yet`);
    return fresh;
  }

  /** The leaf of a fact, or null when it is not logged (yet). */
  async leafOf(kind: string, key: string): Promise<{ index: number; leaf: string; leafHash: Buffer } | null> {
    const { rows } = await this.pool.query(`SELECT idx, leaf, leaf_hash FROM ledger_leaf WHERE kind = $1 AND fact_key = $2`, [kind, key]);
    return rows.length ? { index: Number(rows[0].idx), leaf: rows[0].leaf, leafHash: rows[0].leaf_hash } : null;
  }

  /** Inclusion proof of a fact in a signed checkpoint (the latest one, or the newest of `treeSize`). */
  async inclusionProof(kind: string, key: string, treeSize?: number): Promise<InclusionProof | null> {
    let leaf = await this.leafOf(kind, key);
    if (!leaf) {
      await this.appendPending();
      leaf = await this.leafOf(kind, key);
      if (!leaf) return null;
    }
    const checkpoint = treeSize === undefined ? await this.checkpointCovering(leaf.index) : await this.checkpointOfSize(treeSize);
    if (!checkpoint || checkpoint.treeSize <= leaf.index) return null;
    const proof = await this.rangeHashes(inclusionRanges(leaf.index, checkpoint.treeSize));
    return {
      kind,
      key,
      index: leaf.index,
      leaf: leaf.leaf,
      leafHash: leaf.leafHash.toString('base64'),
      treeSize: checkpoint.treeSize,
      proof: proof.map((p) => p.toString('base64')),
      checkpoint,
    };
  }

  /** Proofs for many leaves against one checkpoint (the pack): nodes fetched in one query. */
  async inclusionProofs(indexes: number[], size: number): Promise<string[][]> {
    const ranges = indexes.map((i) => inclusionRanges(i, size));
    const hashes = await this.rangeHashes(ranges.flat());
    const out: string[][] = [];
    let at = 0;
    for (const r of ranges) {
      out.push(hashes.slice(at, at + r.length).map((h) => h.toString('base64')));
      at += r.length;
    }
    return out;
  }

  /** RFC 6962 consistency proof between two tree sizes (0 < first ≤ second ≤ current size). */
  async consistencyProof(first: number, second: number): Promise<string[]> {
    const size = await this.treeSize();
    if (first <= 0 || first > second || second > size) throw new RangeError(`no consistency proof from ${first} to ${second} (tree size ${size})`);
    return (await this.rangeHashes(consistencyRanges(first, second))).map((h) => h.toString('base64'));
  }
}

function toCheckpoint(r: Record<string, any>): SignedCheckpoint {
  return { id: Number(r.id), treeSize: Number(r.tree_size), rootHash: (r.root_hash as Buffer).toString('base64'), note: r.note, keyId: r.key_id, createdAt: r.created_at };
}
