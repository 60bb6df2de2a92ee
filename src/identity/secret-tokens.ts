import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens and API keys are random secrets shown once; only their SHA-256 is stored (they carry 256 bits
 * of entropy, so a fast hash is enough: there is nothing to guess). The readable prefix tells them apart in
 * logs of leaked-secret scanners without revealing them.
 */
export const TOKEN_PREFIX = 'peh_at_';
export const API_KEY_PREFIX = 'peh_key_';
/** longer than any token or key this service issues: presented secrets beyond it are refused unread */
export const MAX_SECRET_LENGTH = 512;

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The part of an API key that may be shown later to recognise it (never enough to use it). */
export function displayPrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 6);
}
