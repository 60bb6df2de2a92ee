import { startRecordingProxy } from '../support/recording-proxy';
import { AddressInfo, createServer } from 'node:net';
import Redis from 'ioredis';

/** A TCP port that was free a moment ago (for a service started as a separate process). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The forms in which a secret could leak: as is, URL-encoded (query or path), form-encoded (space as +),
 * base64, base64url and hex (as PostgreSQL dumps a bytea), plus any extra forms given (e.g. a Basic header).
 */
export function leakForms(secret: string, extra: Record<string, string> = {}): Record<string, string> {
  const forms: Record<string, string> = {
    plain: secret,
    'url-encoded': encodeURIComponent(secret),
    'form-encoded': new URLSearchParams({ x: secret }).toString().slice(2),
    base64: Buffer.from(secret).toString('base64'),
    base64url: Buffer.from(secret).toString('base64url'),
    hex: Buffer.from(secret).toString('hex'),
    ...extra,
  };
  // base64 padding would make a longer secret's encoding miss: also look for it without the padding
  forms['base64-unpadded'] = forms.base64.replace(/=+$/, '');
  return forms;
}

export interface Leak {
  secret: string;
  form: string;
  where: string;
  context: string;
}

/** Every occurrence (first per secret × form × place) of any form of any secret in any of the texts. */
export function findLeaks(secrets: Record<string, { value: string; extra?: Record<string, string> }>, places: Record<string, string>, allowed: Array<{ secret: string; where: RegExp }> = []): Leak[] {
  const leaks: Leak[] = [];
  for (const [name, s] of Object.entries(secrets)) {
    const forms = leakForms(s.value, s.extra);
    const seen = new Set<string>();
    for (const [form, needle] of Object.entries(forms)) {
      if (needle.length < 8 || seen.has(needle)) continue;
      seen.add(needle);
      for (const [where, text] of Object.entries(places)) {
        if (allowed.some((a) => a.secret === name && a.where.test(where))) continue;
        const at = text.indexOf(needle);
        if (at < 0) continue;
        const context = text.slice(Math.max(0, at - 120), at + needle.length + 60).replace(/\s+/g, ' ');
        leaks.push({ secret: name, form, where, context: context.replace(needle, `<<${name}:${form}>>`) });
      }
    }
  }
  return leaks;
}

/** A pass-through proxy that remembers every access token a source's /oauth2/token answered with. */
export async function tokenRecordingProxy(target: string, tokenPath: string): Promise<{ url: string; tokens: Set<string>; close: () => Promise<void> }> {
  const tokens = new Set<string>();
  const proxy = await startRecordingProxy(target, (answer) => {
    if (!answer.target.startsWith(tokenPath)) return;
    try {
      const token = JSON.parse(answer.body.toString('utf8')).access_token;
      if (typeof token === 'string' && token) tokens.add(token);
    } catch {
      // not a token answer
    }
  });
  return { url: proxy.url, tokens, close: proxy.close };
}

/** Everything Redis holds under a prefix (job data, results, events...), as text. */
export async function dumpRedis(prefix: string): Promise<string> {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        let value: unknown;
        if (type === 'string') value = await redis.get(key);
        else if (type === 'hash') value = await redis.hgetall(key);
        else if (type === 'list') value = await redis.lrange(key, 0, -1);
        else if (type === 'set') value = await redis.smembers(key);
        else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
        else if (type === 'stream') value = await redis.xrange(key, '-', '+');
        out.push(`${key} (${type}) ${JSON.stringify(value)}`);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out.join('\n');
}
