import { Injectable } from '@nestjs/common';
import { DVCQG_SOURCE } from '../../evidence/sources/dvcqg.evidence';
import { Period, parsePeriodKey } from '../../platform/time/vietnam-time';
import { PermanentSourceError, SourceError, TransientSourceError } from '../connector-errors';
import { ConnectorInstance, ConnectorKind, OptionsCheck, RunContext } from '../connector-kind';
import { SourceHttp, SourceResponse, parseJsonBody, sourceRetryPolicy } from '../http/source-http';
import { RunInterrupted } from '../one-stop-shop/one-stop-shop.connector';
import { QuarantineEntry, insertQuarantine } from '../quarantine/quarantine.writer';
import { DvcqgPage, DvcqgShapeError, readDvcqgData } from './dvcqg-response';
import { EVALUATION_PATH, FORMALITIES_PATH, UNFILTERED_ENDPOINTS, dvcqgPeriods, requestBody } from './dvcqg-request';
import { DvcqgEndpoint, DvcqgOptions, readDvcqgOptions, resolveProvince } from './dvcqg.options';
import { DvcqgProvince } from './dvcqg-mapping';
import { writeDvcqgPage } from './dvcqg.writer';

/** Position in the run: the step (period × endpoint × procedure filter, in that nesting) and its next page. */
export interface DvcqgCursor {
  periods: string[];
  endpoints: DvcqgEndpoint[];
  /** '' = unfiltered, then the procedure ids resolved from options.formalities */
  formalities: string[];
  step: number;
  page: number;
}

interface Envelope {
  code?: unknown;
  data?: unknown;
  message?: unknown;
}

const TRANSIENT_CODE = /BUSY|TIMEOUT|TOO_MANY|RATE|UNAVAILABLE|TEMPORAR|OVERLOAD/i;
const TRANSIENT_MESSAGE = /bận|quá tải|thử lại|busy|try again|timeout|temporar|overload/i;

/** What a non-OK envelope means: transient (retried) when it says so, else permanent. */
export function envelopeError(where: string, envelope: Envelope, httpStatus: number): SourceError {
  const code = typeof envelope.code === 'string' ? envelope.code : String(envelope.code ?? '(no code)');
  const message = typeof envelope.message === 'string' ? envelope.message : '';
  const text = `${where}: HTTP ${httpStatus} ${code}${message ? ` ${message}` : ''}`;
  if (httpStatus === 429) return new TransientSourceError('RATE_LIMITED', text);
  if (httpStatus >= 500 || TRANSIENT_CODE.test(code) || TRANSIENT_MESSAGE.test(message)) return new TransientSourceError('SYSTEM_BUSY', text);
  if (httpStatus === 401 || httpStatus === 403) return new PermanentSourceError('AUTH_FAILED', text);
  if (httpStatus === 404) return new PermanentSourceError('NOT_FOUND', text);
  return new PermanentSourceError(httpStatus === 400 ? 'BAD_REQUEST' : 'DATA_INCORRECT', text);
}

/**
 * The National Public Service Portal's evaluation API (Decision 766 index; shared/contracts/dvcqg-evaluation-api.md):
 * public, no credentials. For every period the run window touches (years, quarters, months — `options.periods`;
 * closed ones, the running ones marked provisional, and earlier running ones that have closed since, to be final),
 * every endpoint (`options.endpoints`) and, after the unfiltered answer, every
 * procedure of `options.formalities` (resolved to ids through the procedure catalogue; never for
 * handling-satisfaction, which takes no filter), it POSTs page after page,
 * archives every answer, checks `code === "OK"` and stores the province, every unit, every metric, the official
 * scores and the data-quality flags (see migration 1764400000000-dvcqg). Each page is one checkpoint; the cursor
 * is (step, page). One request at a time, with a descriptive User-Agent; 429, 5xx, timeouts and "busy" envelopes
 * are retried with backoff, other errors fail the run with the portal's code and message.
 */
@Injectable()
export class DvcqgEvaluationConnector implements ConnectorKind {
  readonly kind = 'dvcqg-evaluation';
  readonly sourceKind = DVCQG_SOURCE;

  validate(instance: Pick<ConnectorInstance, 'options' | 'credentials' | 'provinceCode'>): OptionsCheck {
    const { options, errors } = readDvcqgOptions(instance.options);
    if (errors.length === 0) {
      try {
        errors.push(...resolveProvince(instance.provinceCode, options).errors);
      } catch (error) {
        errors.push(`the DVCQG province mapping cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { errors };
  }

  async execute(ctx: RunContext): Promise<void> {
    const { options, province } = this.setup(ctx.connector);
    const client = this.client(ctx.connector, options, ctx.http, (r) =>
      ctx.archive.archive(r.body, { connectorId: ctx.connector.id, runId: ctx.run.id, method: 'POST', url: r.url, status: r.status, durationMs: r.durationMs, contentType: r.contentType }),
    );
    let cursor = ctx.run.cursor as DvcqgCursor | null;
    if (!cursor) {
      const now = new Date();
      // periods fetched while running whose end has passed since: fetched again, to be final
      let pending: string[] = [];
      await ctx.commit(async (db) => {
        const { rows } = await db.query(
          `SELECT DISTINCT ON (period_key, endpoint, formality_id) period_key, status FROM dvcqg_answer_version
            WHERE province_code = $1 ORDER BY period_key, endpoint, formality_id, version DESC`,
          [ctx.connector.provinceCode],
        );
        pending = rows.filter((r) => r.status === 'provisional').map((r) => r.period_key as string);
        return { cursor: undefined, counts: {} };
      });
      const periods = dvcqgPeriods(options.periods, ctx.run.windowFrom, ctx.run.windowTo, now, { running: options.runningPeriods, pending }).map((p) => p.key);
      const formalities = ['', ...(await this.resolveFormalities(client, options.formalities))];
      cursor = { periods, endpoints: options.endpoints, formalities, step: 0, page: 1 };
    }
    const steps = cursor.periods.length * cursor.endpoints.length * cursor.formalities.length;
    while (cursor.step < steps) {
      const { period, endpoint, formalityId } = stepOf(cursor, cursor.step);
      if (formalityId !== '' && UNFILTERED_ENDPOINTS.has(endpoint)) {
        // this endpoint takes no procedure filter (it would answer for all procedures): not a scope of its own
        cursor = { ...cursor, step: cursor.step + 1, page: 1 };
        continue;
      }
      const body = requestBody(endpoint, period.key, province.rootDepartmentId, cursor.page, options.pageSize, formalityId);
      const { response, page } = await client.fetchPage(endpoint, period.key, body, province);
      const more = page.totalPages !== null && cursor.page < page.totalPages;
      const next: DvcqgCursor = more ? { ...cursor, page: cursor.page + 1 } : { ...cursor, step: cursor.step + 1, page: 1 };
      const pageNumber = cursor.page;
      await ctx.commit(async (db) => {
        const provenance = { connectorId: ctx.connector.id, runId: ctx.run.id, rawDigest: response.digest };
        await writeDvcqgPage(
          db,
          { provinceCode: ctx.connector.provinceCode, period, endpoint, formalityId, page: pageNumber, last: !more },
          { ...provenance, rootDepartmentId: province.rootDepartmentId, requestBody: body, responseCode: 'OK' },
          page,
        );
        const quarantine: QuarantineEntry[] = page.problems.map((p) => ({
          entity: 'dvcqg_unit',
          position: p.position,
          recordKey: `${period.key}/${endpoint}/${formalityId || '-'}/${pageNumber}/${p.recordKey ?? p.position}`,
          record: { period: period.key, endpoint, formalityId, record: p.record },
          reason: p.reason,
          field: p.field,
          detail: p.detail,
        }));
        await insertQuarantine(db, ctx.connector.provinceCode, quarantine, provenance);
        return { cursor: next, counts: { pages: 1, fetched: page.units.length + page.problems.length, normalised: page.units.length, quarantined: quarantine.length } };
      });
      cursor = next;
      if (cursor.step < steps && ctx.stopping()) throw new RunInterrupted();
    }
  }

  /** The "test call": the province's answer of the newest closed month for transparency, page 1; nothing stored. */
  async preview(instance: ConnectorInstance, httpOptions: RunContext['http']) {
    const { options, province } = this.setup(instance);
    const now = new Date();
    const months = dvcqgPeriods(['month'], new Date(now.getTime() - 62 * 86_400_000), now, now, { running: false });
    const period = months[months.length - 1];
    const endpoint = options.endpoints[0];
    const client = this.client(instance, options, httpOptions, async () => 'not archived (test call)');
    const body = requestBody(endpoint, period.key, province.rootDepartmentId, 1, options.pageSize, '');
    const { page } = await client.fetchPage(endpoint, period.key, body, province);
    return {
      period: period.key,
      endpoint,
      request: body,
      units: page.units.length,
      totalPages: page.totalPages,
      province: page.units.find((u) => u.root) ?? null,
      metrics: page.metrics.filter((m) => m.root).map(({ code, numerator, denominator, ratio, score, maxScore }) => ({ code, numerator, denominator, ratio, score, maxScore })),
      flags: page.flags,
      problems: page.problems,
    };
  }

  private setup(instance: Pick<ConnectorInstance, 'options' | 'provinceCode'>): { options: DvcqgOptions; province: DvcqgProvince } {
    const { options, errors } = readDvcqgOptions(instance.options);
    if (errors.length > 0) throw new PermanentSourceError('BAD_REQUEST', `invalid options: ${errors.join('; ')}`);
    const resolved = resolveProvince(instance.provinceCode, options);
    if (!resolved.province) throw new PermanentSourceError('BAD_REQUEST', resolved.errors.join('; '));
    return { options, province: resolved.province };
  }

  private client(instance: Pick<ConnectorInstance, 'baseUrl'>, options: DvcqgOptions, http: RunContext['http'], archive: ConstructorParameters<typeof SourceHttp>[0]['onResponse']): DvcqgClient {
    return new DvcqgClient(instance.baseUrl, options.userAgent, http, archive);
  }

  /** Procedure codes → ids, through the catalogue (exact code match); an unknown code fails the run. */
  private async resolveFormalities(client: DvcqgClient, codes: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const code of codes) {
      const id = await client.findFormality(code);
      if (id === null) throw new PermanentSourceError('DATA_INCORRECT', `procedure ${code} is not in the portal's catalogue (${FORMALITIES_PATH})`);
      ids.push(id);
    }
    return ids;
  }
}

function stepOf(cursor: DvcqgCursor, step: number): { period: Period; endpoint: DvcqgEndpoint; formalityId: string } {
  const perPeriod = cursor.endpoints.length * cursor.formalities.length;
  const period = parsePeriodKey(cursor.periods[Math.floor(step / perPeriod)]);
  if (!period) throw new PermanentSourceError('UNEXPECTED_RESPONSE', `cursor holds a bad period key at step ${step}`);
  const inPeriod = step % perPeriod;
  return { period, endpoint: cursor.endpoints[Math.floor(inPeriod / cursor.formalities.length)], formalityId: cursor.formalities[inPeriod % cursor.formalities.length] };
}

/**
 * POSTs with one retry policy around "send and read": HTTP failures (429, 5xx, timeouts) and "busy" envelopes
 * are retried alike, with backoff; the inner HTTP client does not retry on its own.
 */
class DvcqgClient {
  private readonly http: SourceHttp;
  private readonly policy;
  /** the last body received (the inner client archives it; errors quote its envelope) */
  private last: { body: Buffer; status: number } | null = null;

  constructor(baseUrl: string, userAgent: string, http: RunContext['http'], archive: ConstructorParameters<typeof SourceHttp>[0]['onResponse']) {
    this.http = new SourceHttp({
      baseUrl,
      headers: { Accept: 'application/json', 'User-Agent': userAgent },
      ...http,
      maxAttempts: 1,
      onResponse: async (r) => {
        this.last = { body: r.body, status: r.status };
        return archive(r);
      },
    });
    this.policy = sourceRetryPolicy(http);
  }

  async fetchPage(endpoint: DvcqgEndpoint, periodKey: string, body: Record<string, unknown>, province: DvcqgProvince): Promise<{ response: SourceResponse; page: DvcqgPage }> {
    const where = `${endpoint} ${periodKey} page ${String(body.currentPage)}`;
    return this.call(`${EVALUATION_PATH}${endpoint}`, body, where, (data, response, message) => {
      try {
        const page = readDvcqgData(endpoint, data, province);
        page.message = message;
        return { response, page };
      } catch (error) {
        if (error instanceof DvcqgShapeError) throw new PermanentSourceError('UNEXPECTED_RESPONSE', `${where}: ${error.message}`);
        throw error;
      }
    });
  }

  async findFormality(code: string): Promise<string | null> {
    for (let page = 1; page <= 100; page++) {
      const data = await this.call(FORMALITIES_PATH, { q: code, currentPage: page, pageSize: 10 }, `procedure catalogue "${code}" page ${page}`, (d) => d);
      const d = (data ?? {}) as { items?: unknown; totalPages?: unknown; pagination?: { totalPages?: unknown } };
      const items = Array.isArray(d.items) ? (d.items as Array<{ id?: unknown; code?: unknown }>) : [];
      const hit = items.find((i) => i && i.code === code && typeof i.id === 'string');
      if (hit) return hit.id as string;
      const totalPages = Number(d.pagination?.totalPages ?? d.totalPages ?? 1);
      if (!(page < totalPages)) return null;
    }
    return null;
  }

  private call<T>(path: string, body: unknown, where: string, read: (data: unknown, response: SourceResponse, message: string | null) => T): Promise<T> {
    return this.policy.execute(async () => {
      this.last = null;
      let response: SourceResponse;
      try {
        response = await this.http.post(path, body);
      } catch (error) {
        // an error status: quote the portal's own code and message when the body is its envelope
        const last = this.last as { body: Buffer; status: number } | null;
        if (error instanceof SourceError && last !== null) {
          const envelope = tryJson(last.body);
          if (envelope && typeof envelope === 'object' && 'code' in envelope) {
            const mapped = envelopeError(where, envelope as Envelope, last.status);
            throw mapped.permanent === error.permanent ? Object.assign(mapped, { retryAfterMs: error.retryAfterMs }) : error;
          }
        }
        throw error;
      }
      const envelope = parseJsonBody<Envelope>(response.body, where);
      if (!envelope || typeof envelope !== 'object') throw new PermanentSourceError('UNEXPECTED_RESPONSE', `${where}: the answer is not a JSON object`);
      if (envelope.code !== 'OK') throw envelopeError(where, envelope, response.status);
      return read(envelope.data, response, typeof envelope.message === 'string' ? envelope.message : null);
    });
  }
}

function tryJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
