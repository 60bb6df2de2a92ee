import { AuditService } from '../audit/audit.service';
import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Principal, can } from '../platform/auth/access-policy';
import { DASHBOARD_CSP, cspMiddleware } from '../platform/http/security';
import { errorBody } from '../platform/http/api-errors';
import { negotiateLanguage } from '../platform/http/error-messages';
import { QueueService } from '../platform/queue/queue.module';
import { QUEUES } from '../platform/queue/queue-catalogue';
import { presentedSecret } from './auth.guard';
import { AuthService } from './auth.service';
import { MAX_SECRET_LENGTH } from './secret-tokens';
import { SESSION_COOKIE, cookieAllowed, overHttps, readCookie } from './browser-session';

export { cookieAllowed, overHttps, readCookie };

/** Where the queue dashboard (Bull Board) lives; it is an Express sub-app, not Nest routes (so not in OpenAPI). */
export const DASHBOARD_PATH = '/admin/queues';
/** The HttpOnly cookie that carries the dashboard credential in a browser (only sent under DASHBOARD_PATH). */
export const DASHBOARD_COOKIE = 'peh_queues';

const SECRET_SHAPE = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_SECRET_LENGTH}}$`);

/** The Set-Cookie value that hands a dashboard credential to the browser (a session cookie), or clears it. */
export function dashboardCookie(token: string | null, options: { secure: boolean }): string {
  if (token !== null && !SECRET_SHAPE.test(token)) throw new Error('a dashboard credential must be a token or an API key');
  const parts = [`${DASHBOARD_COOKIE}=${token ?? ''}`, `Path=${DASHBOARD_PATH}`, 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  if (token === null) parts.push('Max-Age=0');
  return parts.join('; ');
}

/** The `?token=` of a dashboard URL (exactly one, non-empty), or null. */
export function tokenParam(originalUrl: string): string | null {
  const values = new URL(originalUrl, 'http://local').searchParams.getAll('token');
  return values.length === 1 && values[0].length > 0 ? values[0] : null;
}

/** The same URL (path and query) without its `token` parameter: where the browser goes after the exchange. */
export function withoutTokenParam(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://local');
  url.searchParams.delete('token');
  // only ever a path on this host: '//' would make the Location point elsewhere
  const path = url.pathname.replace(/^\/+/, '/');
  return `${path}${url.search}`;
}

function refuse(response: Response, status: 401 | 403, message: string, clearCookie = false): void {
  if (clearCookie) response.append('Set-Cookie', dashboardCookie(null, { secure: overHttps(response.req.secure, response.req.headers['x-forwarded-proto']) }));
  response.status(status).json(errorBody(status, [message], negotiateLanguage(response.req.headers['accept-language'])));
}

/** The real path of a dashboard request (mounted sub-apps see a shortened `path`; `originalUrl` is the whole one). */
export function dashboardPath(originalUrl: string): string {
  return (originalUrl.split('?')[0] || DASHBOARD_PATH).slice(0, 500);
}

/**
 * Express middleware in front of Bull Board: everything under DASHBOARD_PATH (page, static files, /api) needs the
 * same credentials as the API (bearer token or API key, checked on every request, so revocation applies at once):
 * `queues.dashboard` to read (operators, administrators, auditors excluded), `queues.manage` to change anything
 * (administrators). A browser presents the credential once as `?token=`: it is exchanged for an HttpOnly cookie
 * and the browser is redirected to the same URL without it. Every change and every refused change is audited once,
 * with the actor (when known) and the real path.
 */
export function dashboardAuth(auth: AuthService, logger = new Logger('QueueDashboard'), audit?: AuditService): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    const path = dashboardPath(request.originalUrl);
    const record = (actor: Principal | null, outcome: 'succeeded' | 'failed' | 'denied', status: number) => {
      if (!audit || !write) return;
      void audit
        .record({
          actorKind: actor?.kind ?? null,
          actorId: actor?.id ?? null,
          actorName: actor?.name ?? null,
          role: actor?.role ?? null,
          provinceCode: actor?.provinceCode ?? null,
          action: `queue-dashboard ${request.method} ${path.slice(DASHBOARD_PATH.length).replace(/[0-9a-f-]{8,}|\d+/gi, ':id') || '/'}`,
          method: request.method,
          path,
          target: null,
          outcome,
          status,
          clientIp: request.ip ?? null,
        })
        .catch((error: unknown) => logger.error({ err: (error as Error).message }, 'queue dashboard: audit row not written'));
    };
    const deny = (actor: Principal | null, status: 401 | 403, message: string, clearCookie = false) => {
      record(actor, 'denied', status);
      refuse(response, status, message, clearCookie);
    };
    void (async () => {
      const secure = overHttps(request.secure, request.headers['x-forwarded-proto']);
      const queryToken = !write ? tokenParam(request.originalUrl) : null;
      if (queryToken !== null) {
        const principal = await auth.authenticate(queryToken);
        if (!principal) return refuse(response, 401, 'invalid or expired credentials');
        if (!can(principal.role, 'queues.dashboard')) return refuse(response, 403, `the ${principal.role} role may not do this (queues.dashboard)`);
        logger.log({ principal: principal.name, principalKind: principal.kind, principalRole: principal.role }, 'queue dashboard: credential exchanged for a cookie');
        response.setHeader('Set-Cookie', dashboardCookie(queryToken, { secure }));
        response.setHeader('Cache-Control', 'no-store');
        return response.redirect(303, withoutTokenParam(request.originalUrl));
      }

      let principal: Principal | null;
      const header = presentedSecret(request);
      if (header !== null) {
        principal = await auth.authenticate(header);
        if (!principal) return deny(null, 401, 'invalid or expired credentials');
      } else {
        // the dashboard's own cookie, or the web app's session (same SameSite=Strict and same-origin checks)
        const cookie = readCookie(request.headers.cookie, DASHBOARD_COOKIE) || readCookie(request.headers.cookie, SESSION_COOKIE);
        if (cookie === null || cookie === '') {
          return deny(null, 401, `authentication required: send Authorization: Bearer <token> or X-API-Key, or open ${DASHBOARD_PATH}?token=<token> once`);
        }
        if (!cookieAllowed(request.headers['sec-fetch-site'])) return deny(null, 401, 'the dashboard cookie is not accepted on requests from other origins');
        principal = await auth.authenticate(cookie);
        if (!principal) return deny(null, 401, 'invalid or expired credentials', true);
      }
      if (!can(principal.role, 'queues.dashboard')) return deny(principal, 403, `the ${principal.role} role may not do this (queues.dashboard)`);
      if (write && !can(principal.role, 'queues.manage')) {
        return deny(principal, 403, `the ${principal.role} role may read the queue dashboard but not change jobs (queues.manage: administrators)`);
      }
      // changes made through the dashboard (retry, remove, pause, clean…) go to the audit trail like API changes
      if (write) {
        const actor = principal;
        response.once('finish', () => record(actor, response.statusCode < 400 ? 'succeeded' : 'failed', response.statusCode));
      }
      next();
    })().catch(next);
  };
}

/**
 * Mounts Bull Board over every queue of the catalogue at DASHBOARD_PATH, behind `dashboardAuth` and a
 * Content-Security-Policy that lets its page run. Call before the body parsers (the dashboard parses its own
 * bodies, after authentication) and only in processes with the api role.
 */
export function mountQueueDashboard(app: NestExpressApplication): void {
  const queues = app.get(QueueService, { strict: false });
  const auth = app.get(AuthService, { strict: false });
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'PAR Evidence Hub queues' } },
  });
  const board = serverAdapter.getRouter() as { disable(setting: string): unknown } & RequestHandler;
  // a sub-app sets its own X-Powered-By unless told not to
  board.disable('x-powered-by');
  const audit = app.get(AuditService, { strict: false });
  app.use(DASHBOARD_PATH, cspMiddleware(DASHBOARD_CSP), dashboardAuth(auth, new Logger('QueueDashboard'), audit), board);
}
