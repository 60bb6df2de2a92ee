import {
  CredentialsCipher,
  CredentialsCipherError,
  CredentialsKeys,
  ENVELOPE_VERSION,
  openCredentials,
  sealCredentials,
  sealedKeyId,
} from './credentials-cipher';

const K1 = Buffer.alloc(32, 1);
const K2 = Buffer.alloc(32, 2);
const ring = (active: string, entries: Array<[string, Buffer]>): CredentialsKeys => ({ keys: new Map(entries), activeKeyId: active });
const RING_1 = ring('k1', [['k1', K1]]);
const CONNECTOR = '6f1c1b1e-2f55-4d0e-9a43-0c1d2b3a4f5e';
const SECRET = 'super-secret-value-Đà-Nẵng';
const VALUES = { clientId: 'client-a', clientSecret: SECRET };

const openError = (work: () => unknown): CredentialsCipherError => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsCipherError);
    return error as CredentialsCipherError;
  }
  throw new Error('expected opening to fail');
};

describe('credentials cipher', () => {
  it('round-trips a record, empty or not, and names the sealing key in the envelope', () => {
    const sealed = sealCredentials(VALUES, RING_1, CONNECTOR);
    expect(openCredentials(sealed, RING_1, CONNECTOR)).toEqual(VALUES);
    expect(openCredentials(sealCredentials({}, RING_1, CONNECTOR), RING_1, CONNECTOR)).toEqual({});
    expect(sealed[0]).toBe(ENVELOPE_VERSION);
    expect(sealedKeyId(sealed)).toBe('k1');
    // header (2 + 2) + IV 12 + tag 16 + ciphertext as long as the JSON
    expect(sealed.length).toBe(4 + 12 + 16 + Buffer.byteLength(JSON.stringify(VALUES)));
  });

  it('uses a fresh IV for every seal: the same input twice gives different envelopes', () => {
    const a = sealCredentials(VALUES, RING_1, CONNECTOR);
    const b = sealCredentials(VALUES, RING_1, CONNECTOR);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(4, 16).equals(b.subarray(4, 16))).toBe(false);
    expect(openCredentials(a, RING_1, CONNECTOR)).toEqual(openCredentials(b, RING_1, CONNECTOR));
  });

  it('never holds the plaintext: neither a value nor a name appears in the envelope', () => {
    const sealed = sealCredentials(VALUES, RING_1, CONNECTOR);
    for (const text of [SECRET, 'super-secret', 'client-a', 'clientSecret']) {
      expect(sealed.includes(Buffer.from(text, 'utf8'))).toBe(false);
      expect(sealed.toString('latin1')).not.toContain(text);
    }
  });

  it('detects tampering: a flipped byte anywhere (key id, IV, tag, ciphertext) fails, naming the key id', () => {
    const sealed = sealCredentials(VALUES, RING_1, CONNECTOR);
    for (const offset of [4, 4 + 12, 4 + 12 + 16, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[offset] ^= 0x01;
      const error = openError(() => openCredentials(tampered, RING_1, CONNECTOR));
      expect(error.problem).toBe('not-verified');
      expect(error.message).toMatch(/key "k1"/);
    }
    // a key id changed to another key in the ring is caught by the additional authenticated data
    const twoKeys = ring('k1', [['k1', K1], ['k2', K1]]);
    const relabelled = Buffer.from(sealed);
    relabelled[3] = '2'.charCodeAt(0);
    expect(sealedKeyId(relabelled)).toBe('k2');
    expect(openError(() => openCredentials(relabelled, twoKeys, CONNECTOR)).message).toMatch(/do not verify with key "k2"/);
  });

  it('binds the envelope to its connector: opened for another one, it fails', () => {
    const sealed = sealCredentials(VALUES, RING_1, CONNECTOR);
    expect(openError(() => openCredentials(sealed, RING_1, 'another-connector')).problem).toBe('not-verified');
  });

  it('fails with the wrong key under the same id, naming the key id', () => {
    const sealed = sealCredentials(VALUES, RING_1, CONNECTOR);
    const error = openError(() => openCredentials(sealed, ring('k1', [['k1', K2]]), CONNECTOR));
    expect(error.problem).toBe('not-verified');
    expect(error.keyId).toBe('k1');
    expect(error.message).toMatch(/key "k1"/);
    expect(error.message).not.toContain(SECRET);
  });

  it('fails when the key id is not in the ring, naming the missing key id', () => {
    const sealed = sealCredentials(VALUES, RING_1, CONNECTOR);
    const error = openError(() => openCredentials(sealed, ring('k2', [['k2', K2]]), CONNECTOR));
    expect(error.problem).toBe('unknown-key');
    expect(error.keyId).toBe('k1');
    expect(error.message).toMatch(/key "k1" is not in the key ring \(CREDENTIALS_KEYS holds: k2\)/);
  });

  it('seals with the active key and opens with any key of the ring (rotation)', () => {
    const old = sealCredentials(VALUES, RING_1, CONNECTOR);
    const rotating = ring('k2', [['k1', K1], ['k2', K2]]);
    const fresh = sealCredentials(openCredentials(old, rotating, CONNECTOR), rotating, CONNECTOR);
    expect(sealedKeyId(fresh)).toBe('k2');
    expect(openCredentials(fresh, ring('k2', [['k2', K2]]), CONNECTOR)).toEqual(VALUES);
    expect(openError(() => openCredentials(fresh, RING_1, CONNECTOR)).problem).toBe('unknown-key');
  });

  it('refuses malformed envelopes and non-string values, and an active key missing from the ring', () => {
    expect(openError(() => openCredentials(Buffer.alloc(0), RING_1)).problem).toBe('malformed');
    expect(openError(() => openCredentials(Buffer.from([9, 2, 0x6b, 0x31]), RING_1)).message).toMatch(/unknown envelope version 9/);
    expect(openError(() => openCredentials(sealCredentials(VALUES, RING_1).subarray(0, 20), RING_1)).message).toMatch(/truncated/);
    expect(openError(() => sealCredentials({ n: 1 as unknown as string }, RING_1)).message).toMatch(/credentials.n must be a string/);
    expect(openError(() => sealCredentials(VALUES, ring('k9', [['k1', K1]]))).problem).toBe('unknown-key');
  });

  it('is also offered as a class bound to one key ring', () => {
    const cipher = new CredentialsCipher(RING_1);
    const sealed = cipher.seal(VALUES, CONNECTOR);
    expect(cipher.activeKeyId).toBe('k1');
    expect(cipher.keyIdOf(sealed)).toBe('k1');
    expect(cipher.open(sealed, CONNECTOR)).toEqual(VALUES);
  });
});
