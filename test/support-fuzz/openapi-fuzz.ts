import { gzipSync } from 'node:zlib';
import { Prng } from './prng';

/**
 * Generates malformed (and hostile) HTTP requests for every operation of an OpenAPI document.
 *
 * Two kinds of case:
 * - `strict`: malformed by construction (wrong type, missing or unknown field, bad id, broken JSON, oversize,
 *   bad credentials...): the answer must be a 4xx with a JSON `message`, and where the fault is one field, a 400
 *   whose message names that field.
 * - `hostile`: well-formed but hostile (injection strings, NUL, emoji in free-text fields of side-effect-free
 *   requests; prototype keys that Nest strips by design): the answer may be 2xx, but never 5xx.
 *
 * Values that could be valid are never used as the only defect of a strict case: they are "poisoned" with a
 * second, certain defect (a well-formed id that names nothing, or a missing required field), so a fuzz run never
 * creates state unless validation itself is broken (and that is reported).
 */

export type Who = 'admin' | 'anonymous' | 'officer' | 'auditor' | 'operator' | 'as-given';

export interface FuzzCase {
  method: string;
  /** METHOD /template, e.g. `GET /connectors/{id}` */
  route: string;
  /** encoded path and query, sent as is */
  path: string;
  category: string;
  label: string;
  who: Who;
  headers: Record<string, string>;
  body?: Buffer;
  chunked?: boolean;
  kind: 'strict' | 'hostile';
  /** when set, the exact statuses accepted */
  statuses?: number[];
  /** when set, the answer must be a 400 whose message names this field (or one of these fields) */
  mustMention?: string | string[];
}

export interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
  nullable?: boolean;
  default?: unknown;
}
export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
export interface Operation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Op {
  method: string;
  template: string;
  route: string;
  operation: Operation;
  pathParams: Parameter[];
  queryParams: Parameter[];
  bodyKind: 'json' | 'multipart' | 'none';
  bodySchema?: Schema;
  schemaName?: string;
  isPublic: boolean;
  /** the document says the operation stores nothing: well-formed hostile bodies may be sent to it */
  storesNothing: boolean;
}

/** path parameters the fuzz fills with real values (province 79, year 2025) */
const SCOPE_PATH_PARAMS = new Set(['provinceCode', 'year']);

/** routes open without credentials (from the service's README and the brief) */
export const PUBLIC_ROUTES = new Set(['GET /health/live', 'GET /health/ready', 'POST /auth/login']);

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Base-body values that keep a fuzz run harmless even if a defect were not caught (no reachable source, no schedule). */
const BASE_OVERRIDES: Record<string, Record<string, unknown>> = {
  CreateConnectorDto: { baseUrl: 'http://127.0.0.1:9/', schedule: null },
  UpdateConnectorDto: { baseUrl: 'http://127.0.0.1:9/', schedule: null },
  // an officer of province 79: otherwise the examples (admin + a province) are refused whatever the defect
  CreateUserDto: { role: 'officer' },
  CreateApiKeyDto: { role: 'officer' },
};

/** per operation: the test call needs a kind that has one (one-stop-shop has none), still aimed at a closed port */
const ROUTE_BASE_OVERRIDES: Record<string, Record<string, unknown>> = {
  'POST /connectors/test': { kind: 'vnpost-bcci', credentials: { apiKey: 'fuzz-key' }, options: {} },
};

export function listOperations(doc: OpenApiDoc): Op[] {
  const ops: Op[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const params = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      const bodyKind = content['application/json'] ? 'json' : content['multipart/form-data'] ? 'multipart' : 'none';
      const raw = content['application/json']?.schema ?? content['multipart/form-data']?.schema;
      const route = `${method.toUpperCase()} ${template}`;
      ops.push({
        method: method.toUpperCase(),
        template,
        route,
        operation,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        bodyKind,
        bodySchema: raw ? resolve(doc, raw) : undefined,
        schemaName: raw?.$ref?.split('/').pop(),
        isPublic: PUBLIC_ROUTES.has(route),
        storesNothing: /(?<!or )nothing (is )?stored|changes nothing/i.test(operation.summary ?? ''),
      });
    }
  }
  return ops;
}

function resolve(doc: OpenApiDoc, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop()!;
  const found = doc.components?.schemas?.[name];
  if (!found) throw new Error(`schema ${schema.$ref} not found in the document`);
  return resolve(doc, found);
}

/**
 * The type a field really has. Nest documents `string | null` fields as `type: object`; the example tells the truth.
 */
function effectiveType(doc: OpenApiDoc, schema: Schema): string {
  const s = resolve(doc, schema);
  if (s.type === 'object' && s.example !== undefined && s.example !== null && typeof s.example !== 'object') return typeof s.example;
  if (s.type === 'integer') return 'number';
  if (!s.type && s.properties) return 'object';
  return s.type ?? 'string';
}

/** A plausible value of a schema, from its examples (every property, required or not). */
function exampleOf(doc: OpenApiDoc, schema: Schema, schemaName?: string): unknown {
  const s = resolve(doc, schema);
  if (s.properties) {
    const overrides = (schemaName && BASE_OVERRIDES[schemaName]) || {};
    const out: Record<string, unknown> = {};
    for (const [name, prop] of Object.entries(s.properties)) {
      out[name] = name in overrides ? overrides[name] : exampleOf(doc, prop, prop.$ref?.split('/').pop());
    }
    return out;
  }
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  switch (effectiveType(doc, s)) {
    case 'array':
      return s.items ? [exampleOf(doc, s.items, s.items.$ref?.split('/').pop())] : [];
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'object':
      return {};
    default:
      return 'fuzz-base-value-0123';
  }
}

/** Every field of a body schema, with nested object-array items (`values.0.year`), as paths. */
interface FieldInfo {
  path: Array<string | number>;
  schema: Schema;
  type: string;
  required: boolean;
  /** the top-level field it belongs to */
  top: string;
}

function fieldsOf(doc: OpenApiDoc, schema: Schema, prefix: Array<string | number> = [], top?: string): FieldInfo[] {
  const s = resolve(doc, schema);
  const out: FieldInfo[] = [];
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const path = [...prefix, name];
    const type = effectiveType(doc, prop);
    const topName = top ?? name;
    out.push({ path, schema: resolve(doc, prop), type, required: (s.required ?? []).includes(name), top: topName });
    const p = resolve(doc, prop);
    if (type === 'array' && p.items) {
      const item = resolve(doc, p.items);
      if (item.properties) out.push(...fieldsOf(doc, item, [...path, 0], topName));
      else out.push({ path: [...path, 0], schema: item, type: effectiveType(doc, item), required: false, top: topName });
    }
  }
  return out;
}

/** percent-encodes any string, lone surrogates included (as the UTF-8 bytes Node would send: EF BF BD) */
export function enc(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
}

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

function setAt(target: unknown, path: Array<string | number>, value: unknown): void {
  let cur = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  cur[path[path.length - 1]] = value;
}

function deleteAt(target: unknown, path: Array<string | number>): void {
  let cur = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  delete cur[path[path.length - 1]];
}

/** The name a field-level message uses: the last named segment (`values.0.year` → `year`, `provinces.0` → `provinces`). */
function mentionOf(path: Array<string | number>): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return String(path[0]);
}

/** Markers in JSON text replaced by raw JSON (e.g. `1e400`) or by raw bytes (invalid UTF-8) when encoding a body. */
const RAW = (text: string) => `@@RAW:${text}@@`;
const BYTES = (hex: string) => `@@BYTES:${hex}@@`;

export function encodeBody(value: unknown): Buffer {
  const text = JSON.stringify(value).replace(/"@@RAW:(.*?)@@"/g, '$1');
  const parts = text.split(/@@BYTES:([0-9a-f]+)@@/);
  return Buffer.concat(parts.map((p, i) => (i % 2 === 1 ? Buffer.from(p, 'hex') : Buffer.from(p, 'utf8'))));
}

/** Adds a member to serialised JSON text without going through a JS object (for `__proto__` and friends). */
function withRawMember(json: Buffer, key: string, valueJson: string): Buffer {
  const text = json.toString('utf8');
  const member = `${JSON.stringify(key)}:${valueJson}`;
  return Buffer.from(text === '{}' ? `{${member}}` : text.replace(/^\{/, `{${member},`), 'utf8');
}

/** hostile strings: injection, templates, traversal, unicode, NUL, very long */
export const HOSTILE_STRINGS: Array<[string, string]> = [
  ['sql-or', "' OR 1=1 --"],
  ['sql-drop', '"; DROP TABLE connector; --'],
  ['sql-sleep', "1'; SELECT pg_sleep(10); --"],
  ['sql-union', "x' UNION SELECT password_hash FROM app_user --"],
  ['xss', '<script>alert(1)</script>'],
  ['tpl-dollar', '${7*7}'],
  ['tpl-mustache', '{{7*7}}'],
  ['tpl-erb', '<%= 7*7 %>'],
  ['nosql-where', '$where'],
  ['nosql-json-text', '{"$gt":""}'],
  ['traversal', '../../etc/passwd'],
  ['pct00-text', '%00'],
  ['shell', '$(id) `id` | id'],
  ['format-string', '%s%s%s%n%x'],
  ['crlf', 'a\r\nSet-Cookie: x=1'],
  ['backslashes', '\\\\\\'],
  ['emoji', '😀🔥💥'],
  ['combining-marks', `Tỉnh Hà Giang${'\u0301'.repeat(50)}`],
  ['rtl-override', '\u202Eevil'],
  ['bom', '\uFEFF'],
  ['zero-width', '\u200B'],
  ['nul-inside', 'a\u0000b'],
  ['nul-only', '\u0000'],
  ['lone-surrogate', '\ud800'],
  ['empty', ''],
  ['blank', '   '],
  ['long-5000', 'x'.repeat(5000)],
  ['astral', '𝕳𝖊𝖑𝖑𝖔'],
];

/** values of a path segment, already encoded: none of them names anything that exists */
export const PATH_VALUES: Array<[string, string]> = [
  ['word', 'abc'],
  ['negative', '-1'],
  ['zero', '0'],
  ['float', '1.5'],
  ['exponent', '1e3'],
  ['hex', '0x1F'],
  ['huge', '99999999999999999999'],
  ['int64-overflow', '9223372036854775808'],
  ['int64-underflow', '-9223372036854775809'],
  ['hyphens-36', '-'.repeat(36)],
  ['uuid-shaped-not-hex', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'],
  ['uuid-bad-digit', '00000000-0000-4000-8000-00000000000g'],
  ['uuid-suffix', '00000000-0000-4000-8000-000000000000x'],
  ['uuid-nil', '00000000-0000-0000-0000-000000000000'],
  ['traversal-raw', '../../etc/passwd'],
  ['traversal-encoded', '..%2F..%2Fetc%2Fpasswd'],
  ['pct00', '%00'],
  ['nul-inside', 'a%00b'],
  ['double-encoded', '%2500'],
  ['bad-percent', '%zz'],
  ['lone-percent', '%'],
  ['overlong-utf8', '%C0%AE%C0%AE'],
  ['long-5000', 'a'.repeat(5000)],
  ['space', '%20'],
  ['null-word', 'null'],
  ['nan-word', 'NaN'],
  ['infinity-word', 'Infinity'],
  ['brackets', '%5B%5D'],
  ...HOSTILE_STRINGS.filter(([l]) => ['sql-or', 'sql-drop', 'xss', 'tpl-dollar', 'tpl-mustache', 'nosql-where', 'nosql-json-text', 'emoji', 'rtl-override'].includes(l)).map(
    ([l, v]) => [l, encodeURIComponent(v)] as [string, string],
  ),
];

/**
 * bad values for a constrained query parameter (none is a short run of digits, which might be valid); for a
 * parameter documented as a number, only values that are no number at all or out of any range (a lenient parser
 * may read " 1", "0x10" or "1e3" as numbers)
 */
const NOT_FOR_NUMBERS = new Set(['negative', 'float', 'exponent', 'hex', 'leading-space']);
export const QUERY_BAD_VALUES: Array<[string, string]> = [
  ['word', 'zz'],
  ['negative', '-1'],
  ['float', '1.5'],
  ['exponent', '1e3'],
  ['hex', '0x10'],
  ['huge', '99999999999999999999'],
  ['leading-space', ' 1'],
  ['empty', ''],
  ['true-word', 'TRUE'],
  ['hyphens-36', '-'.repeat(36)],
  ['uuid-shaped-not-hex', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'],
  ['uuid-bad-digit', '00000000-0000-4000-8000-00000000000g'],
  ...HOSTILE_STRINGS.filter(([, v]) => !/^\d{1,9}$/.test(v) && !v.includes('@')),
];

const UNKNOWN_FIELDS = ['zzUnknown', '$where', '$gt', "' OR 1=1 --", '<script>', '{{7*7}}', '😀', '', 'a.b', 'a[0]', 'toString', 'hasOwnProperty'];
/** keys Nest's ValidationPipe strips by design (prototype-pollution guard): hostile, not strictly malformed */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

function wrongTypes(type: string, schema: Schema): Array<[string, unknown]> {
  const common: Record<string, Array<[string, unknown]>> = {
    string: [
      ['number', 12345],
      ['negative', -1],
      ['object', { a: 1 }],
      ['nosql-object', { $gt: '' }],
      ['array', ['x']],
      ['empty-array', []],
      ['boolean', true],
    ],
    number: [
      ['string', '2025'],
      ['object', { a: 1 }],
      ['nosql-object', { $gt: 0 }],
      ['array', [1]],
      ['boolean', false],
      ['infinity', RAW('1e400')],
      ['neg-infinity', RAW('-1e400')],
    ],
    boolean: [
      ['string', 'true'],
      ['number', 1],
      ['object', {}],
      ['array', [true]],
    ],
    object: [
      ['string', 'x'],
      ['number', 1],
      ['array', [{}]],
      ['empty-array', []],
      ['boolean', true],
    ],
    array: [
      ['string', 'x'],
      ['number', 1],
      ['object', { a: 1 }],
      ['nosql-object', { $in: [] }],
      ['boolean', true],
    ],
  };
  const out = [...(common[type] ?? common.string)];
  if (schema.enum?.length) {
    out.push(['not-in-enum', 'zz-not-a-choice']);
    const upper = String(schema.enum[0]).toUpperCase();
    if (!schema.enum.includes(upper)) out.push(['enum-wrong-case', upper]);
  }
  return out;
}

/** object-typed free-form fields get NoSQL-like and nested values (may be valid: always poisoned) */
const HOSTILE_OBJECTS: Array<[string, unknown]> = [
  ['nosql-gt', { $gt: '' }],
  ['nosql-where', { $where: 'sleep(1000)' }],
  ['nosql-nested', { a: { $ne: null } }],
  ['proto-like', { constructor: { prototype: { polluted: true } } }],
  ['nested-50', JSON.parse('{"a":'.repeat(50) + '1' + '}'.repeat(50))],
];

function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

const BROKEN_JSON: Array<[string, string]> = [
  ['not-json', 'notjson'],
  ['open-brace', '{'],
  ['unterminated-member', '{"a":'],
  ['trailing-comma', '{"a":1,}'],
  ['single-quotes', "{'a':1}"],
  ['unterminated-array', '[1,2'],
  ['extra-brace', '{"a":1}}'],
  ['undefined', '{"a":undefined}'],
  ['nan', '{"a":NaN}'],
  ['hex-number', '{"a":0x10}'],
  ['bad-escape', '{"a":"\\x41"}'],
  ['short-unicode-escape', '{"a":"\\u12"}'],
  ['unterminated-string', '{"a":"unterminated'],
  ['bom-then-broken', '\uFEFF{"a":1'],
  ['trailing-garbage', '{"a":1} trailing'],
  ['top-level-string', '"a string"'],
  ['top-level-number', '123'],
  ['top-level-null', 'null'],
  ['top-level-true', 'true'],
  ['nul-byte', '\u0000'],
  ['comment', '{/* c */"a":1}'],
];

const BAD_AUTH: Array<[string, Record<string, string>]> = [
  ['bearer-no-token', { authorization: 'Bearer' }],
  ['bearer-blank', { authorization: 'Bearer    ' }],
  ['bearer-two-words', { authorization: 'Bearer a b' }],
  ['basic', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
  ['bearer-600-chars', { authorization: `Bearer ${'A'.repeat(600)}` }],
  ['bearer-prefix-only', { authorization: 'Bearer peh_key_' }],
  ['bearer-sql', { authorization: "Bearer '||'1'='1" }],
  ['bearer-template', { authorization: 'Bearer ${7*7}' }],
  ['x-api-key-sql', { 'x-api-key': "' OR '1'='1" }],
  ['x-api-key-10k', { 'x-api-key': 'k'.repeat(10_000) }],
  ['x-api-key-latin1', { 'x-api-key': 'cl\u00e9' }],
  ['x-api-key-empty-and-basic', { 'x-api-key': '', authorization: 'Basic Og==' }],
];

export interface QueryKnowledge {
  /** `route` → parameter name → whether a wrong value is refused (400) or taken as free text */
  [route: string]: Record<string, 'constrained' | 'free'>;
}

/** Builds every case for every operation; `seed` fixes the ids, the samples and the order. */
export function generateCases(doc: OpenApiDoc, knowledge: QueryKnowledge, seed: number): FuzzCase[] {
  const rng = new Prng(seed);
  const ops = listOperations(doc);
  const cases: FuzzCase[] = [];

  const defaultPathValue = (p: Parameter): string => {
    const s = p.schema ?? {};
    const isId = p.name === 'id' || /Id$/.test(p.name);
    if (typeof s.example === 'string' && !isId) return encodeURIComponent(s.example);
    if (s.type === 'number' || s.type === 'integer' || (isId && /^\d+$/.test(String(s.example ?? '')))) return String(900_000_000 + rng.int(99_999_999));
    return rng.uuid();
  };
  const pathDefaults = new Map<string, Record<string, string>>();
  for (const op of ops) {
    const d: Record<string, string> = {};
    for (const p of op.pathParams) d[p.name] = defaultPathValue(p);
    pathDefaults.set(op.route, d);
  }

  const baseQuery = (op: Op): Array<[string, string]> =>
    op.queryParams.filter((q) => q.required).map((q) => [q.name, encodeURIComponent(String(q.schema?.example ?? 'x'))]);

  const buildPath = (op: Op, pathValues: Record<string, string> = {}, query: Array<[string, string]> | null = null): string => {
    const values = { ...pathDefaults.get(op.route), ...pathValues };
    const path = op.template.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name]);
    const q = query ?? baseQuery(op);
    return q.length ? `${path}?${q.map(([k, v]) => `${k}=${v}`).join('&')}` : path;
  };

  const baseBody = (op: Op): unknown =>
    op.bodySchema && op.bodyKind === 'json' ? { ...(exampleOf(doc, op.bodySchema, op.schemaName) as object), ...ROUTE_BASE_OVERRIDES[op.route] } : undefined;

  const json = (body: unknown): Pick<FuzzCase, 'headers' | 'body'> => ({ headers: { 'content-type': 'application/json' }, body: encodeBody(body) });

  const push = (op: Op, c: Partial<FuzzCase> & Pick<FuzzCase, 'category' | 'label'>) => {
    cases.push({
      method: op.method,
      route: op.route,
      path: buildPath(op),
      who: 'admin',
      headers: {},
      kind: 'strict',
      ...c,
    });
  };

  /**
   * A second, certain defect for a value that might be valid: a path that names nothing (404 after validation),
   * else a missing required field (400 naming it), else an unknown field; none for sign-in (a 401 is fine).
   */
  const poison = (op: Op, body: Record<string, unknown>, except: string): { body: Record<string, unknown>; mustMention?: string } => {
    // an id in the path names nothing that exists, so the request fails anyway; a province and year are real
    // (79, 2025), so a state-changing route under them needs the poison like any route without path parameters
    if (op.pathParams.some((p) => !SCOPE_PATH_PARAMS.has(p.name)) || op.route === 'POST /auth/login') return { body };
    const required = resolve(doc, op.bodySchema!).required ?? [];
    const other = required.find((r) => r !== except);
    if (other) {
      const b = clone(body);
      delete b[other];
      return { body: b, mustMention: other };
    }
    return { body: { ...body, zzPoison: 1 }, mustMention: 'zzPoison' };
  };

  for (const op of ops) {
    const base = baseBody(op);
    const fields = op.bodySchema && op.bodyKind === 'json' ? fieldsOf(doc, op.bodySchema) : [];
    const hasRequired = (op.bodySchema?.required ?? []).length > 0;

    // ---- body fields: wrong types, null / missing required, enums, hostile values
    for (const f of fields) {
      const name = f.path.join('.');
      for (const [label, value] of wrongTypes(f.type, f.schema)) {
        const body = clone(base) as Record<string, unknown>;
        setAt(body, f.path, value);
        push(op, { category: 'body-wrong-type', label: `${name}=${label}`, ...json(body), mustMention: mentionOf(f.path) });
      }
      if (f.required) {
        const body = clone(base) as Record<string, unknown>;
        setAt(body, f.path, null);
        push(op, { category: 'body-null-required', label: `${name}=null`, ...json(body), mustMention: mentionOf(f.path) });
        const missing = clone(base) as Record<string, unknown>;
        deleteAt(missing, f.path);
        push(op, { category: 'body-missing-required', label: `${name} missing`, ...json(missing), mustMention: mentionOf(f.path) });
      }
      if (f.type === 'string') {
        for (const [label, value] of HOSTILE_STRINGS) {
          const body = clone(base) as Record<string, unknown>;
          setAt(body, f.path, value);
          const p = poison(op, body, f.top);
          push(op, { category: 'body-hostile-string', label: `${name}=${label}`, ...json(p.body), mustMention: p.mustMention });
          if (op.storesNothing) push(op, { category: 'hostile-body-string', label: `${name}=${label} (unpoisoned)`, ...json(body), kind: 'hostile' });
        }
        // NUL where nothing else is wrong: it must be refused (400), not reach PostgreSQL (which cannot store it)
        if (op.pathParams.length === 0 && op.route !== 'POST /auth/login' && !op.storesNothing) {
          for (const [label, value] of HOSTILE_STRINGS.filter(([l]) => l.startsWith('nul-'))) {
            const nul = clone(base) as Record<string, unknown>;
            setAt(nul, f.path, value);
            push(op, { category: 'body-nul-unpoisoned', label: `${name}=${label}`, ...json(nul) });
          }
        }
        // invalid UTF-8 inside the string
        const body = clone(base) as Record<string, unknown>;
        setAt(body, f.path, `x${BYTES('fffe80c0')}y`);
        const p = poison(op, body, f.top);
        push(op, { category: 'body-hostile-string', label: `${name}=invalid-utf8`, ...json(p.body), mustMention: p.mustMention });
      }
      if (f.type === 'object') {
        for (const [label, value] of HOSTILE_OBJECTS) {
          const body = clone(base) as Record<string, unknown>;
          setAt(body, f.path, value);
          const p = poison(op, body, f.top);
          // a prototype-named key anywhere may be what the answer names instead
          const mention = p.mustMention && label === 'proto-like' ? [p.mustMention, 'constructor'] : p.mustMention;
          push(op, { category: 'body-hostile-object', label: `${name}=${label}`, ...json(p.body), mustMention: mention });
        }
      }
    }

    // ---- unknown fields, at the top and inside array items
    if (op.bodyKind === 'json' && base !== undefined) {
      for (const key of UNKNOWN_FIELDS) {
        const body = { ...(clone(base) as Record<string, unknown>), [key]: 1 };
        push(op, { category: 'body-unknown-field', label: `+${JSON.stringify(key)}`, ...json(body), mustMention: key || undefined });
      }
      for (const f of fields.filter((x) => x.path.length >= 2 && typeof x.path[x.path.length - 2] === 'number').slice(0, 1)) {
        const itemPath = f.path.slice(0, -1);
        for (const key of ['zzUnknown', '$where', 'hasOwnProperty']) {
          const body = clone(base) as Record<string, unknown>;
          setAt(body, [...itemPath, key], 1);
          push(op, { category: 'body-unknown-field', label: `${itemPath.join('.')}.+${key}`, ...json(body), mustMention: key });
        }
      }
      for (const key of PROTO_KEYS) {
        const encoded = encodeBody(base);
        if (op.storesNothing) {
          push(op, { category: 'hostile-proto-key', label: `+${key}`, headers: { 'content-type': 'application/json' }, body: withRawMember(encoded, key, '{"polluted":true}'), kind: 'hostile' });
        }
        const p = poison(op, clone(base) as Record<string, unknown>, '');
        push(op, { category: 'body-proto-key', label: `+${key} (poisoned)`, headers: { 'content-type': 'application/json' }, body: withRawMember(encodeBody(p.body), key, '{"polluted":true}'), mustMention: p.mustMention ? [p.mustMention, key] : undefined });
      }
      // whole bodies of the wrong shape
      const shapes: Array<[string, string]> = [
        ['array', '[]'],
        ['array-of-object', '[{}]'],
        ['array-of-numbers', '[1,2]'],
        ['array-of-base', `[${encodeBody(base).toString('utf8')}]`],
      ];
      if (hasRequired) shapes.push(['empty-object', '{}']);
      for (const [label, text] of shapes) push(op, { category: 'body-wrong-shape', label, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) });
      // deep nesting: the whole body, inside an object field, inside an unknown field
      for (const depth of [1000, 5000, 10000]) {
        push(op, { category: 'body-deep-nesting', label: `object depth ${depth}`, headers: { 'content-type': 'application/json' }, body: Buffer.from(deepObject(depth)) });
      }
      push(op, { category: 'body-deep-nesting', label: 'array depth 5000', headers: { 'content-type': 'application/json' }, body: Buffer.from(deepArray(5000)) });
      const objectField = fields.find((f) => f.type === 'object' && f.path.length === 1);
      for (const target of [...(objectField ? [String(objectField.path[0])] : []), 'zzDeep']) {
        const rest = clone(base) as Record<string, unknown>;
        delete rest[target];
        push(op, { category: 'body-deep-nesting', label: `${target} depth 5000`, headers: { 'content-type': 'application/json' }, body: withRawMember(encodeBody(rest), target, deepObject(5000)) });
      }
      // the right JSON under the wrong content type
      for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/octet-stream', 'image/png', 'application/json-patch+json', '']) {
        push(op, { category: 'wrong-content-type', label: type || '(none)', headers: type ? { 'content-type': type } : {}, body: encodeBody(base) });
      }
    }

    // ---- multipart upload
    if (op.bodyKind === 'multipart') {
      for (const c of multipartCases(op.bodySchema!)) push(op, { category: 'multipart', ...c });
      push(op, { category: 'wrong-content-type', label: 'application/json', ...json({ source: 'x', file: 'provinceCode,year\n' }) });
    }

    // ---- path parameters
    for (const p of op.pathParams) {
      const last = op.template.endsWith(`{${p.name}}`);
      const values = last ? PATH_VALUES : [...PATH_VALUES, ['empty', ''] as [string, string]];
      for (const [label, value] of values) {
        push(op, {
          category: 'path-bad-id',
          label: `${p.name}=${label}`,
          path: buildPath(op, { [p.name]: value }),
          ...(base !== undefined ? json(base) : {}),
        });
      }
    }

    // ---- query parameters
    if (op.queryParams.length > 0) {
      const known = knowledge[op.route] ?? {};
      for (const q of op.queryParams) {
        const others = baseQuery(op).filter(([k]) => k !== q.name);
        const constrained = known[q.name] === 'constrained' || (q.schema?.enum?.length ?? 0) > 0;
        if (constrained) {
          const numeric = q.schema?.type === 'number' || q.schema?.type === 'integer';
          for (const [label, value] of QUERY_BAD_VALUES.filter(([l]) => !numeric || !NOT_FOR_NUMBERS.has(l))) {
            push(op, { category: 'query-bad-value', label: `${q.name}=${label}`, path: buildPath(op, {}, [...others, [q.name, enc(value)]]), mustMention: q.name });
          }
        } else {
          for (const [label, value] of HOSTILE_STRINGS) {
            push(op, { category: 'hostile-query-free-text', label: `${q.name}=${label}`, path: buildPath(op, {}, [...baseQuery(op).filter(([k]) => k !== q.name), [q.name, enc(value)]]), kind: 'hostile' });
          }
        }
        const example = encodeURIComponent(String(q.schema?.example ?? q.schema?.enum?.[0] ?? 'x'));
        push(op, { category: 'query-array', label: `${q.name} twice`, path: buildPath(op, {}, [...others, [q.name, example], [q.name, example]]), mustMention: q.name });
        push(op, { category: 'query-object', label: `${q.name}[a]`, path: buildPath(op, {}, [...others, [`${q.name}[a]`, example]]), mustMention: `${q.name}[a]` });
        push(op, { category: 'query-object', label: `${q.name}[$gt]`, path: buildPath(op, {}, [...others, [`${q.name}[$gt]`, '']]), mustMention: `${q.name}[$gt]` });
        if (q.required) push(op, { category: 'query-missing-required', label: `${q.name} missing`, path: buildPath(op, {}, others), mustMention: q.name });
      }
      for (const key of UNKNOWN_FIELDS.filter((k) => k !== '')) {
        push(op, { category: 'query-unknown', label: `+${key}`, path: buildPath(op, {}, [...baseQuery(op), [enc(key), '1']]), mustMention: key });
      }
      for (const key of PROTO_KEYS) {
        push(op, { category: 'hostile-query-proto-key', label: `+${key}`, path: buildPath(op, {}, [...baseQuery(op), [key, '1']]), kind: 'hostile' });
      }
    }

    // ---- transport: broken JSON, charsets, encodings, oversize (every operation)
    const jsonOnly = { 'content-type': 'application/json' };
    for (const [label, text] of BROKEN_JSON) push(op, { category: 'broken-json', label, headers: jsonOnly, body: Buffer.from(text, 'utf8') });
    push(op, { category: 'bad-charset', label: 'charset=klingon', headers: { 'content-type': 'application/json; charset=klingon' }, body: Buffer.from('{"a":1}') });
    push(op, { category: 'bad-charset', label: 'utf-16 declared, utf-8 sent', headers: { 'content-type': 'application/json; charset=utf-16' }, body: Buffer.from('{"a":1}') });
    for (const enc of ['gzip', 'deflate', 'br']) {
      push(op, { category: 'bad-encoding', label: `${enc} header, plain body`, headers: { ...jsonOnly, 'content-encoding': enc }, body: Buffer.from('{"a":1}') });
    }
    push(op, { category: 'bad-encoding', label: 'unknown encoding', headers: { ...jsonOnly, 'content-encoding': 'x-fuzz' }, body: Buffer.from('{"a":1}') });
    const huge = encodeBody({ zzHuge: 'h'.repeat(300 * 1024) });
    push(op, { category: 'huge-body', label: '300 KB', headers: jsonOnly, body: huge, statuses: [413] });
    push(op, { category: 'huge-body', label: '300 KB chunked', headers: jsonOnly, body: huge, chunked: true, statuses: [413] });
    push(op, { category: 'huge-body', label: 'gzip bomb (5 KB → 5 MB)', headers: { ...jsonOnly, 'content-encoding': 'gzip' }, body: gzipBomb(), statuses: [413] });

    // ---- methods the document does not list for this path
    const listed = new Set(Object.keys(doc.paths[op.template]).map((m) => m.toUpperCase()));
    if (op === ops.find((o) => o.template === op.template)) {
      for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((x) => !listed.has(x))) {
        cases.push({ method: m, route: `${m} ${op.template}`, path: buildPath(op), category: 'wrong-method', label: m, who: 'admin', headers: jsonOnly, body: encodeBody(base ?? {}), kind: 'strict' });
      }
    }

    // ---- credentials: malformed, missing
    if (!op.isPublic) {
      for (const [label, headers] of BAD_AUTH) {
        push(op, { category: 'bad-credentials', label, who: 'as-given', headers: { ...headers, ...(base !== undefined ? jsonOnly : {}) }, body: base !== undefined ? encodeBody(base) : undefined, statuses: [401] });
      }
      push(op, { category: 'anonymous', label: 'no credentials', who: 'anonymous', ...(base !== undefined ? json(base) : {}), statuses: [401] });
    }
  }

  // ---- a few huge bodies of several megabytes, on a sample of operations
  for (const op of pickSample(rng, ops, 6)) {
    cases.push({ method: op.method, route: op.route, path: buildPath(op), category: 'huge-body', label: '3 MB', who: 'admin', headers: { 'content-type': 'application/json' }, body: encodeBody({ zzHuge: 'h'.repeat(3 * 1024 * 1024) }), kind: 'strict', statuses: [413] });
  }

  // ---- the same malformed requests from under-privileged callers: a sample per operation and role
  const byRoute = new Map<string, FuzzCase[]>();
  for (const c of cases) {
    if (c.kind !== 'strict' || c.who !== 'admin' || !/^(body|query|path)-/.test(c.category)) continue;
    byRoute.set(c.route, [...(byRoute.get(c.route) ?? []), c]);
  }
  for (const [, list] of byRoute) {
    for (const who of ['officer', 'auditor', 'operator'] as const) {
      const c = rng.pick(list);
      cases.push({ ...c, who, category: `as-${who}`, label: `${c.category}: ${c.label}`, mustMention: undefined, statuses: undefined });
    }
  }

  return rng.shuffle(cases);
}

function pickSample<T>(rng: Prng, items: T[], n: number): T[] {
  return rng.shuffle([...items]).slice(0, n);
}

let bomb: Buffer | undefined;
function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.from(`{"zzBomb":"${' '.repeat(5 * 1024 * 1024)}"}`));
  return bomb;
}

function multipart(parts: Array<{ name: string; filename?: string; content: Buffer | string; type?: string }>, boundary = 'fuzzBoundary7MA4YWxkTrZu0gW'): { headers: Record<string, string>; body: Buffer } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks) };
}

/**
 * Uploads that can never store anything, from the multipart schema: each lacks a required part, has one too
 * many, is cut or mis-framed, is oversize, or (for CSV imports) holds rows that name no province.
 */
type MultipartCase = Pick<FuzzCase, 'label' | 'headers' | 'body'> & { mustMention?: string; statuses?: number[] };
function multipartCases(schema: Schema): MultipartCase[] {
  const props = schema.properties ?? {};
  const required = schema.required ?? [];
  const fileField = Object.keys(props).find((k) => (props[k] as Schema & { format?: string }).format === 'binary') ?? 'file';
  const fileDescription = String((props[fileField] as Schema & { description?: string })?.description ?? '');
  const csv = /csv/i.test(fileDescription);
  const textFields = Object.keys(props).filter((k) => k !== fileField);
  const header = 'provinceCode,year,key,value,max\n';
  const content = csv ? `${header}zz,2025,sipas,1,100\n` : 'a fuzz document\n';
  const file = (data: Buffer | string = content, name = fileField, filename = csv ? 'values.csv' : 'evidence.txt') => ({ name, filename, content: data, type: csv ? 'text/csv' : 'text/plain' });
  const text = (name: string, value?: string) => ({ name, content: value ?? String(props[name].example ?? 'fuzz title') });
  const allText = () => textFields.map((n) => text(n));
  const out: MultipartCase[] = [];
  for (const name of textFields.filter((n) => required.includes(n))) {
    out.push({ label: `${name} missing`, ...multipart([...allText().filter((p) => p.name !== name), file()]), mustMention: name });
  }
  out.push({ label: `${fileField} missing`, ...multipart(allText()) });
  for (const name of textFields) {
    out.push({ label: `${name} twice`, ...multipart([...allText(), text(name, 'second'), file()]) });
    out.push({ label: `${name}[a]`, ...multipart([...allText().filter((p) => p.name !== name), text(`${name}[a]`, 'x'), file()]) });
    // hostile values with no file (always refused)
    for (const [label, value] of HOSTILE_STRINGS.filter(([l]) => ['sql-drop', 'xss', 'traversal', 'nul-inside', 'emoji', 'crlf', 'long-5000', 'blank'].includes(l))) {
      out.push({ label: `${name}=${label}, no file`, ...multipart([...allText().filter((p) => p.name !== name), text(name, value)]) });
    }
  }
  out.push({ label: 'extra field', ...multipart([...allText(), text('zzExtra', '1'), file()]), mustMention: 'zzExtra' });
  out.push({ label: '$where field', ...multipart([...allText(), text('$where', '1'), file()]), mustMention: '$where' });
  out.push({ label: 'unexpected file field', ...multipart([...allText(), file(content, 'zzOther')]) });
  out.push({ label: 'two files', ...multipart([...allText(), file(), file()]) });
  const firstRequired = textFields.find((n) => required.includes(n));
  for (const [label, value] of HOSTILE_STRINGS.filter(([l]) => (firstRequired || csv) && ['sql-drop', 'xss', 'traversal', 'nul-inside', 'emoji', 'long-5000'].includes(l))) {
    const parts = allText().filter((p) => p.name !== firstRequired);
    // no field named in the answer: a filename with NUL or CR/LF is refused by the multipart parser itself
    out.push({ label: `filename=${label}${firstRequired ? `, no ${firstRequired}` : ''}`, ...multipart([...parts, file(content, fileField, value)]) });
  }
  out.push({ label: 'file 21 MB', ...multipart([...allText(), file(Buffer.alloc(21 * 1024 * 1024, 0x61))]), statuses: [413] });
  out.push({ label: 'no boundary', headers: { 'content-type': 'multipart/form-data' }, body: Buffer.from('junk') });
  out.push({ label: 'truncated', headers: { 'content-type': 'multipart/form-data; boundary=XX' }, body: Buffer.from(`--XX\r\nContent-Disposition: form-data; name="${textFields[0] ?? 'x'}"\r\n\r\nabc`) });
  out.push({ label: 'boundary mismatch', headers: { 'content-type': 'multipart/form-data; boundary=YY' }, body: multipart([...allText(), file()]).body });
  out.push({ label: 'no disposition', headers: { 'content-type': 'multipart/form-data; boundary=XX' }, body: Buffer.from('--XX\r\n\r\nabc\r\n--XX--\r\n') });
  if (csv) {
    // complete uploads whose rows can never be imported
    const rows = (body: string) => multipart([...allText(), file(body)]);
    out.push({ label: 'binary garbage file', ...multipart([...allText(), file(Buffer.from([0, 1, 2, 0xff, 0xfe, 0]))]) });
    out.push({ label: 'empty file', ...rows('') });
    out.push({ label: 'header only', ...rows(header) });
    out.push({ label: 'rows of no province', ...rows(content) });
    out.push({ label: 'nul and injection in cells', ...rows(`${header}z\u0000z,2025,' OR 1=1 --,"; DROP TABLE connector; --,100\n`) });
    out.push({ label: 'unbalanced quotes', ...rows(`${header}"79,2025,sipas,1,100\n`) });
    out.push({ label: 'ragged rows', ...rows(`${header}zz,2025\nzz,2025,a,b,c,d,e,f\n`) });
  }
  return out;
}
