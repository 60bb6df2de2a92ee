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
 * - `[?(…)]` filters over the elements' fields, e.g. `$.data[?(@.type=='x')].value`, `[?(@.n > 0 && @.ok)]`:
 *   only `@.field` / `@['field']` paths, text, number, true/false/null literals, comparison (== != === !== < <=
 *   > >=), ! && || and parentheses. Such paths are walked by the `jsonpath-plus` library in its safe mode (its
 *   own expression interpreter, never JavaScript eval), after this whitelist has refused anything else (calls,
 *   assignments, `constructor`, `__proto__`, …).
 *
 * Rejected (parse error): recursive descent `..`, `.*`, scripts `[(…)]`, slices `[a:b]`, unions `[a,b]`,
 * negative indexes, filters with anything but the above, anything else.
 */
import { JSONPath } from 'jsonpath-plus';

export type JsonPathSegment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; expression: string };

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
      } else if (d === '?') {
        const end = path.indexOf(')]', i);
        if (path[i + 1] !== '(' || end < 0) return fail('a filter is written [?(…)]');
        const expression = path.slice(i + 2, end);
        const problem = filterExpressionError(expression);
        if (problem) return fail(`filter ${problem}`);
        i = end + 2;
        segments.push({ kind: 'filter', expression });
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

const FORBIDDEN_KEYS = new Set(['constructor', '__proto__', 'prototype']);
const FILTER_TOKEN =
  /\s+|@(?:\.[\p{L}_$][\p{L}\p{N}_$-]*|\['[^'\\]*'\]|\["[^"\\]*"\])+|'[^'\\]*'|"[^"\\]*"|-?\d+(?:\.\d+)?|true|false|null|===|!==|==|!=|<=|>=|<|>|&&|\|\||!|\(|\)/uy;

/** null when a filter expression uses only the whitelisted forms, else what is wrong. */
export function filterExpressionError(expression: string): string | null {
  if (expression.trim() === '') return 'is empty';
  FILTER_TOKEN.lastIndex = 0;
  let depth = 0;
  let sawField = false;
  let previous = '';
  while (FILTER_TOKEN.lastIndex < expression.length) {
    const at = FILTER_TOKEN.lastIndex;
    const m = FILTER_TOKEN.exec(expression);
    if (!m) return `uses something that is not allowed at "${expression.slice(at, at + 12)}" (only @.field, literals, comparisons, ! && || and parentheses)`;
    const token = m[0];
    if (token.startsWith('@')) {
      sawField = true;
      for (const part of token.slice(1).match(/\.[^.[]+|\[(['"]).*?\1\]/gu) ?? []) {
        const key = part.startsWith('.') ? part.slice(1) : part.slice(2, -2);
        if (FORBIDDEN_KEYS.has(key)) return `must not use the field "${key}"`;
      }
    }
    if (token === '(' && previous !== '' && !/^(?:&&|\|\||!|\(|===|!==|==|!=|<=|>=|<|>)$/.test(previous)) return 'must not call anything';
    if (token.trim() !== '') previous = token;
    if (token === '(') depth++;
    if (token === ')' && --depth < 0) return 'has an unmatched )';
  }
  if (depth !== 0) return 'has an unmatched (';
  if (!sawField) return 'must test a field of the element (@.field)';
  return null;
}

/** null when the path is valid, else the reason. */
export function jsonPathError(path: string): string | null {
  const parsed = parseJsonPath(path);
  return parsed.ok ? null : parsed.error;
}

/** True when the path can match more than one value (it has a [*]); a filter's first match is a single value. */
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
    case 'filter':
      return; // walked by jsonpath-plus (see jsonPath)
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
  if (parsed.segments.some((s) => s.kind === 'filter')) {
    if (value === undefined || value === null || typeof value !== 'object') return [];
    // safe mode: jsonpath-plus interprets the (whitelisted) filter itself; no JavaScript is evaluated
    const found = JSONPath({ path, json: value as object, eval: 'safe', wrap: true, ignoreEvalErrors: true }) as unknown[];
    return found.filter((v) => v !== undefined);
  }
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
