import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointBody, signNote, signingKeys } from '../checkpoint-signer';
import { encodeLeaf } from '../leaf-types';
import { NodeRef, inclusionRanges, rangeHash } from '../merkle';
import { LedgerPack, main, nodeHash, verifyPack } from './ledger-verifier';

const ORIGIN = 'test.example/ledger';
const [key, other] = signingKeys(ORIGIN, { keys: new Map([['a', Buffer.alloc(32, 3)], ['b', Buffer.alloc(32, 4)]]), activeKeyId: 'a' });

/** A pack of a score citing evidence 5, the evidence record itself and a publication, built from scratch. */
function pack(): LedgerPack {
  const facts = [
    encodeLeaf('evidence_record', 1, { id: '5', province_code: '79', numerator: '3' }),
    encodeLeaf('score', 1, { id: '9', province_code: '79', evidence_ids: [5], points: '2.5' }),
    encodeLeaf('publication', 1, { year: 2025 }),
  ];
  const keys = ['5', '9', '2025'];
  const kinds = ['evidence_record', 'score', 'publication'];
  const hashes = facts.map((f) => f.hash);
  // every perfect subtree of 3 leaves, computed naively
  const node = (n: NodeRef): Buffer => (n.level === 0 ? hashes[n.index] : nodeHash(node({ level: n.level - 1, index: 2 * n.index }), node({ level: n.level - 1, index: 2 * n.index + 1 })));
  const root = rangeHash([0, 3], node);
  const note = signNote(checkpointBody(ORIGIN, 3, root, new Date('2026-01-01T00:00:00Z')), ORIGIN, [key]);
  return {
    format: 'test',
    origin: ORIGIN,
    checkpoint: { note, size: 3, rootHash: root.toString('base64') },
    publicKeys: [key.vkey, other.vkey],
    leaves: facts.map((f, i) => ({
      index: i,
      kind: kinds[i],
      key: keys[i],
      leaf: f.leaf,
      leafHash: f.hash.toString('base64'),
      proof: inclusionRanges(i, 3).map((r) => rangeHash(r, node).toString('base64')),
    })),
  };
}

describe('offline pack verification', () => {
  it('accepts an intact pack, with its own keys or a pinned key', () => {
    expect(verifyPack(pack())).toMatchObject({ ok: true, problems: [], leavesChecked: 3, treeSize: '3' });
    expect(verifyPack(pack(), [key.vkey]).ok).toBe(true);
  });

  it('refuses a checkpoint signed by a key the auditor did not pin', () => {
    expect(verifyPack(pack(), [other.vkey]).problems).toEqual(['checkpoint: no valid signature by a trusted key']);
  });

  it('names an edited leaf, a wrong proof, a foreign origin and a score citing missing evidence', () => {
    const p = pack();
    p.leaves[1].leaf = p.leaves[1].leaf.replace('"2.5"', '"9.5"');
    p.leaves[2].proof = p.leaves[0].proof;
    p.origin = 'elsewhere';
    p.leaves.splice(0, 1);
    const problems = verifyPack(p).problems.join('\n');
    expect(problems).toContain('leaf 1 (score 9): leaf hash does not match its content');
    expect(problems).toContain('leaf 2 (publication 2025): inclusion proof does not verify');
    expect(problems).toContain('origin test.example/ledger is not the pack\'s elsewhere');
    expect(problems).toContain('cites evidence record 5, which is not in the pack');
  });

  it('exits 0, 1 or 2 from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-'));
    const write = (name: string, p: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(p));
      return join(dir, name);
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main([write('ok.json', pack())])).toBe(0);
      const bad = pack();
      bad.leaves[0].leafHash = bad.leaves[1].leafHash;
      expect(main([write('bad.json', bad), '--key', key.vkey])).toBe(1);
      expect(main([])).toBe(2);
      expect(main([join(dir, 'missing.json')])).toBe(2);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
