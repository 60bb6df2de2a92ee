import { deriveLedgerSeed } from '../platform/config/app-config';
import { checkpointBody, signNote, signingKeys } from './checkpoint-signer';
import { EMPTY_ROOT } from './merkle';
import { parseCheckpoint, parseSignedNote, parseVerifierKey, verifiedSigners } from './verifier/ledger-verifier';

const ring = (ids: string[]) => ({ keys: new Map(ids.map((id, i) => [id, Buffer.alloc(32, i + 7)])), activeKeyId: ids[0] });

describe('signed checkpoints (C2SP signed-note / tlog-checkpoint, Ed25519)', () => {
  const [k1, k2] = signingKeys('example.gov.vn/ledger', ring(['k1', 'k2']));
  const body = checkpointBody('example.gov.vn/ledger', 12, EMPTY_ROOT, new Date('2026-01-02T03:04:05Z'));

  it('writes origin, size, base64 root and a time line, then the signature lines', () => {
    const note = signNote(body, 'example.gov.vn/ledger', [k1]);
    expect(note).toBe(`example.gov.vn/ledger\n12\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ntime 2026-01-02T03:04:05.000Z\n\n\u2014 example.gov.vn/ledger ${note.split(' ').pop()}`);
    const sig = Buffer.from(note.trim().split(' ').pop()!, 'base64');
    expect(sig).toHaveLength(4 + 64);
    expect(parseCheckpoint(parseSignedNote(note).text)).toMatchObject({ origin: 'example.gov.vn/ledger', size: 12n, extensions: ['time 2026-01-02T03:04:05.000Z'] });
  });

  it('verifies with the signing key and with no other; an edited note fails', () => {
    const note = signNote(body, 'example.gov.vn/ledger', [k1]);
    expect(verifiedSigners(note, [k1.vkey, k2.vkey])).toEqual([`example.gov.vn/ledger+${parseVerifierKey(k1.vkey).keyId.toString('hex')}`]);
    expect(verifiedSigners(note, [k2.vkey])).toEqual([]);
    expect(verifiedSigners(note.replace('\n12\n', '\n13\n'), [k1.vkey])).toEqual([]);
  });

  it('keeps verifying old checkpoints after a rotation (the old key stays in the ring)', () => {
    const old = signNote(body, 'example.gov.vn/ledger', [k1]);
    const [, rotated] = signingKeys('example.gov.vn/ledger', { ...ring(['k1', 'k2']), activeKeyId: 'k2' });
    const fresh = signNote(body, 'example.gov.vn/ledger', [rotated]);
    const published = signingKeys('example.gov.vn/ledger', ring(['k1', 'k2'])).map((k) => k.vkey);
    expect(verifiedSigners(old, published)).toHaveLength(1);
    expect(verifiedSigners(fresh, published)).toHaveLength(1);
  });

  it('derives distinct checkpoint keys from credentials keys', () => {
    expect(deriveLedgerSeed(Buffer.alloc(32, 1))).toHaveLength(32);
    expect(deriveLedgerSeed(Buffer.alloc(32, 1)).equals(deriveLedgerSeed(Buffer.alloc(32, 2)))).toBe(false);
    expect(deriveLedgerSeed(Buffer.alloc(32, 1)).equals(Buffer.alloc(32, 1))).toBe(false);
  });

  it('rejects malformed verifier keys and notes', () => {
    expect(() => parseVerifierKey('name+00000000+AAAA')).toThrow();
    expect(() => parseVerifierKey(k1.vkey.replace(/\+[0-9a-f]{8}\+/, '+deadbeef+'))).toThrow(/does not match/);
    expect(() => parseSignedNote('no signatures\n')).toThrow();
    expect(() => parseCheckpoint('origin\nx\nroot\n')).toThrow();
  });
});
