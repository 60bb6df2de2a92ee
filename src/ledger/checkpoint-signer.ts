import { KeyObject, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { CredentialsKeyRing } from '../platform/config/app-config';
import { formatVerifierKey, noteKeyId } from './verifier/ledger-verifier';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  id: string;
  privateKey: KeyObject;
  publicKey: Buffer;
  /** `<name>+<hex key id>+<base64(0x01 ‖ public key)>` (C2SP signed-note verifier key) */
  vkey: string;
}

/** The ring's keys as Ed25519 note keys named after the log's origin. */
export function signingKeys(origin: string, ring: CredentialsKeyRing): SigningKey[] {
  return [...ring.keys].map(([id, seed]) => {
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12);
    return { id, privateKey, publicKey, vkey: formatVerifierKey(origin, publicKey) };
  });
}

/** The checkpoint body (C2SP tlog-checkpoint): origin, tree size, base64 root hash, and a `time` extension line. */
export function checkpointBody(origin: string, size: number, root: Buffer, time: Date): string {
  return `${origin}\n${size}\n${root.toString('base64')}\ntime ${time.toISOString()}\n`;
}

/** A C2SP signed note: the body, a blank line, and one `— <name> <base64(key id ‖ signature)>` line per key. */
export function signNote(body: string, name: string, keys: SigningKey[]): string {
  const lines = keys.map((k) => {
    const signature = sign(null, Buffer.from(body, 'utf8'), k.privateKey);
    return `\u2014 ${name} ${Buffer.concat([noteKeyId(name, k.publicKey), signature]).toString('base64')}\n`;
  });
  return `${body}\n${lines.join('')}`;
}
