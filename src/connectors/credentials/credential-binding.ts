/**
 * A saved credential is bound to where and how it is sent: the connector kind, its base URL and the options that
 * decide the token URL or the way the secret travels (for declarative sources `options.source.auth`). Changing
 * any of them without giving the credentials again in the same request is refused, so a secret never follows a
 * changed address.
 */
export interface BindingFields {
  kind: string;
  baseUrl: string;
  options: Record<string, unknown>;
}

/** The option paths that decide where or how a secret is sent, per kind (kinds not listed: none beyond base URL). */
const SECRET_ROUTING_OPTIONS: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = {
  'declarative-rest': [['source', 'auth'], ['source', 'request', 'headers']],
  'document-management': [['source', 'auth'], ['source', 'request', 'headers']],
};

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** JSON with object keys sorted: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  return `{${Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href.replace(/\/+$/, '') === new URL(b).href.replace(/\/+$/, '');
  } catch {
    return a === b;
  }
}

/** The fields of a change that move a saved credential elsewhere (empty: the credential may stay). */
export function credentialBindingChanges(before: BindingFields, after: BindingFields): string[] {
  const changed: string[] = [];
  if (before.kind !== after.kind) changed.push('kind');
  if (!sameUrl(before.baseUrl, after.baseUrl)) changed.push('baseUrl');
  const paths = new Map<string, readonly string[]>();
  for (const path of [...(SECRET_ROUTING_OPTIONS[before.kind] ?? []), ...(SECRET_ROUTING_OPTIONS[after.kind] ?? [])]) paths.set(path.join('.'), path);
  for (const [name, path] of paths) {
    if (canonicalJson(at(before.options, path)) !== canonicalJson(at(after.options, path))) changed.push(`options.${name}`);
  }
  return changed;
}
