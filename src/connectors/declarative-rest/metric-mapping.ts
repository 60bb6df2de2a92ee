import { DeclarativeConfig, recordSources } from './declarative-config.schema';
import { jsonPath, jsonPathOne } from './json-path';

export interface EnvelopeError {
  code: string;
  message: string;
  /** a code listed in `envelope.permanentCodes`: retrying will not help */
  permanent: boolean;
}

const text = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);

/**
 * Whether a status value is one of the OK values: the same JSON scalar (`0` is `0`, `null` is `null`, `true`
 * is `true`), or, for a number or boolean on either side, the same text (`0` and `"0"`, `true` and `"true"`).
 */
export function isOkValue(ok: string | number | boolean | null, value: unknown): boolean {
  if (ok === value) return true;
  if (ok === null || value === null || typeof value === 'object') return false;
  if (typeof ok === 'string' && typeof value === 'string') return false;
  return String(ok) === String(value);
}

/**
 * The error an in-band envelope reports, or null when the response is OK (or no envelope is configured).
 * The value at `statusPath` must be one of `okValues` (see isOkValue). The code is the
 * value at `codePath`, else `STATUS_<status>`, else `MISSING_STATUS` when the response has no status at all.
 */
export function checkEnvelope(config: DeclarativeConfig, json: unknown): EnvelopeError | null {
  const e = config.envelope;
  if (!e) return null;
  const raw = jsonPathOne(json, e.statusPath);
  const status = text(raw);
  if (raw !== undefined && e.okValues.some((ok) => isOkValue(ok, raw))) return null;
  const codeValue = e.codePath ? text(jsonPathOne(json, e.codePath)) : null;
  const code = codeValue !== null && codeValue !== '' ? codeValue : status === null ? 'MISSING_STATUS' : `STATUS_${status}`;
  const messageValue = e.messagePath ? text(jsonPathOne(json, e.messagePath)) : null;
  const message =
    messageValue !== null && messageValue !== ''
      ? messageValue
      : status === null
        ? `the response has no status at ${e.statusPath}`
        : `the source answered status "${status}"`;
  return { code, message, permanent: e.permanentCodes.includes(code) };
}

/** Where a record came from: the `records` entry (0 for a single path) and its index among that entry's matches. */
export interface RecordPosition {
  entry: number;
  index: number;
}

/**
 * The records of a response with their positions, in `records` order. A match that is a list contributes its
 * elements (so `$.items` and `$.items[*]` read the same); an object is one record; null is no record.
 */
export function extractPositionedRecords(config: DeclarativeConfig, json: unknown): Array<{ record: unknown; position: RecordPosition }> {
  const out: Array<{ record: unknown; position: RecordPosition }> = [];
  recordSources(config).forEach((source, entry) => {
    let index = 0;
    for (const match of jsonPath(json, source.path)) {
      const items = Array.isArray(match) ? match : [match];
      for (const record of items) {
        if (record === null || record === undefined) continue;
        out.push({ record, position: { entry, index: index++ } });
      }
    }
  });
  return out;
}

/**
 * The `records` paths that match nothing in a response: most often a misread of the source's answer, so a run
 * reports them as warnings instead of succeeding silently with no figures. An empty list is an answer (no
 * records this time): `$.items[*]` over `"items": []` is not reported, over a response without `items` it is.
 */
export function emptyRecordPaths(config: DeclarativeConfig, json: unknown): string[] {
  return recordSources(config)
    .map((s) => s.path)
    .filter((path) => {
      const container = path.endsWith('[*]') ? path.slice(0, -3) : path;
      return jsonPath(json, container).every((m) => m === null || m === undefined);
    });
}

/** The records of a response, in `records` order (see extractPositionedRecords). */
export function extractRecords(config: DeclarativeConfig, json: unknown): unknown[] {
  return extractPositionedRecords(config, json).map((r) => r.record);
}

export interface Figure {
  metric: string;
  /** what the figures are about (the value at the subject path); '' when there is no subject path */
  subject: string;
  numerator: number;
  /** null = no data (denominator missing, not configured, or 0); never 0 */
  denominator: number | null;
}

export interface FigureProblem {
  metric: string;
  /** the configured path that failed, e.g. `$.vanBanDi.tong` */
  field: string;
  reason: 'INVALID_NUMBER' | 'MISSING_VALUE' | 'OUT_OF_RANGE';
  detail: string;
}

const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

type NumberRead = { kind: 'missing' } | { kind: 'invalid'; detail: string } | { kind: 'ok'; value: number };

/**
 * Reads a figure: a finite non-negative JSON number, or a text of a plain decimal (`12040`, `98.5`, surrounding
 * spaces ignored). No thousands separators (`12,040` and `12.040` are ambiguous across locales), no sign, no
 * exponent. null, absent and "" are missing.
 */
export function readFigureNumber(value: unknown): NumberRead {
  if (value === undefined || value === null) return { kind: 'missing' };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { kind: 'invalid', detail: `${value} is not a finite number` };
    if (value < 0) return { kind: 'invalid', detail: `${value} is negative` };
    return { kind: 'ok', value };
  }
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return { kind: 'missing' };
    if (!PLAIN_DECIMAL.test(t)) return { kind: 'invalid', detail: `"${value}" is not a plain decimal number` };
    return { kind: 'ok', value: Number(t) };
  }
  return { kind: 'invalid', detail: `${JSON.stringify(value)} is not a number` };
}

function where(config: DeclarativeConfig, position: RecordPosition): string {
  const source = recordSources(config)[position.entry];
  return `record ${position.index} of ${source ? source.path : `records entry ${position.entry}`}`;
}

/**
 * The figures of one record, one per metric. A missing or invalid numerator skips the figure with a problem
 * (never 0); an invalid denominator also skips it; a missing, unconfigured or zero denominator gives
 * `denominator: null`. The subject is the value at the record's subject path as text ('' when none).
 * `position` is a RecordPosition, or an index for a configuration with a single `records` path.
 */
export function extractFigures(
  config: DeclarativeConfig,
  record: unknown,
  position: RecordPosition | number,
): { figures: Figure[]; problems: FigureProblem[] } {
  const pos: RecordPosition = typeof position === 'number' ? { entry: 0, index: position } : position;
  const source = recordSources(config)[pos.entry];
  if (!source) throw new Error(`options.source.records has no entry ${pos.entry}`);
  const subjectValue = source.subject !== undefined ? jsonPathOne(record, source.subject) : undefined;
  const subject = text(subjectValue) ?? '';
  const figures: Figure[] = [];
  const problems: FigureProblem[] = [];
  for (const m of config.metrics) {
    const num = readFigureNumber(jsonPathOne(record, m.numerator));
    if (num.kind !== 'ok') {
      problems.push({
        metric: m.metric,
        field: m.numerator,
        reason: num.kind === 'missing' ? 'MISSING_VALUE' : 'INVALID_NUMBER',
        detail: `${where(config, pos)}${subject ? ` (${subject})` : ''}: ${num.kind === 'missing' ? `no value at ${m.numerator}` : num.detail}`,
      });
      continue;
    }
    if (m.share !== undefined) {
      // a share given as such: 0–1, or 0–100 when declared a percentage; stored as a fraction over 1
      const max = m.share === 'percent' ? 100 : 1;
      if (num.value > max) {
        problems.push({
          metric: m.metric,
          field: m.numerator,
          reason: 'OUT_OF_RANGE',
          detail: `${where(config, pos)}${subject ? ` (${subject})` : ''}: ${num.value} is outside 0–${max} for a share given as ${m.share === 'percent' ? 'a percentage' : 'a fraction'}`,
        });
        continue;
      }
      figures.push({ metric: m.metric, subject, numerator: m.share === 'percent' ? num.value / 100 : num.value, denominator: 1 });
      continue;
    }
    let denominator: number | null = null;
    if (m.denominator !== undefined) {
      const den = readFigureNumber(jsonPathOne(record, m.denominator));
      if (den.kind === 'invalid') {
        problems.push({
          metric: m.metric,
          field: m.denominator,
          reason: 'INVALID_NUMBER',
          detail: `${where(config, pos)}${subject ? ` (${subject})` : ''}: ${den.detail}`,
        });
        continue;
      }
      denominator = den.kind === 'ok' && den.value !== 0 ? den.value : null;
    }
    figures.push({ metric: m.metric, subject, numerator: num.value, denominator });
  }
  return { figures, problems };
}
