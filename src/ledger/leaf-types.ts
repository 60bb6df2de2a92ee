import canonicalize from 'canonicalize';
import { leafHash } from './verifier/ledger-verifier';

/**
 * What the transparency log records. Every leaf is the RFC 8785 canonical JSON of
 * `{"kind": <kind>, "v": <leaf version>, "fact": {<documented fields>}}`, and its hash is SHA-256(0x00 ‖ leaf).
 *
 * Table facts are captured by a database trigger in the transaction that inserts the row (see the migration
 * `TransparencyLog1766600000000`): the row's columns as JSON, numbers as decimal strings exactly as stored,
 * timestamps in UTC. The tamper check re-derives the same fields from the stored row. A leaf keeps the version
 * of its field list, so a later version (more fields) never makes older leaves look changed.
 */
export interface TableLeafType {
  kind: string;
  table: string;
  /** primary-key column; the fact key is its text */
  keyColumn: string;
  /** field lists by leaf version; the last is the one new leaves use */
  fields: Record<number, readonly string[]>;
  /** SQL over the row `t` giving the fields as the trigger captured them (see the migration) */
  captureSql: string;
  /** SQL over the stored row `t` re-deriving the fields for the tamper check */
  checkSql: string;
  /** column holding the province, for access scoping of leaf contents (null: resolved otherwise) */
  provinceColumn: string | null;
}

const ROW = 'ledger_row(to_jsonb(t))';
const RAW_CAPTURE = `jsonb_build_object('digest', t.digest, 'size', t.size::text, 'content_type', t.content_type)`;
// the bytes themselves are re-hashed: a changed body no longer matches the digest it was logged under
const RAW_CHECK = `jsonb_build_object('digest', encode(sha256(t.body), 'hex'), 'size', length(t.body)::text, 'content_type', t.content_type)`;

export const TABLE_LEAF_TYPES: readonly TableLeafType[] = [
  {
    kind: 'raw_payload',
    table: 'raw_payload',
    keyColumn: 'digest',
    fields: { 1: ['digest', 'size', 'content_type'] },
    captureSql: RAW_CAPTURE,
    checkSql: RAW_CHECK,
    provinceColumn: null,
  },
  {
    kind: 'evidence_computation',
    table: 'evidence_computation',
    keyColumn: 'id',
    fields: { 1: ['id', 'province_code', 'source_kind', 'period_kind', 'period_key', 'rule_version', 'as_of', 'record_count', 'run_ids', 'raw_digests'] },
    captureSql: ROW,
    checkSql: ROW,
    provinceColumn: 'province_code',
  },
  {
    kind: 'evidence_record',
    table: 'evidence_record',
    keyColumn: 'id',
    fields: {
      1: ['id', 'computation_id', 'province_code', 'period_kind', 'period_key', 'year', 'metric', 'subject', 'numerator', 'denominator', 'value', 'rule_version', 'version', 'content_digest'],
    },
    captureSql: ROW,
    checkSql: ROW,
    provinceColumn: 'province_code',
  },
  {
    kind: 'score',
    table: 'score',
    keyColumn: 'id',
    fields: {
      1: [
        'id', 'province_code', 'year', 'period_kind', 'period_key', 'framework', 'catalogue_version', 'sub_criterion', 'rule_digest',
        'status', 'value', 'points', 'max_points', 'evidence_ids', 'imported_ids', 'version', 'content_digest', 'computed_at',
      ],
    },
    captureSql: ROW,
    checkSql: ROW,
    provinceColumn: 'province_code',
  },
  {
    kind: 'manual_evidence',
    table: 'manual_evidence',
    keyColumn: 'id',
    fields: {
      1: ['id', 'province_code', 'year', 'catalogue_version', 'sub_criterion', 'title', 'document_kind', 'raw_digest', 'file_name', 'content_type', 'size', 'attached_by', 'attached_by_role', 'version', 'created_at'],
    },
    captureSql: ROW,
    checkSql: ROW,
    provinceColumn: 'province_code',
  },
  {
    kind: 'imported_value',
    table: 'imported_value',
    keyColumn: 'id',
    fields: { 1: ['id', 'upload_id', 'province_code', 'year', 'import_key', 'value', 'max_value', 'row_number', 'version'] },
    captureSql: ROW,
    checkSql: ROW,
    provinceColumn: 'province_code',
  },
];

/**
 * Facts appended through `TransparencyLogService.append` rather than captured from a table. Their fields are
 * the caller's (documented here); the leaf itself is the record of the fact.
 */
export const APPENDED_LEAF_TYPES: Record<string, string> = {
  catalogue_version: 'catalogue_key, framework, digest (SHA-256 of the catalogue), years_from, years_to',
  results_publication: 'year, published_at, published_by, rows, scoreboard_sha256 (SHA-256 of the RFC 8785 JSON of the published table)',
  manual_evidence_withdrawal: 'manual_evidence_id, province_code, year, catalogue_version, sub_criterion, raw_digest, withdrawn_by, reason, withdrawn_at',
  // appraisal (src/appraisal/appraisal-ledger.ts): appended in the transaction that records the decision
  review_decision:
    'id, manual_evidence_id, province_code, year, catalogue_version, sub_criterion, raw_digest, decision (accepted|rejected), points (decimal string or null), max_points (decimal string), reason, reviewer, reviewer_role, created_at',
  appraisal_decision:
    'id, province_code, year, catalogue_version, action (submit|start|approve|return|reopen), from_state, to_state, reasons, actor, actor_role, evidence_set_digest (SHA-256 of the canonical evidence set, on submit and approve), created_at',
};

export function tableLeafType(kind: string): TableLeafType | undefined {
  return TABLE_LEAF_TYPES.find((t) => t.kind === kind);
}

export function latestLeafVersion(t: TableLeafType): number {
  return Math.max(...Object.keys(t.fields).map(Number));
}

export type LeafFields = Record<string, unknown>;

/** The fact as logged: the documented fields of a table row (missing ones as null), or the appended fields as given. */
export function factOf(kind: string, version: number, fields: LeafFields): LeafFields {
  const t = tableLeafType(kind);
  if (!t) return fields;
  const names = t.fields[version];
  if (!names) throw new Error(`leaf type ${kind} has no version ${version}`);
  return Object.fromEntries(names.map((n) => [n, fields[n] ?? null]));
}

/** The leaf bytes (RFC 8785 canonical JSON) and their RFC 6962 leaf hash. */
export function encodeLeaf(kind: string, version: number, fields: LeafFields): { leaf: string; hash: Buffer } {
  const leaf = canonicalize({ kind, v: version, fact: factOf(kind, version, fields) });
  if (leaf === undefined) throw new Error(`leaf of ${kind} cannot be encoded`);
  return { leaf, hash: leafHash(Buffer.from(leaf, 'utf8')) };
}
