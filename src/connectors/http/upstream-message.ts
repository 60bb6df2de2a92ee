/**
 * What a source said when it refused a call, fit to show an operator: the message field of a JSON error body
 * (`message`, `error_description`, `error`, `detail`, `title`, `code`), the title of an HTML page, or the start
 * of a text body; with every secret the request carried, token-like strings, e-mail addresses and long digit
 * runs (identity and phone numbers) masked, on one line, at most 200 characters. null when there is nothing.
 */
const MESSAGE_FIELDS = ['message', 'error_description', 'error', 'detail', 'title', 'code', 'msg'];
const MAX = 200;

function fromJson(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of MESSAGE_FIELDS) {
    const v = o[key];
    if (typeof v === 'string' && v.trim() !== '' && !parts.includes(v.trim())) parts.push(v.trim());
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = fromJson(v);
      if (inner) parts.push(inner);
    }
  }
  return parts.length > 0 ? parts.join(' — ') : null;
}

export function upstreamMessage(body: Buffer, contentType: string | null, secrets: readonly string[]): string | null {
  const text = body.subarray(0, 16 * 1024).toString('utf8').trim();
  if (text === '') return null;
  let said: string | null = null;
  if (/json/i.test(contentType ?? '') || /^[{[]/.test(text)) {
    try {
      said = fromJson(JSON.parse(text));
    } catch {
      said = null;
    }
  }
  if (said === null && /<html|<!doctype/i.test(text)) said = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim() || null;
  else if (said === null && !/^[{[<]/.test(text)) said = text;
  if (said === null) return null;
  return redact(said, secrets);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  out = out
    .replace(/\b(Bearer|Basic)\s+\S+/gi, '$1 [redacted]')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/\d{9,}/g, '[number]')
    .replace(/[A-Za-z0-9+/_-]{24,}={0,2}/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return out.length > MAX ? `${out.slice(0, MAX - 1)}…` : out;
}
