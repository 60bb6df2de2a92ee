import { openCredentials, sealedKeyId } from './credentials-cipher';
import { credentialNames, plaintextRecord, sealForConnector } from './credentials-sealing';
import { rotationSummary } from './rotate-credentials';

const RING = { keys: new Map([['k1', Buffer.alloc(32, 1)], ['k2', Buffer.alloc(32, 2)]]), activeKeyId: 'k2' };

describe('sealing connector rows', () => {
  it('seals for one connector with the active key and keeps the sorted names only in the clear', () => {
    const fields = sealForConnector('c-1', { token: 't', apiKey: 'secret' }, RING);
    expect(fields.credentialsKeyId).toBe('k2');
    expect(sealedKeyId(fields.credentialsSealed)).toBe('k2');
    expect(fields.credentialNames).toEqual(['apiKey', 'token']);
    expect(openCredentials(fields.credentialsSealed, RING, 'c-1')).toEqual({ token: 't', apiKey: 'secret' });
    expect(() => openCredentials(fields.credentialsSealed, RING, 'c-2')).toThrow(/do not verify/);
    expect(credentialNames({})).toEqual([]);
  });

  it('reads the legacy plaintext column as strings, whatever it holds', () => {
    expect(plaintextRecord({ a: 'x', n: 5, o: { p: 1 } })).toEqual({ a: 'x', n: '5', o: '{"p":1}' });
    expect(plaintextRecord(null)).toEqual({});
    expect(plaintextRecord(['a'])).toEqual({});
    expect(plaintextRecord('text')).toEqual({});
  });
});

describe('rotation summary', () => {
  it('counts per old key id and names failing connectors and keys, nothing else', () => {
    const summary = rotationSummary({
      activeKeyId: 'k2',
      alreadyActive: 3,
      rotated: { k1: 2, k0: 1 },
      sealedPlaintext: 1,
      failures: [{ connectorId: 'c-9', keyId: 'k-old', reason: 'key "k-old" is not in the key ring' }],
    });
    expect(summary).toEqual({
      msg: 'credentials rotation incomplete',
      activeKeyId: 'k2',
      rotated: 3,
      rotatedFromKey: { k1: 2, k0: 1 },
      sealedPlaintext: 1,
      alreadyActive: 3,
      failed: [{ connectorId: 'c-9', keyId: 'k-old' }],
    });
  });
});
