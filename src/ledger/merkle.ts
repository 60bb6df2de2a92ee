import { nodeHash, sha256 } from './verifier/ledger-verifier';

/**
 * RFC 6962 / RFC 9162 Merkle tree arithmetic over stored *perfect subtrees*: node (level, index) is the hash of
 * leaves [index·2^level, (index+1)·2^level). Every range the proofs of RFC 9162 §2.1.3.1 and §2.1.4.1 ask for
 * splits into at most log2(n) such nodes, so a proof needs O(log² n) stored nodes whatever the tree size.
 */
export interface NodeRef {
  level: number;
  index: number;
}

export type Range = [start: number, end: number];

export const EMPTY_ROOT = sha256();

export const nodeKey = (n: NodeRef): string => `${n.level}:${n.index}`;

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** The perfect subtrees that make up a range of the RFC recursion, left to right (largest first). */
export function perfectSubtrees([start, end]: Range): NodeRef[] {
  const out: NodeRef[] = [];
  let s = start;
  while (s < end) {
    const len = end - s;
    const k = isPowerOfTwo(len) ? len : splitPoint(len);
    out.push({ level: Math.log2(k), index: s / k });
    s += k;
  }
  return out;
}

/** MTH of a range from the hashes of its perfect subtrees. */
export function rangeHash(range: Range, node: (n: NodeRef) => Buffer): Buffer {
  if (range[0] === range[1]) return EMPTY_ROOT;
  const parts = perfectSubtrees(range).map(node);
  let acc = parts[parts.length - 1];
  for (let i = parts.length - 2; i >= 0; i--) acc = nodeHash(parts[i], acc);
  return acc;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as ranges, ordered from the leaf to the root. */
export function inclusionRanges(index: number, size: number): Range[] {
  if (index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const out: Range[] = [];
  let [s, e, m] = [0, size, index];
  const stack: Range[] = [];
  while (e - s > 1) {
    const k = splitPoint(e - s);
    if (m < k) {
      stack.push([s + k, e]);
      e = s + k;
    } else {
      stack.push([s, s + k]);
      s += k;
      m -= k;
    }
  }
  while (stack.length > 0) out.push(stack.pop()!);
  return out;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) as ranges (0 < m ≤ n; empty when m = n). */
export function consistencyRanges(m: number, n: number): Range[] {
  if (m <= 0 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  if (m === n) return [];
  const stack: Range[] = [];
  let [s, e, mm, b] = [0, n, m, true];
  for (;;) {
    if (mm === e - s) {
      if (!b) stack.push([s, e]);
      break;
    }
    const k = splitPoint(e - s);
    if (mm <= k) {
      stack.push([s + k, e]);
      e = s + k;
    } else {
      stack.push([s, s + k]);
      s += k;
      mm -= k;
      b = false;
    }
  }
  return stack.reverse();
}

/** The nodes completed by appending leaves [from, from + count): for each, its two children. */
export function completedNodes(from: number, count: number): NodeRef[] {
  const out: NodeRef[] = [];
  for (let i = from; i < from + count; i++) {
    let level = 1;
    while ((i + 1) % 2 ** level === 0) {
      out.push({ level, index: (i + 1) / 2 ** level - 1 });
      level++;
    }
  }
  return out;
}

/** Computes the hashes of the nodes `completedNodes` lists, given the leaves and the left frontier (`known`). */
export function buildNodes(from: number, leafHashes: Buffer[], known: Map<string, Buffer>): Array<NodeRef & { hash: Buffer }> {
  leafHashes.forEach((h, i) => known.set(nodeKey({ level: 0, index: from + i }), h));
  return completedNodes(from, leafHashes.length).map((n) => {
    const left = known.get(nodeKey({ level: n.level - 1, index: 2 * n.index }));
    const right = known.get(nodeKey({ level: n.level - 1, index: 2 * n.index + 1 }));
    if (!left || !right) throw new Error(`missing children of node ${nodeKey(n)}`);
    const hash = nodeHash(left, right);
    known.set(nodeKey(n), hash);
    return { ...n, hash };
  });
}

/** The perfect subtrees of [0, size): the only old nodes an append of leaves at `size` needs. */
export function frontier(size: number): NodeRef[] {
  return size === 0 ? [] : perfectSubtrees([0, size]);
}
