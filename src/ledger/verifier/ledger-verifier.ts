/**
 * The ledger's verifier: RFC 6962 / RFC 9162 Merkle proof verification, C2SP signed-note checkpoints with
 * Ed25519 keys, and the offline check of a province-year JSON pack.
 *
 * This file must stay dependency-free (Node.js built-ins only, no project imports): compiled to JavaScript it
 * is shipped inside every JSON pack and run by auditors as `node verify-pack.cjs pack.json` on a machine
 * without the service or its database. The service and `npm run verify` use the very same code.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type Size = number | bigint;

export function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** RFC 6962 §2.1: leaf hash = SHA-256(0x00 ‖ leaf). */
export function leafHash(leaf: Buffer): Buffer {
  return sha256(Buffer.from([0]), leaf);
}

/** RFC 6962 §2.1: interior node = SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.from([1]), left, right);
}

const big = (n: Size): bigint => (typeof n === 'bigint' ? n : BigInt(n));
const lsb = (n: bigint): boolean => (n & 1n) === 1n;
const isHash = (b: Buffer | null | undefined): b is Buffer => Buffer.isBuffer(b) && b.length === 32;

/** RFC 9162 §2.1.3.2: does `proof` show that `leaf` (a leaf hash) is at `index` in the tree of `size` with `root`? */
export function verifyInclusion(index: Size, size: Size, leaf: Buffer, proof: Buffer[] | null, root: Buffer): boolean {
  const path = proof ?? [];
  let fn = big(index);
  let sn = big(size) - 1n;
  if (big(index) >= big(size) || big(index) < 0n || !isHash(leaf) || !isHash(root) || !path.every(isHash)) return false;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of `size2` with `root2` an append-only extension of the one of `size1` with `root1`? */
export function verifyConsistency(size1: Size, size2: Size, proof: Buffer[] | null, root1: Buffer, root2: Buffer): boolean {
  const s1 = big(size1);
  const s2 = big(size2);
  const path = [...(proof ?? [])];
  if (s1 <= 0n || s1 > s2) return false;
  if (s1 === s2) return path.length === 0 && root1.equals(root2);
  if (path.length === 0 || !isHash(root1) || !isHash(root2) || !path.every(isHash)) return false;
  if ((s1 & (s1 - 1n)) === 0n) path.unshift(root1);
  let fn = s1 - 1n;
  let sn = s2 - 1n;
  while (lsb(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0n;
}

// ---- C2SP signed notes (https://c2sp.org/signed-note) and checkpoints (https://c2sp.org/tlog-checkpoint) ----

const ED25519_ALG = 0x01;
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Key ID of an Ed25519 note key: the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). */
export function noteKeyId(name: string, publicKey: Buffer): Buffer {
  return sha256(Buffer.from(`${name}\n`, 'utf8'), Buffer.from([ED25519_ALG]), publicKey).subarray(0, 4);
}

/** The verifier key string `<name>+<hex key id>+<base64(0x01 ‖ public key)>`. */
export function formatVerifierKey(name: string, publicKey: Buffer): string {
  return `${name}+${noteKeyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_ALG]), publicKey]).toString('base64')}`;
}

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
}

export function parseVerifierKey(vkey: string): VerifierKey {
  // the name holds no '+'; the base64 key may
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey);
  if (!m) throw new Error(`malformed verifier key: ${vkey}`);
  const [, name, hexId, b64] = m;
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519_ALG) throw new Error(`not an Ed25519 verifier key: ${vkey}`);
  const publicKey = raw.subarray(1);
  const keyId = noteKeyId(name, publicKey);
  if (keyId.toString('hex') !== hexId) throw new Error(`verifier key id does not match its key: ${vkey}`);
  return { name, keyId, publicKey };
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

/** Splits a signed note into its text (ending with a newline) and signature lines. */
export function parseSignedNote(note: string): { text: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('malformed note: no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) throw new Error(`malformed signature line: ${line}`);
    const raw = Buffer.from(m[2], 'base64');
    if (raw.length < 5) throw new Error(`signature too short: ${line}`);
    signatures.push({ name: m[1], keyId: raw.subarray(0, 4), signature: raw.subarray(4) });
  }
  if (signatures.length === 0) throw new Error('note has no signature');
  return { text, signatures };
}

/** The names of the keys among `vkeys` whose signature on the note verifies. */
export function verifiedSigners(note: string, vkeys: string[]): string[] {
  const { text, signatures } = parseSignedNote(note);
  const keys = vkeys.map(parseVerifierKey);
  const signers: string[] = [];
  for (const s of signatures) {
    const key = keys.find((k) => k.name === s.name && k.keyId.equals(s.keyId));
    if (!key) continue;
    const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, key.publicKey]), format: 'der', type: 'spki' });
    if (verifySignature(null, Buffer.from(text, 'utf8'), publicKey, s.signature)) signers.push(`${key.name}+${key.keyId.toString('hex')}`);
  }
  return signers;
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  rootHash: Buffer;
  extensions: string[];
}

/** Reads the body of a checkpoint: origin, decimal tree size, base64 root hash, then optional extension lines. */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.length < 3) throw new Error('malformed checkpoint: needs origin, size and root hash lines');
  const [origin, size, root, ...extensions] = lines;
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size)) throw new Error('malformed checkpoint: bad origin or size');
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) throw new Error('malformed checkpoint: root hash must be 32 bytes in base64');
  if (extensions.some((e) => e === '')) throw new Error('malformed checkpoint: empty extension line');
  return { origin, size: BigInt(size), rootHash, extensions };
}

// ---- the province-year pack ----

export interface PackLeaf {
  index: number;
  kind: string;
  key: string;
  /** the leaf exactly as logged: RFC 8785 canonical JSON */
  leaf: string;
  leafHash: string;
  proof: string[];
}

export interface LedgerPack {
  format: string;
  origin: string;
  checkpoint: { note: string; size: number; rootHash: string };
  publicKeys: string[];
  leaves: PackLeaf[];
  [more: string]: unknown;
}

export interface PackReport {
  ok: boolean;
  signers: string[];
  treeSize: string;
  leavesChecked: number;
  problems: string[];
}

/**
 * Verifies a pack offline: the checkpoint's signature by one of the keys (`trustedKeys`, or the pack's own
 * keys when none are given), every leaf's hash and its inclusion proof against the checkpoint's root, and that
 * every evidence record a score cites is in the pack.
 */
export function verifyPack(pack: LedgerPack, trustedKeys: string[] = []): PackReport {
  const problems: string[] = [];
  let signers: string[] = [];
  let checkpoint: Checkpoint | null = null;
  try {
    signers = verifiedSigners(pack.checkpoint.note, trustedKeys.length > 0 ? trustedKeys : pack.publicKeys);
    if (signers.length === 0) problems.push('checkpoint: no valid signature by a trusted key');
    checkpoint = parseCheckpoint(parseSignedNote(pack.checkpoint.note).text);
    if (checkpoint.origin !== pack.origin) problems.push(`checkpoint: origin ${checkpoint.origin} is not the pack's ${pack.origin}`);
  } catch (error) {
    problems.push(`checkpoint: ${(error as Error).message}`);
  }
  const evidenceKeys = new Set<string>();
  for (const l of pack.leaves) if (l.kind === 'evidence_record') evidenceKeys.add(l.key);
  for (const l of pack.leaves) {
    const where = `leaf ${l.index} (${l.kind} ${l.key})`;
    const hash = leafHash(Buffer.from(l.leaf, 'utf8'));
    if (hash.toString('base64') !== l.leafHash) problems.push(`${where}: leaf hash does not match its content`);
    if (checkpoint && !verifyInclusion(l.index, checkpoint.size, hash, l.proof.map((p) => Buffer.from(p, 'base64')), checkpoint.rootHash)) {
      problems.push(`${where}: inclusion proof does not verify against the checkpoint`);
    }
    let parsed: { kind?: string; fact?: Record<string, unknown> } = {};
    try {
      parsed = JSON.parse(l.leaf);
    } catch {
      problems.push(`${where}: leaf is not JSON`);
    }
    if (parsed.kind !== l.kind) problems.push(`${where}: leaf says kind ${String(parsed.kind)}`);
    if (l.kind === 'score') {
      for (const id of (parsed.fact?.evidence_ids as unknown[]) ?? []) {
        if (!evidenceKeys.has(String(id))) problems.push(`${where}: cites evidence record ${String(id)}, which is not in the pack`);
      }
    }
  }
  return { ok: problems.length === 0, signers, treeSize: checkpoint ? String(checkpoint.size) : '?', leavesChecked: pack.leaves.length, problems };
}

/** Command line: `node verify-pack.cjs pack.json [--key <verifier key>]…`; exit code 0 only when everything verifies. */
export function main(argv: string[]): number {
  const keys: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--key') keys.push(argv[++i] ?? '');
    else files.push(argv[i]);
  }
  if (files.length !== 1) {
    process.stderr.write('usage: verify-pack pack.json [--key <name+keyid+base64 verifier key>]...\n');
    return 2;
  }
  let pack: LedgerPack;
  try {
    pack = JSON.parse(readFileSync(files[0], 'utf8')) as LedgerPack;
  } catch (error) {
    process.stderr.write(`cannot read ${files[0]}: ${(error as Error).message}\n`);
    return 2;
  }
  const report = verifyPack(pack, keys);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (keys.length === 0) process.stdout.write('note: the signature was checked with the keys in the pack itself; pass --key to pin the ministry\'s published key\n');
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
