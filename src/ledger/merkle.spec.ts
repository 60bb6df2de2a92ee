import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EMPTY_ROOT, NodeRef, buildNodes, consistencyRanges, frontier, inclusionRanges, nodeKey, rangeHash, splitPoint } from './merkle';
import { leafHash, nodeHash, verifyConsistency, verifyInclusion } from './verifier/ledger-verifier';

const FIXTURES = resolve(__dirname, '../../test/fixtures/merkle');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.json') ? [path] : [];
  });
}

/** Reads a vector keeping sizes beyond 2^53 exact (they are compared as bigint). */
function readVector(path: string): Record<string, any> {
  const text = readFileSync(path, 'utf8').replace(/"(leafIdx|treeSize|size1|size2)":\s*(-?\d+)/g, '"$1": "$2"');
  return JSON.parse(text);
}
const b64 = (s: string | null | undefined): Buffer => Buffer.from(s ?? '', 'base64');
const proofOf = (p: string[] | null): Buffer[] | null => (p === null ? null : p.map(b64));

describe('RFC 6962 proof vectors (transparency-dev/merkle testdata)', () => {
  const inclusion = files(join(FIXTURES, 'inclusion'));
  const consistency = files(join(FIXTURES, 'consistency'));

  it('has every vector of the upstream folders', () => {
    expect(inclusion).toHaveLength(98);
    expect(consistency).toHaveLength(98);
  });

  it.each(inclusion.map((f) => [relative(FIXTURES, f), f]))('inclusion %s', (_name, file) => {
    const v = readVector(file);
    const ok = verifyInclusion(BigInt(v.leafIdx), BigInt(v.treeSize), b64(v.leafHash), proofOf(v.proof), b64(v.root));
    expect(ok).toBe(!v.wantErr);
  });

  it.each(consistency.map((f) => [relative(FIXTURES, f), f]))('consistency %s', (_name, file) => {
    const v = readVector(file);
    const ok = verifyConsistency(BigInt(v.size1), BigInt(v.size2), proofOf(v.proof), b64(v.root1), b64(v.root2));
    expect(ok).toBe(!v.wantErr);
  });
});

/** The RFC's recursive definitions over the leaves themselves, as a reference for the stored-node version. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = splitPoint(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function subproof(m: number, leaves: Buffer[], b: boolean): Buffer[] {
  if (m === leaves.length) return b ? [] : [mth(leaves)];
  const k = splitPoint(leaves.length);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), b), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

describe('proofs from stored perfect subtrees', () => {
  const N = 37;
  const leaves = Array.from({ length: N }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  // nodes built incrementally, in uneven batches, as the log appends them
  const nodes = new Map<string, Buffer>();
  for (let from = 0, batch = 1; from < N; from += batch, batch = (batch % 5) + 1) {
    const known = new Map<string, Buffer>();
    for (const f of frontier(from)) known.set(nodeKey(f), nodes.get(nodeKey(f))!);
    const chunk = leaves.slice(from, from + batch);
    chunk.forEach((h, i) => nodes.set(nodeKey({ level: 0, index: from + i }), h));
    for (const n of buildNodes(from, chunk, known)) nodes.set(nodeKey(n), n.hash);
  }
  const node = (n: NodeRef) => {
    const h = nodes.get(nodeKey(n));
    if (!h) throw new Error(`node ${nodeKey(n)} not stored`);
    return h;
  };

  it('stores about 2n nodes and computes every root as the RFC defines it', () => {
    expect(nodes.size).toBeLessThanOrEqual(2 * N);
    for (let size = 1; size <= N; size++) expect(rangeHash([0, size], node).equals(mth(leaves.slice(0, size)))).toBe(true);
  });

  it('gives the RFC inclusion proof for every leaf of every tree size, and it verifies', () => {
    for (let size = 1; size <= N; size++) {
      const root = mth(leaves.slice(0, size));
      for (let m = 0; m < size; m++) {
        const proof = inclusionRanges(m, size).map((r) => rangeHash(r, node));
        expect(proof).toEqual(path(m, leaves.slice(0, size)));
        expect(verifyInclusion(m, size, leaves[m], proof, root)).toBe(true);
        if (proof.length > 0) expect(verifyInclusion(m, size, leaves[(m + 1) % size], proof, root)).toBe(m === (m + 1) % size);
      }
    }
  });

  it('gives the RFC consistency proof between every pair of sizes, and it verifies', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyRanges(m, n).map((r) => rangeHash(r, node));
        expect(proof).toEqual(m === n ? [] : subproof(m, leaves.slice(0, n), true));
        expect(verifyConsistency(m, n, proof, mth(leaves.slice(0, m)), mth(leaves.slice(0, n)))).toBe(true);
        if (m < n) expect(verifyConsistency(m, n, proof, mth(leaves.slice(0, m - 1 || 1)), mth(leaves.slice(0, n)))).toBe(m === 1);
      }
    }
  });

  it('refuses proofs outside the tree', () => {
    expect(() => inclusionRanges(5, 5)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 5)).toThrow(RangeError);
    expect(() => consistencyRanges(6, 5)).toThrow(RangeError);
  });
});
