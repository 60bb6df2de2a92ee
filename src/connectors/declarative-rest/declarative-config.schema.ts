import { z } from 'zod';
import { isMultiValuedPath, jsonPathError } from './json-path';
import { templateErrors, unitTemplateErrors } from './url-template';

/**
 * The configuration of a declarative REST source (a connector's `options.source`). Every object is strict
 * (unknown keys are rejected) and every error names its field, starting with `options.source`.
 */

export const METRIC_CODE = /^sector\.[a-z0-9_.]+$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const PARAM_NAME = /^[^\s&=#?]+$/;
export const DEFAULT_MAX_PAGES = 1000;

const jsonPathField = (opts: { single: boolean }) =>
  z.string().superRefine((value, ctx) => {
    const error = jsonPathError(value);
    if (error) ctx.addIssue({ code: 'custom', message: `is not a supported JSON path: ${error}` });
    else if (opts.single && isMultiValuedPath(value)) ctx.addIssue({ code: 'custom', message: 'must point to a single value (no [*])' });
  });

const templateField = z.string().superRefine((value, ctx) => {
  for (const e of templateErrors(value)) ctx.addIssue({ code: 'custom', message: e });
});

const headerName = z.string().regex(HEADER_NAME, 'must be an HTTP header name (letters, digits and -)');
const paramName = z.string().regex(PARAM_NAME, 'must be a query parameter name (no spaces, &, =, # or ?)');
const maxPages = z.number().int('must be a whole number').min(1, 'must be at least 1').max(100000, 'must be at most 100000').default(DEFAULT_MAX_PAGES);

const requestSchema = z
  .object({
    path: templateField.refine((p) => p.startsWith('/') && !p.startsWith('//'), 'must be a path starting with / (relative to the connector base URL)'),
    query: z.record(paramName, templateField).default({}),
    headers: z.record(headerName, templateField).default({}),
  })
  .strict();

const authSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('apiKeyHeader'), header: headerName }).strict(),
  z.object({ type: z.literal('bearer') }).strict(),
  z.object({ type: z.literal('basic') }).strict(),
  z
    .object({
      type: z.literal('oauth2ClientCredentials'),
      tokenPath: z.string().refine((p) => (p.startsWith('/') && !p.startsWith('//')) || p.startsWith('https://'), 'must be a path starting with / or an https:// URL'),
      scope: z.string().min(1, 'must not be empty when given').optional(),
    })
    .strict(),
]);

const pagingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z
    .object({
      type: z.literal('page'),
      param: paramName,
      start: z.number().int('must be a whole number').min(0, 'must be 0 or more').default(1),
      sizeParam: paramName.optional(),
      size: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100000, 'must be at most 100000').optional(),
      maxPages,
    })
    .strict(),
  z
    .object({
      type: z.literal('offset'),
      param: paramName,
      sizeParam: paramName,
      size: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100000, 'must be at most 100000'),
      maxPages,
    })
    .strict(),
  z
    .object({
      type: z.literal('cursor'),
      nextPath: jsonPathField({ single: true }),
      param: paramName.optional(),
      maxPages,
    })
    .strict(),
]);

const envelopeSchema = z
  .object({
    statusPath: jsonPathField({ single: true }),
    /** any JSON scalar: "00", 0, true, null (a number or boolean also matches its text, e.g. 0 and "0") */
    okValues: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()], { errorMap: () => ({ message: 'must be text, a number, true/false or null' }) })).min(1, 'must list at least one value'),
    codePath: jsonPathField({ single: true }).optional(),
    messagePath: jsonPathField({ single: true }).optional(),
    permanentCodes: z.array(z.string().min(1, 'must not be empty')).default([]),
  })
  .strict();

const recordEntrySchema = z
  .object({
    path: jsonPathField({ single: false }),
    subject: jsonPathField({ single: true }).optional(),
  })
  .strict();

const metricSchema = z
  .object({
    metric: z.string().regex(METRIC_CODE, 'must match sector.<lowercase letters, digits, _ and .>'),
    numerator: jsonPathField({ single: true }),
    denominator: jsonPathField({ single: true }).optional(),
    /**
     * the value at `numerator` is itself a share: `fraction` (0–1) or `percent` (0–100, stored as a fraction).
     * A value outside the range is quarantined with a reason. Not with a denominator.
     */
    share: z.enum(['fraction', 'percent']).optional(),
    /** how quarter and year figures are rolled up from shorter periods (see sector rollups) */
    aggregation: z.enum(['sum', 'weightedMean', 'last']).optional(),
  })
  .strict()
  .refine((m) => m.share === undefined || m.denominator === undefined, { message: 'share and denominator exclude each other (a share has no denominator)', path: ['share'] });

export const declarativeConfigSchema = z
  .object({
    request: requestSchema,
    period: z.enum(['month', 'quarter', 'year']),
    units: z
      .array(
        z
          .string()
          .min(1, 'must not be empty')
          .superRefine((value, ctx) => {
            for (const e of unitTemplateErrors(value)) ctx.addIssue({ code: 'custom', message: e });
          }),
      )
      .min(1, 'must list at least one unit'),
    auth: authSchema,
    paging: pagingSchema,
    envelope: envelopeSchema.optional(),
    records: z.union([jsonPathField({ single: false }), z.array(recordEntrySchema).min(1, 'must list at least one entry')]),
    subject: jsonPathField({ single: true }).optional(),
    metrics: z.array(metricSchema).min(1, 'must list at least one metric'),
  })
  .strict()
  .superRefine((c, ctx) => {
    const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    c.units.forEach((u, i) => {
      if (c.units.indexOf(u) !== i) add(['units', i], `repeats "${u}"`);
    });
    c.metrics.forEach((m, i) => {
      if (c.metrics.findIndex((x) => x.metric === m.metric) !== i) add(['metrics', i, 'metric'], `repeats "${m.metric}"`);
    });
    if (Array.isArray(c.records) && c.subject !== undefined) {
      add(['subject'], 'must not be set when options.source.records is a list (give each entry its own subject)');
    }
    for (const name of Object.keys(c.request.headers)) {
      const lower = name.toLowerCase();
      if (lower === 'authorization') add(['request', 'headers', name], 'is set by auth; credentials never belong in the configuration');
      if (c.auth.type === 'apiKeyHeader' && lower === c.auth.header.toLowerCase()) add(['request', 'headers', name], 'is the API key header of auth');
    }
    const pagingParams: Array<[string, string | undefined]> =
      c.paging.type === 'page' || c.paging.type === 'offset'
        ? [['param', c.paging.param], ['sizeParam', c.paging.sizeParam]]
        : c.paging.type === 'cursor'
          ? [['param', c.paging.param]]
          : [];
    for (const [field, name] of pagingParams) {
      if (name !== undefined && Object.prototype.hasOwnProperty.call(c.request.query, name)) {
        add(['paging', field], `"${name}" is also in options.source.request.query (paging sets it)`);
      }
    }
    if (c.paging.type === 'page' && c.paging.sizeParam !== undefined && c.paging.size === undefined) {
      add(['paging', 'size'], 'is required when options.source.paging.sizeParam is set');
    }
  });

export type DeclarativeConfig = z.output<typeof declarativeConfigSchema>;
export type DeclarativeAuth = DeclarativeConfig['auth'];
export type DeclarativePaging = DeclarativeConfig['paging'];
export type DeclarativeMetric = DeclarativeConfig['metrics'][number];

const ROOT = 'options.source';

function fieldPath(path: (string | number)[]): string {
  let out = ROOT;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  return out;
}

function formatIssue(issue: z.ZodIssue, out: string[]): void {
  const p = fieldPath(issue.path);
  switch (issue.code) {

    case 'unrecognized_keys':
      for (const key of issue.keys) out.push(`${fieldPath([...issue.path, key])} is not a known field`);
      return;
    case 'invalid_type':
      if (issue.received === 'undefined') out.push(`${p} is required`);
      else out.push(`${p} must be ${describeType(issue.expected)} (got ${issue.received})`);
      return;
    case 'invalid_union_discriminator':
      out.push(`${p} must be one of ${issue.options.map(String).join(', ')}`);
      return;
    case 'invalid_enum_value':
      out.push(`${p} must be one of ${issue.options.map(String).join(', ')}`);
      return;
    case 'invalid_literal':
      out.push(`${p} must be ${JSON.stringify(issue.expected)}`);
      return;
    case 'invalid_union': {
      if (issue.path.includes('okValues')) {
        out.push(`${p} must be text, a number, true/false or null`);
        return;
      }
      // Keep the branches that got past the type check at this very field; if none did, the value has the wrong shape.
      const relevant = issue.unionErrors.filter(
        (e) => !e.issues.some((i) => i.code === 'invalid_type' && i.path.length === issue.path.length),
      );
      if (relevant.length === 1) for (const i of relevant[0].issues) formatIssue(i, out);
      else out.push(`${p} must be a JSON path or a list of { path, subject? } entries`);
      return;
    }
    default:
      out.push(`${p} ${issue.message}`);
  }
}

function describeType(expected: string): string {
  switch (expected) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'string':
      return 'text';
    case 'number':
    case 'integer':
      return 'a number';
    default:
      return expected;
  }
}

/** Reads `options.source`; returns the configuration or the problems (never both), each naming its field. */
export function parseDeclarativeConfig(raw: unknown): { config: DeclarativeConfig | null; errors: string[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { config: null, errors: [`${ROOT} must be an object`] };
  }
  const result = declarativeConfigSchema.safeParse(raw);
  if (result.success) return { config: result.data, errors: [] };
  const errors: string[] = [];
  for (const issue of result.error.issues) formatIssue(issue, errors);
  return { config: null, errors: [...new Set(errors)] };
}

/** The record sources of a configuration, normalised to a list (a single `records` path uses `subject`). */
export function recordSources(config: DeclarativeConfig): Array<{ path: string; subject?: string }> {
  return typeof config.records === 'string'
    ? [{ path: config.records, ...(config.subject !== undefined ? { subject: config.subject } : {}) }]
    : config.records;
}
