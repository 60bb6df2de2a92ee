import { createHash } from 'node:crypto';

/**
 * The identity of a quarantined record: which source record it is (entity and key), why it is unusable (reason
 * and field), and its content in a normal form — so the same bad record sent again in another shape (a number
 * as text, another date format, other spacing or case, keys in another order, null vs absent) is recognised
 * and counted, not stored twice.
 */

const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const VIETNAM_OFFSET_MIN = 7 * 60;

const pad = (n: number): string => String(n).padStart(2, '0');

function wallClock(y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** A date or date-time text as Vietnam wall-clock `yyyy-MM-ddTHH:mm:ss`, or null when it is not one. */
export function normalDate(text: string): string | null {
  let m = DMY.exec(text);
  if (m) return wallClock(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = COMPACT.exec(text);
  if (m) return wallClock(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
  m = ISO.exec(text);
  if (!m) return null;
  if (!m[7]) return wallClock(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // an instant: shown as Vietnam wall-clock time
  const ms = Date.parse(text.replace(' ', 'T'));
  if (Number.isNaN(ms)) return null;
  const v = new Date(ms + VIETNAM_OFFSET_MIN * 60_000);
  return wallClock(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate(), v.getUTCHours(), v.getUTCMinutes(), v.getUTCSeconds());
}

/** The normal form of a value: numbers and numeric texts alike, dates as wall clock, texts folded. */
export function normalContent(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? `n:${value}` : null;
  if (typeof value === 'boolean') return `b:${value}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `d:${normalDate(value.toISOString())}`;
  if (typeof value === 'string') {
    const text = value.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (text === '') return null;
    // a 14-digit yyyyMMddHHmmss stamp is a date before it is a number
    const date = normalDate(text);
    if (date) return `d:${date}`;
    if (NUMBER.test(text)) return `n:${Number(text)}`;
    return `s:${text.toLowerCase()}`;
  }
  if (Array.isArray(value)) return value.map(normalContent);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = normalContent((value as Record<string, unknown>)[key]);
      if (v !== null) out[key] = v; // null and absent are one
    }
    return out;
  }
  return `s:${String(value)}`;
}

export interface QuarantineIdentityInput {
  entity: string;
  recordKey: string | null;
  reason: string;
  field?: string | null;
  record: unknown;
}

/** SHA-256 of the record's identity (hex). */
export function quarantineIdentity(e: QuarantineIdentityInput): string {
  const identity = [e.entity, e.recordKey === null ? null : e.recordKey.trim(), e.reason, e.field ?? null, normalContent(e.record)];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}
