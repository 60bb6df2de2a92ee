import { Period, toVietnamWallClock } from '../../platform/time/vietnam-time';

/**
 * Request templates. Placeholders:
 * - `{unit}`: the unit being fetched (one value of `units`);
 * - `{from:FORMAT}`: the period's first instant (00:00:00 of its first day), Vietnam time;
 * - `{to:FORMAT}`: the period's LAST instant, inclusive (23:59:59 of its last day), Vietnam time — so
 *   `{to:yyyy-MM-dd}` of 2026-Q1 is `2026-03-31` (not 2026-04-01) and `{to:yyyyMMddHHmmss}` is `20260331235959`;
 * - `{period}`: the period key (`2026-03`, `2026-Q1`, `2026`);
 * - `{period:FORMAT}`: the period in the form a source wants, FORMAT one of `yyyy` (`2026`), `yyyy-Qn`
 *   (`2026-Q1`, the quarter the period starts in), `yyyyQn` (`2026Q1`), `Qn` (`Q1`), `q` (`1`), `yyyy-MM` /
 *   `yyyyMM` / `MM/yyyy` (the period's first month: `2026-01`, `202601`, `01/2026`), `MM` (`01`);
 *   first and last day are `{from:yyyy-MM-dd}` and `{to:yyyy-MM-dd}`;
 * - `{year}`: the period's year.
 * FORMAT is one of `yyyy-MM-dd`, `yyyyMMdd`, `yyyy-MM`, `dd/MM/yyyy`, `yyyyMMddHHmmss`.
 * Braces are reserved: a `{` or `}` that is not part of a known placeholder is a configuration error.
 */
export const DATE_FORMATS = ['yyyy-MM-dd', 'yyyyMMdd', 'yyyy-MM', 'dd/MM/yyyy', 'yyyyMMddHHmmss'] as const;
export const PERIOD_FORMATS = ['yyyy', 'yyyy-Qn', 'yyyyQn', 'Qn', 'q', 'yyyy-MM', 'yyyyMM', 'MM/yyyy', 'MM'] as const;
export type PeriodFormat = (typeof PERIOD_FORMATS)[number];

/** The period (its start, Vietnam time) in one of PERIOD_FORMATS. */
export function formatPeriod(period: Period, format: PeriodFormat): string {
  const w = toVietnamWallClock(period.start);
  const y = pad(w.year, 4);
  const q = Math.floor((w.month - 1) / 3) + 1;
  const mm = pad(w.month);
  const forms: Record<PeriodFormat, string> = { yyyy: y, 'yyyy-Qn': `${y}-Q${q}`, yyyyQn: `${y}Q${q}`, Qn: `Q${q}`, q: String(q), 'yyyy-MM': `${y}-${mm}`, yyyyMM: `${y}${mm}`, 'MM/yyyy': `${mm}/${y}`, MM: mm };
  return forms[format];
}
export type DateFormat = (typeof DATE_FORMATS)[number];

export interface TemplateVars {
  unit: string;
  period: Period;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function formatVietnamDate(date: Date, format: DateFormat): string {
  const w = toVietnamWallClock(date);
  const y = pad(w.year, 4);
  switch (format) {
    case 'yyyy-MM-dd':
      return `${y}-${pad(w.month)}-${pad(w.day)}`;
    case 'yyyyMMdd':
      return `${y}${pad(w.month)}${pad(w.day)}`;
    case 'yyyy-MM':
      return `${y}-${pad(w.month)}`;
    case 'dd/MM/yyyy':
      return `${pad(w.day)}/${pad(w.month)}/${y}`;
    case 'yyyyMMddHHmmss':
      return `${y}${pad(w.month)}${pad(w.day)}${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
  }
}

/** The problems of a template (empty when valid); each reason is a sentence fragment without the field name. */
export function templateErrors(template: string): string[] {
  const errors: string[] = [];
  const stripped = template.replace(PLACEHOLDER, (_m, body: string) => {
    const problem = placeholderError(body);
    if (problem) errors.push(problem);
    return '';
  });
  if (/[{}]/.test(stripped)) errors.push('has an unmatched { or }');
  return errors;
}

function placeholderError(body: string): string | null {
  if (body === 'unit' || body === 'period' || body === 'year') return null;
  const pf = /^period:(.*)$/.exec(body);
  if (pf) return (PERIOD_FORMATS as readonly string[]).includes(pf[1]) ? null : `uses {${body}}: the format must be one of ${PERIOD_FORMATS.join(', ')}`;
  const m = /^(from|to):(.*)$/.exec(body);
  if (m) {
    return (DATE_FORMATS as readonly string[]).includes(m[2])
      ? null
      : `uses {${body}}: the format must be one of ${DATE_FORMATS.join(', ')}`;
  }
  if (body === 'from' || body === 'to') return `uses {${body}} without a format (write {${body}:yyyy-MM-dd})`;
  return `uses unknown placeholder {${body}} (known: {unit}, {from:FORMAT}, {to:FORMAT}, {period}, {period:FORMAT}, {year})`;
}

/**
 * Fills a template. `encode` is applied to each substituted value (e.g. encodeURIComponent for a path),
 * never to the literal text. Throws on an invalid template: templates are validated when the configuration
 * is parsed.
 */
export function renderTemplate(template: string, vars: TemplateVars, encode: (s: string) => string = (s) => s): string {
  const errors = templateErrors(template);
  if (errors.length > 0) throw new Error(`invalid template "${template}": ${errors.join('; ')}`);
  const lastInstant = new Date(vars.period.end.getTime() - 1000);
  return template.replace(PLACEHOLDER, (_m, body: string) => {
    if (body === 'unit') return encode(vars.unit);
    if (body === 'period') return encode(vars.period.key);
    if (body === 'year') return encode(String(toVietnamWallClock(vars.period.start).year));
    if (body.startsWith('period:')) return encode(formatPeriod(vars.period, body.slice('period:'.length) as PeriodFormat));
    const [which, format] = body.split(':') as ['from' | 'to', DateFormat];
    return encode(formatVietnamDate(which === 'from' ? vars.period.start : lastInstant, format));
  });
}

/** `{province}` is the only placeholder of `units` values. */
export function unitTemplateErrors(template: string): string[] {
  const errors: string[] = [];
  const stripped = template.replace(PLACEHOLDER, (_m, body: string) => {
    if (body !== 'province') errors.push(`uses unknown placeholder {${body}} (only {province} is allowed in units)`);
    return '';
  });
  if (/[{}]/.test(stripped)) errors.push('has an unmatched { or }');
  return errors;
}

export function renderUnitTemplate(template: string, province: string): string {
  return template.replace(/\{province\}/g, province);
}

export function usesProvince(template: string): boolean {
  return template.includes('{province}');
}
