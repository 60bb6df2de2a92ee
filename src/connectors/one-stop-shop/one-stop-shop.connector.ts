import { Injectable } from '@nestjs/common';
import { ConnectorInstance, ConnectorKind, OptionsCheck, RunContext } from '../connector-kind';
import { fieldPaths } from '../../platform/privacy/personal-fields';
import { PermanentSourceError } from '../connector-errors';
import { DossierCursor, advanceCursor, firstUnseenIndex, initialDossierCursor, recordKey } from './dossier-paging';
import { NormalisedDossier } from './dossier.model';
import { NormalisedProcedure, parseDossier, parseProcedure } from './dossier.parser';
import { ONE_STOP_SHOP_SOURCE, Provenance, QuarantineEntry, insertQuarantine, upsertDossiers } from './dossier.writer';
import { FetchedPage, OneStopShopClient, OneStopShopClientOptions } from './one-stop-shop.client';
import { resolveReleased } from '../quarantine/quarantine.writer';
import { OneStopShopOptions, readOneStopShopOptions } from './one-stop-shop.options';
import { OssDossier, OssProcedure } from './one-stop-shop.types';
import { upsertProcedures } from './procedure.writer';
import { formatSourceTimestamp } from '../../platform/time/vietnam-time';

const PROCEDURES_PATH = '/motcua/v1/thutuc';
const DOSSIERS_PATH = '/motcua/v1/hoso';

/** Where a one-stop-shop run stands: first the procedures catalogue, then the dossier window. */
type OneStopShopCursor =
  | { stage: 'procedures'; page: number }
  | { stage: 'dossiers'; dossiers: DossierCursor };

export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
  constructor() {
    super('run interrupted by shutdown; it resumes from its last checkpoint');
  }
}

/** The one-stop-shop connector kind: procedures catalogue, then dossiers by last-change window. */
@Injectable()
export class OneStopShopConnector implements ConnectorKind {
  readonly kind = 'one-stop-shop';
  readonly sourceKind = ONE_STOP_SHOP_SOURCE;

  validate(instance: { options: Record<string, unknown>; credentials: Record<string, string> }): OptionsCheck {
    const { errors } = readOneStopShopOptions(instance.options);
    for (const field of ['clientId', 'clientSecret']) {
      if (typeof instance.credentials[field] !== 'string' || instance.credentials[field] === '') {
        errors.push(`credentials.${field} is required for a one-stop-shop connector`);
      }
    }
    return { errors };
  }

  async execute(ctx: RunContext): Promise<void> {
    const { options } = readOneStopShopOptions(ctx.connector.options);
    const client = this.client(ctx.connector, ctx.http, (r) =>
      ctx.archive.archive(r.body, {
        connectorId: ctx.connector.id,
        runId: ctx.run.id,
        method: 'GET',
        url: r.url,
        status: r.status,
        durationMs: r.durationMs,
        contentType: r.contentType,
      }),
    );

    let cursor = (ctx.run.cursor as OneStopShopCursor | null) ?? null;
    if (cursor === null) {
      cursor = options.fetchProcedures
        ? { stage: 'procedures', page: 1 }
        : { stage: 'dossiers', dossiers: initialDossierCursor(ctx.run.windowFrom) };
    }
    if (cursor.stage === 'procedures') {
      await this.syncProcedures(ctx, client, options, cursor.page);
      cursor = { stage: 'dossiers', dossiers: initialDossierCursor(ctx.run.windowFrom) };
    }
    await this.syncDossiers(ctx, client, options, cursor.dossiers);
  }

  private async syncProcedures(ctx: RunContext, client: OneStopShopClient, options: OneStopShopOptions, firstPage: number): Promise<void> {
    const province = ctx.connector.provinceCode;
    for (let page = firstPage; ; page++) {
      const fetched = await client.getPage<OssProcedure>(PROCEDURES_PATH, { maTinh: province, trang: page, soBanGhi: options.procedurePageSize });
      const list = fetched.page.danhSach;
      const valid: NormalisedProcedure[] = [];
      const positions: number[] = [];
      const quarantine: QuarantineEntry[] = [];
      list.forEach((raw, position) => {
        const parsed = parseProcedure(raw, province);
        if (parsed.ok) {
          valid.push(parsed.procedure);
          positions.push(position);
        } else {
          quarantine.push({ entity: 'procedure', position, recordKey: parsed.procedureCode, record: raw, reason: parsed.reason, field: parsed.field, detail: parsed.detail });
        }
      });
      const last = list.length < options.procedurePageSize;
      const provenance = this.provenance(ctx, fetched);
      await ctx.commit(async (db) => {
        await upsertProcedures(db, province, valid, positions, provenance);
        await insertQuarantine(db, province, quarantine, provenance);
        await resolveReleased(db, ctx.connector.id, 'procedure', valid.map((p) => p.procedureCode), ctx.run.id);
        return {
          cursor: last
            ? { stage: 'dossiers', dossiers: initialDossierCursor(ctx.run.windowFrom) }
            : { stage: 'procedures', page: page + 1 },
          counts: { pages: 1, quarantined: quarantine.length },
        };
      });
      if (last) return;
      if (ctx.stopping()) throw new RunInterrupted();
    }
  }

  /**
   * The "test call": a token, then the first page of dossiers changed in the last 400 days (at most 50); the
   * answer is summarised (counts, field names, problems by reason), nothing is stored or archived.
   */
  async preview(instance: ConnectorInstance, http: RunContext['http']) {
    const { options } = readOneStopShopOptions(instance.options);
    const client = this.client(instance, http, async () => 'not archived (test call)');
    const to = new Date();
    const from = new Date(to.getTime() - 400 * 86_400_000);
    const fetched = await client.getPage<OssDossier>(DOSSIERS_PATH, {
      maTinh: instance.provinceCode,
      capNhatTu: formatSourceTimestamp(from),
      capNhatDen: formatSourceTimestamp(to),
      trang: 1,
      soBanGhi: Math.min(options.pageSize, 50),
    });
    const list = fetched.page.danhSach;
    const problems = new Map<string, number>();
    for (const raw of list) {
      const parsed = parseDossier(raw, instance.provinceCode);
      if (!parsed.ok) problems.set(parsed.reason, (problems.get(parsed.reason) ?? 0) + 1);
    }
    return {
      window: { from: from.toISOString(), to: to.toISOString() },
      records: list.length,
      total: Number(fetched.page.tongSoBanGhi) || null,
      fields: fieldPaths(list),
      problems: [...problems].map(([reason, count]) => ({ reason, count })),
    };
  }

  private client(instance: Pick<ConnectorInstance, 'baseUrl' | 'credentials'>, http: RunContext['http'], onResponse: OneStopShopClientOptions['onResponse']): OneStopShopClient {
    return new OneStopShopClient({
      baseUrl: instance.baseUrl,
      clientId: instance.credentials.clientId,
      clientSecret: instance.credentials.clientSecret,
      timeoutMs: http.timeoutMs,
      maxAttempts: http.maxAttempts,
      backoffBaseMs: http.backoffBaseMs,
      backoffMaxMs: http.backoffMaxMs,
      egress: http.egress,
      onRetry: http.onRetry,
      onResponse,
    });
  }

  private async syncDossiers(ctx: RunContext, client: OneStopShopClient, options: OneStopShopOptions, start: DossierCursor): Promise<void> {
    const province = ctx.connector.provinceCode;
    const windowTo = formatSourceTimestamp(ctx.run.windowTo);
    const request = (c: DossierCursor) =>
      client.getPage<OssDossier>(DOSSIERS_PATH, { maTinh: province, capNhatTu: c.from, capNhatDen: windowTo, trang: c.page, soBanGhi: options.pageSize });

    let cursor = start;
    let pending: Promise<FetchedPage<OssDossier>> = request(cursor);
    // Three stages overlap: page k+2 is being fetched and page k+1 parsed while page k commits. Commits stay in
    // page order (each waits for the previous one), so the cursor in the database only ever moves forward.
    let committing: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const fetched = await pending;
        const list = fetched.page.danhSach;
        const keys = list.map(recordKey);
        const { next, done } = advanceCursor(cursor, keys, options.pageSize);
        if (!done && next.from === cursor.from && next.page === cursor.page) {
          throw new PermanentSourceError('UNEXPECTED_RESPONSE', `dossier paging makes no progress at capNhatTu=${cursor.from} trang=${cursor.page}`);
        }
        // Ask for the next page while this one is written: the request depends only on the new cursor.
        if (!done && !ctx.stopping()) {
          pending = request(next);
          pending.catch(() => undefined); // surfaced when awaited
        }

        const valid: NormalisedDossier[] = [];
        const positions: number[] = [];
        const quarantine: QuarantineEntry[] = [];
        let fetchedCount = 0;
        for (let position = firstUnseenIndex(keys, cursor); position < list.length; position++) {
          fetchedCount++;
          const raw = list[position];
          const parsed = parseDossier(raw, province);
          if (parsed.ok) {
            valid.push(parsed.dossier);
            positions.push(position);
          } else {
            quarantine.push({ entity: 'dossier', position, recordKey: parsed.dossierId, record: raw, reason: parsed.reason, field: parsed.field, detail: parsed.detail });
          }
        }
        const provenance = this.provenance(ctx, fetched);
        await committing;
        committing = ctx.commit(async (db) => {
          const written = await upsertDossiers(db, province, valid, positions, provenance);
          await insertQuarantine(db, province, quarantine, provenance);
          await resolveReleased(db, ctx.connector.id, 'dossier', valid.map((d) => d.dossierId), ctx.run.id);
          return {
            cursor: { stage: 'dossiers', dossiers: next },
            counts: { pages: 1, fetched: fetchedCount, normalised: valid.length, unchanged: valid.length - written, quarantined: quarantine.length },
          };
        });
        committing.catch(() => undefined); // surfaced when awaited
        if (done) break;
        if (ctx.stopping()) {
          await committing;
          throw new RunInterrupted();
        }
        cursor = next;
      }
    } finally {
      await committing;
    }
  }

  private provenance(ctx: RunContext, fetched: FetchedPage<unknown>): Provenance {
    return { connectorId: ctx.connector.id, runId: ctx.run.id, rawDigest: fetched.digest };
  }
}
