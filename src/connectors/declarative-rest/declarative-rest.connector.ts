import { Injectable } from '@nestjs/common';
import { fieldPaths } from '../../platform/privacy/personal-fields';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SECTORAL_SOURCE } from '../../evidence/sources/sectoral.evidence';
import { Period } from '../../platform/time/vietnam-time';
import { PermanentSourceError, TransientSourceError } from '../connector-errors';
import { ConnectorInstance, ConnectorKind, OptionsCheck, RunContext } from '../connector-kind';
import { OAuth2ClientCredentials } from '../http/oauth2-client-credentials';
import { SourceHttp, SourceResponse, parseJsonBody } from '../http/source-http';
import { RunInterrupted } from '../one-stop-shop/one-stop-shop.connector';
import { QuarantineEntry, insertQuarantine } from '../quarantine/quarantine.writer';
import {
  DeclarativeConfig,
  DeclarativePagingError,
  FigureProblem,
  PagingState,
  authHeaders,
  buildRequest,
  checkEnvelope,
  extractFigures,
  emptyRecordPaths,
  extractPositionedRecords,
  nextPaging,
  parseDeclarativeConfig,
  periodsInWindow,
  resolveUnits,
  startPaging,
} from './declarative.engine';
import { PlacedFigure, upsertSectorFigures } from './sector-statistic.writer';

interface DeclarativeCursor {
  /** index into periods × units */
  step: number;
  paging: PagingState | null;
}

interface PageResult {
  response: SourceResponse;
  records: number;
  /** e.g. a records path that matched nothing: the run succeeds, but says so */
  warnings: string[];
  figures: PlacedFigure[];
  problems: Array<FigureProblem & { position: number; subject: string }>;
  next: PagingState | null;
  /** field names of the records (structure only), for test calls */
  fields: string[];
}

/**
 * A sectoral statistics source described by configuration only (`options.source`, see declarative.engine.ts):
 * for every closed period of the run window and every unit it requests the figures, page by page, checks the
 * error envelope, maps JSON paths to numerators and denominators, and checkpoints each page with its figures.
 * Credentials by auth type: apiKeyHeader → credentials.apiKey; bearer → credentials.token;
 * oauth2ClientCredentials → credentials.clientId and credentials.clientSecret; basic → credentials.username and
 * credentials.password.
 */
@Injectable()
export class DeclarativeRestConnector implements ConnectorKind {
  readonly kind: string = 'declarative-rest';
  readonly sourceKind = SECTORAL_SOURCE;

  /** the source configuration of an instance (subclasses may start from a preset) */
  protected sourceConfig(options: Record<string, unknown>): unknown {
    return options.source;
  }

  validate(instance: Pick<ConnectorInstance, 'options' | 'credentials' | 'provinceCode'>): OptionsCheck {
    const { config, errors } = parseDeclarativeConfig(this.sourceConfig(instance.options));
    const unknown = Object.keys(instance.options).filter((k) => k !== 'source');
    for (const key of unknown) errors.push(`options.${key} is not an option of a ${this.kind} connector`);
    if (config) {
      errors.push(...resolveUnits(config, { province: instance.provinceCode }).errors);
      for (const field of requiredCredentials(config)) {
        if (typeof instance.credentials[field] !== 'string' || instance.credentials[field] === '') {
          errors.push(`credentials.${field} is required for auth type ${config.auth.type}`);
        }
      }
    }
    return { errors };
  }

  async execute(ctx: RunContext): Promise<void> {
    const config = this.config(ctx.connector);
    const http = this.client(config, ctx.connector, ctx.http, (r) =>
      ctx.archive.archive(r.body, { connectorId: ctx.connector.id, runId: ctx.run.id, method: 'GET', url: r.url, status: r.status, durationMs: r.durationMs, contentType: r.contentType }),
    );
    const periods = periodsInWindow(config.period, ctx.run.windowFrom, ctx.run.windowTo, new Date());
    const { units } = resolveUnits(config, { province: ctx.connector.provinceCode });
    const steps = periods.flatMap((period) => units.map((unit) => ({ period, unit })));
    let cursor = (ctx.run.cursor as DeclarativeCursor | null) ?? { step: 0, paging: null };
    while (cursor.step < steps.length) {
      const { period, unit } = steps[cursor.step];
      const paging = cursor.paging ?? startPaging(config);
      // with several units, a figure about "the unit queried" (no subject path) is about that unit
      const page = await this.fetchPage(config, http, ctx.connector.baseUrl, period, unit, paging, units.length > 1 ? unit : '');
      const next: DeclarativeCursor = page.next === null ? { step: cursor.step + 1, paging: null } : { step: cursor.step, paging: page.next };
      // written in the step log with this checkpoint: the run succeeds, and says what it could not read
      for (const message of page.warnings) ctx.step({ kind: 'warning', message, detail: { period: period.key, unit, digest: page.response.digest } });
      await ctx.commit(async (db) => {
        const provenance = { connectorId: ctx.connector.id, runId: ctx.run.id, rawDigest: page.response.digest };
        await upsertSectorFigures(db, ctx.connector.provinceCode, period, page.figures, provenance);
        const quarantine: QuarantineEntry[] = page.problems.map((p) => ({
          entity: 'figure',
          position: p.position,
          recordKey: `${period.key}/${p.subject || '-'}/${p.metric}`,
          record: { period: period.key, unit, subject: p.subject, metric: p.metric, field: p.field },
          reason: p.reason,
          field: p.field,
          detail: p.detail,
        }));
        await insertQuarantine(db, ctx.connector.provinceCode, quarantine, provenance);
        return { cursor: next, counts: { pages: 1, fetched: page.records, normalised: page.figures.length, quarantined: quarantine.length } };
      });
      cursor = next;
      if (cursor.step < steps.length && ctx.stopping()) throw new RunInterrupted();
    }
  }

  /** The "test call": the newest closed period, the first unit, the first page; nothing is stored. */
  async preview(instance: ConnectorInstance, httpOptions: RunContext['http']) {
    const config = this.config(instance);
    const { units } = resolveUnits(config, { province: instance.provinceCode });
    const now = new Date();
    const periods = periodsInWindow(config.period, new Date(now.getTime() - 400 * 86_400_000), now, now);
    const period = periods[periods.length - 1];
    if (!period || units.length === 0) throw new PermanentSourceError('BAD_REQUEST', 'no closed period or no unit to ask for');
    const http = this.client(config, instance, httpOptions, async () => 'not archived (test call)');
    const page = await this.fetchPage(config, http, instance.baseUrl, period, units[0], startPaging(config));
    return {
      period: period.key,
      unit: units[0],
      records: page.records,
      fields: page.fields,
      figures: page.figures.map(({ metric, subject, numerator, denominator, isCount }) => ({ metric, subject, numerator, denominator, isCount })),
      problems: page.problems,
      warnings: page.warnings,
      morePages: page.next !== null,
    };
  }

  private config(instance: Pick<ConnectorInstance, 'options'>): DeclarativeConfig {
    const { config, errors } = parseDeclarativeConfig(this.sourceConfig(instance.options));
    if (!config) throw new PermanentSourceError('BAD_REQUEST', `invalid source configuration: ${errors.join('; ')}`);
    return config;
  }

  private client(config: DeclarativeConfig, instance: Pick<ConnectorInstance, 'baseUrl' | 'credentials'>, http: RunContext['http'], onResponse: ConstructorParameters<typeof SourceHttp>[0]['onResponse']): SourceHttp {
    const a = config.auth;
    const auth =
      a.type === 'oauth2ClientCredentials'
        ? new OAuth2ClientCredentials({ baseUrl: instance.baseUrl, tokenPath: a.tokenPath, clientId: instance.credentials.clientId, clientSecret: instance.credentials.clientSecret, scope: a.scope, timeoutMs: http.timeoutMs, egress: http.egress })
        : undefined;
    const headers =
      a.type === 'apiKeyHeader'
        ? authHeaders(config, instance.credentials.apiKey)
        : a.type === 'bearer'
          ? authHeaders(config, instance.credentials.token)
          : a.type === 'basic'
            ? basicAuthHeader(instance.credentials.username, instance.credentials.password)
            : {};
    return new SourceHttp({ baseUrl: instance.baseUrl, headers: { Accept: 'application/json', ...headers }, auth, ...http, onResponse });
  }

  private async fetchPage(config: DeclarativeConfig, http: SourceHttp, baseUrl: string, period: Period, unit: string, paging: PagingState, defaultSubject = ''): Promise<PageResult> {
    const request = buildRequest(config, { unit, period }, paging);
    if (/^https?:\/\//i.test(request.path) && new URL(request.path).origin !== new URL(baseUrl).origin) {
      throw new PermanentSourceError('UNEXPECTED_RESPONSE', `a next link leaves the source (${new URL(request.path).origin}); refused`);
    }
    const response = await http.getAndRead(request.path, request.query, request.headers, (r) => r);
    const json = parseJsonBody<unknown>(response.body, request.path);
    const envelope = checkEnvelope(config, json);
    if (envelope) {
      const code = envelope.code === 'AUTHEN_ERROR' ? 'AUTH_FAILED' : envelope.permanent ? 'DATA_INCORRECT' : 'SYSTEM_BUSY';
      const message = `${request.path}: ${envelope.code} ${envelope.message}`.trim();
      throw envelope.permanent ? new PermanentSourceError(code, message) : new TransientSourceError(code, message);
    }
    const counted = new Set(config.metrics.filter((m) => m.denominator === undefined && m.share === undefined).map((m) => m.metric));
    const aggregationOf = new Map(config.metrics.map((m) => [m.metric, m.aggregation ?? null]));
    const figures: PlacedFigure[] = [];
    const problems: PageResult['problems'] = [];
    const records = extractPositionedRecords(config, json);
    const warnings = emptyRecordPaths(config, json).map(
      (path) => `${period.key} ${unit}: the records path ${path} matched nothing in the answer to ${request.path} (no figures read from it)`,
    );
    records.forEach(({ record, position }, i) => {
      const out = extractFigures(config, record, position);
      for (const f of out.figures) figures.push({ ...f, subject: f.subject || defaultSubject, isCount: counted.has(f.metric), aggregation: aggregationOf.get(f.metric) ?? null, position });
      const subject = out.figures[0]?.subject ?? '';
      for (const p of out.problems) problems.push({ ...p, position: i, subject });
    });
    let next: PagingState | null;
    try {
      next = nextPaging(config, paging, json, records.length);
    } catch (error) {
      if (error instanceof DeclarativePagingError) throw new PermanentSourceError('UNEXPECTED_RESPONSE', error.message);
      throw error;
    }
    return { response, records: records.length, warnings, figures, problems, next, fields: fieldPaths(records.map((r) => r.record)) };
  }
}

/** HTTP Basic (RFC 7617): `Authorization: Basic base64(username:password)`, UTF-8; a user name cannot hold ":". */
export function basicAuthHeader(username: string | null | undefined, password: string | null | undefined): Record<string, string> {
  if (!username || password === undefined || password === null) throw new PermanentSourceError('AUTH_FAILED', 'basic auth needs credentials.username and credentials.password');
  if (username.includes(':')) throw new PermanentSourceError('AUTH_FAILED', 'credentials.username must not contain ":" (HTTP Basic)');
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` };
}

function requiredCredentials(config: DeclarativeConfig): string[] {
  switch (config.auth.type) {
    case 'apiKeyHeader':
      return ['apiKey'];
    case 'bearer':
      return ['token'];
    case 'oauth2ClientCredentials':
      return ['clientId', 'clientSecret'];
    case 'basic':
      return ['username', 'password'];
    default:
      return [];
  }
}

/** relative to the working directory, like every other file of config/ (the service runs from the project root) */
const PRESET_DIR = resolve('config', 'sources');

/**
 * The document-management (QLVB&ĐH) statistics source: the declarative connector with the preset
 * `config/sources/document-management.json` (the contract), which `options.source` may override key by key.
 */
@Injectable()
export class DocumentManagementConnector extends DeclarativeRestConnector {
  override readonly kind = 'document-management';
  private readonly preset = JSON.parse(readFileSync(resolve(PRESET_DIR, 'document-management.json'), 'utf8')) as Record<string, unknown>;

  protected override sourceConfig(options: Record<string, unknown>): unknown {
    const overrides = options.source && typeof options.source === 'object' ? (options.source as Record<string, unknown>) : {};
    return { ...this.preset, ...overrides };
  }
}
