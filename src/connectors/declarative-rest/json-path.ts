/**
 * A small, safe JSONPath subset for declarative sources. Nothing is ever evaluated: a path is parsed into
 * plain segments and walked over own properties only (no prototype lookups such as `__proto__`).
 *
 * Supported:
 * - `$` (the root; every path starts with it)
 * - `.key` (a key of letters, digits, `_`, `$` or `-`, not starting with a digit or `-`)
 * - `['key with spaces']` or `["key"]` (a quoted key; `\'`, `\"` and `\\` escape)
 * - `[n]` (an array index, n ≥ 0)
 * - `[*]` (every element of an array, or every value of an object)
 *
 * Rejected (parse error): recursive descent `..`, `.*`, filters `[?(…)]`, scripts `[(…)]`, slices `[a:b]`,
 * unions `[a,b]`, negative indexes, anything else.
 */

export type JsonPathSegment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' };

export type ParsedJsonPath = { ok: true; segments: JsonPathSegment[] } | { ok: false; error: string };

const KEY_START = /[\p{L}_$]/u;
const KEY_CHAR = /[\p{L}\p{N}_$-]/u;
const MAX_PATH_LENGTH = 500;

/** Parses a path; on failure `error` explains what is wrong (without naming the field). */
export function parseJsonPath(path: string): ParsedJsonPath {
  if (typeof path !== 'string') return { ok: false, error: 'must be a text path starting with $' };
  if (path.length > MAX_PATH_LENGTH) return { ok: false, error: `must be at most ${MAX_PATH_LENGTH} characters` };
  if (!path.startsWith('$')) return { ok: false, error: 'must start with $' };
  const segments: JsonPathSegment[] = [];
  let i = 1;
  const fail = (what: string): ParsedJsonPath => ({ ok: false, error: `${what} at position ${i} of "${path}"` });
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      if (path[i] === '.') return fail('recursive descent (..) is not supported');
      if (path[i] === '*') return fail('.* is not supported (use [*])');
      const begin = i;
      if (i >= path.length || !KEY_START.test(path[i])) return fail('expected a key name');
      while (i < path.length && KEY_CHAR.test(path[i])) i++;
      segments.push({ kind: 'key', key: path.slice(begin, i) });
    } else if (c === '[') {
      i++;
      const d = path[i];
      if (d === "'" || d === '"') {
        i++;
        let key = '';
        let closed = false;
        while (i < path.length) {
          const ch = path[i];
          if (ch === '\\') {
            const next = path[i + 1];
            if (next !== "'" && next !== '"' && next !== '\\') return fail('unsupported escape in quoted key');
            key += next;
            i += 2;
            continue;
          }
          if (ch === d) {
            closed = true;
            i++;
            break;
          }
          key += ch;
          i++;
        }
        if (!closed) return fail('unterminated quoted key');
        if (path[i] !== ']') return fail('expected ] after quoted key');
        i++;
        segments.push({ kind: 'key', key });
      } else if (d === '*') {
        i++;
        if (path[i] !== ']') return fail('expected ] after *');
        i++;
        segments.push({ kind: 'wildcard' });
      } else if (d !== undefined && d >= '0' && d <= '9') {
        const begin = i;
        while (i < path.length && path[i] >= '0' && path[i] <= '9') i++;
        const digits = path.slice(begin, i);
        if (path[i] !== ']') return fail('only [n], [*] and quoted keys are supported in brackets');
        if (digits.length > 1 && digits.startsWith('0')) return fail('index with leading zeros');
        const index = Number(digits);
        if (!Number.isSafeInteger(index)) return fail('index too large');
        i++;
        segments.push({ kind: 'index', index });
      } else {
        return fail('only [n], [*] and quoted keys are supported in brackets (no filters, scripts, slices or negative indexes)');
      }
    } else {
      return fail(`unexpected "${c}"`);
    }
  }
  return { ok: true, segments };
}

/** null when the path is valid, else the reason. */
export function jsonPathError(path: string): string | null {
  const parsed = parseJsonPath(path);
  return parsed.ok ? null : parsed.error;
}

/** True when the path can match more than one value (it has a [*]). */
export function isMultiValuedPath(path: string): boolean {
  const parsed = parseJsonPath(path);
  return parsed.ok && parsed.segments.some((s) => s.kind === 'wildcard');
}

const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function step(value: unknown, segment: JsonPathSegment, out: unknown[]): void {
  if (value === null || typeof value !== 'object') return;
  switch (segment.kind) {
    case 'key':
      if (!Array.isArray(value) && own(value, segment.key)) {
        const v = (value as Record<string, unknown>)[segment.key];
        if (v !== undefined) out.push(v);
      }
      return;
    case 'index':
      if (Array.isArray(value) && segment.index < value.length && value[segment.index] !== undefined) out.push(value[segment.index]);
      return;
    case 'wildcard':
      if (Array.isArray(value)) {
        for (const v of value) if (v !== undefined) out.push(v);
      } else {
        for (const key of Object.keys(value)) {
          const v = (value as Record<string, unknown>)[key];
          if (v !== undefined) out.push(v);
        }
      }
      return;
  }
}

/**
 * Every value the path matches, in document order (`null` values are matches; absent ones are not).
 * Throws on a malformed path: paths are validated when the configuration is parsed.
 */
export function jsonPath(value: unknown, path: string): unknown[] {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) throw new Error(`invalid JSON path "${path}": ${parsed.error}`);
  let current: unknown[] = value === undefined ? [] : [value];
  for (const segment of parsed.segments) {
    const next: unknown[] = [];
    for (const v of current) step(v, segment, next);
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

/** The first match, or undefined when nothing matches. */
export function jsonPathOne(value: unknown, path: string): unknown {
  const all = jsonPath(value, path);
  return all.length > 0 ? all[0] : undefined;
}
