import type { CredentialsKeyRing } from '../../platform/config/app-config';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Connector credentials sealed at rest with AES-256-GCM. A sealed value is one self-describing envelope (stored
 * as `bytea`), version 1:
 *
 *   offset      length  content
 *   0           1       version, 0x01
 *   1           1       n = length of the key id in bytes (1..255)
 *   2           n       key id, UTF-8 (the id of the key in CREDENTIALS_KEYS that sealed it)
 *   2+n         12      IV, random for every seal
 *   14+n        16      GCM authentication tag
 *   30+n        rest    ciphertext of the credentials as JSON (`{"name":"value",...}`)
 *
 * The additional authenticated data is the header (bytes 0 .. 2+n: version and key id) followed by the UTF-8
 * context given by the caller (the connector's id): a changed key id, a changed byte anywhere, or an envelope
 * copied onto another connector fails to open.
 */
export const ENVELOPE_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const ALGORITHM = 'aes-256-gcm';

/** The key ring as the config builds it (`config.credentialsKeyRing`). */
export type CredentialsKeys = CredentialsKeyRing;

export type CredentialsCipherProblem = 'unknown-key' | 'not-verified' | 'malformed';

/** Why sealed credentials cannot be opened (or sealed); names the key id, never a secret. */
export class CredentialsCipherError extends Error {
  override name = 'CredentialsCipherError';
  constructor(
    readonly problem: CredentialsCipherProblem,
    /** the key id the envelope names (null if it could not be read) */
    readonly keyId: string | null,
    message: string,
  ) {
    super(message);
  }
}

interface Envelope {
  keyId: string;
  header: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** Seals `values` with the ring's active key; `context` (the connector id) must be given again to open it. */
export function sealCredentials(values: Record<string, string>, ring: CredentialsKeys, context = ''): Buffer {
  const keyId = ring.activeKeyId;
  const key = keyOf(ring, keyId);
  const kid = Buffer.from(keyId, 'utf8');
  if (kid.length < 1 || kid.length > 255) throw new CredentialsCipherError('malformed', keyId, `key id "${keyId}" must be 1 to 255 bytes`);
  const header = Buffer.concat([Buffer.from([ENVELOPE_VERSION, kid.length]), kid]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, context));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(plainRecord(values)), 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
}

/** Opens an envelope sealed for `context`; throws CredentialsCipherError naming the key id when it cannot. */
export function openCredentials(sealed: Buffer, ring: CredentialsKeys, context = ''): Record<string, string> {
  const envelope = parseEnvelope(sealed);
  const key = keyOf(ring, envelope.keyId);
  let plaintext: string;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, envelope.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(envelope.header, context));
    decipher.setAuthTag(envelope.tag);
    plaintext = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new CredentialsCipherError(
      'not-verified',
      envelope.keyId,
      `sealed credentials do not verify with key "${envelope.keyId}": the key is not the one that sealed them, or the data was altered`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext);
  } catch {
    throw new CredentialsCipherError('malformed', envelope.keyId, `sealed credentials (key "${envelope.keyId}") do not hold JSON`);
  }
  if (!isStringRecord(parsed)) {
    throw new CredentialsCipherError('malformed', envelope.keyId, `sealed credentials (key "${envelope.keyId}") are not an object of strings`);
  }
  return parsed;
}

/** The id of the key that sealed an envelope, read without opening it. */
export function sealedKeyId(sealed: Buffer): string {
  return parseEnvelope(sealed).keyId;
}

/** The same functions bound to one key ring. */
export class CredentialsCipher {
  constructor(private readonly ring: CredentialsKeys) {}

  get activeKeyId(): string {
    return this.ring.activeKeyId;
  }

  seal(values: Record<string, string>, context = ''): Buffer {
    return sealCredentials(values, this.ring, context);
  }

  open(sealed: Buffer, context = ''): Record<string, string> {
    return openCredentials(sealed, this.ring, context);
  }

  keyIdOf(sealed: Buffer): string {
    return sealedKeyId(sealed);
  }
}

function parseEnvelope(sealed: Buffer): Envelope {
  if (!Buffer.isBuffer(sealed) || sealed.length < 2) throw new CredentialsCipherError('malformed', null, 'sealed credentials are empty or truncated');
  if (sealed[0] !== ENVELOPE_VERSION) throw new CredentialsCipherError('malformed', null, `sealed credentials have unknown envelope version ${sealed[0]}`);
  const n = sealed[1];
  const headerEnd = 2 + n;
  if (n === 0 || sealed.length < headerEnd + IV_BYTES + TAG_BYTES) throw new CredentialsCipherError('malformed', null, 'sealed credentials are truncated');
  const keyId = sealed.subarray(2, headerEnd).toString('utf8');
  return {
    keyId,
    header: sealed.subarray(0, headerEnd),
    iv: sealed.subarray(headerEnd, headerEnd + IV_BYTES),
    tag: sealed.subarray(headerEnd + IV_BYTES, headerEnd + IV_BYTES + TAG_BYTES),
    ciphertext: sealed.subarray(headerEnd + IV_BYTES + TAG_BYTES),
  };
}

function keyOf(ring: CredentialsKeys, keyId: string): Buffer {
  const key = ring.keys.get(keyId);
  if (!key) {
    throw new CredentialsCipherError(
      'unknown-key',
      keyId,
      `key "${keyId}" is not in the key ring (CREDENTIALS_KEYS holds: ${[...ring.keys.keys()].join(', ') || 'nothing'})`,
    );
  }
  if (key.length !== KEY_BYTES) throw new CredentialsCipherError('malformed', keyId, `key "${keyId}" must be ${KEY_BYTES} bytes`);
  return key;
}

function additionalData(header: Buffer, context: string): Buffer {
  return Buffer.concat([header, Buffer.from(context, 'utf8')]);
}

function plainRecord(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string') throw new CredentialsCipherError('malformed', null, `credentials.${name} must be a string`);
    out[name] = value;
  }
  return out;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
