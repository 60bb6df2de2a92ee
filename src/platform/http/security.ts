import { HttpException } from '@nestjs/common';
import { reasonPhrase } from './api-errors';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * HTTP hardening shared by every answer of the service: security headers (helmet), and bounded request bodies
 * whose errors are clear 4xx answers. The queue dashboard adds its own policy on top
 * (src/identity/queue-dashboard.ts).
 */

export type CspDirectives = Record<string, string[]>;

/**
 * Content-Security-Policy of the API and of the Swagger UI at /docs: helmet's defaults (scripts from this origin
 * only; the UIs need inline styles and `data:` images), without `upgrade-insecure-requests`, which would break the
 * HTML pages whenever the service is reached over plain HTTP (it listens on HTTP; TLS ends in front of it).
 */
export const API_CSP: Readonly<CspDirectives> = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'font-src': ["'self'", 'https:', 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", 'https:', "'unsafe-inline'"],
};

/**
 * The queue dashboard (Bull Board): its page has inline styles and loads IBM Plex from Google Fonts; its job-data
 * highlighter compiles WebAssembly in a worker (`'wasm-unsafe-eval'` allows WebAssembly only, not JS eval).
 */
export const DASHBOARD_CSP: Readonly<CspDirectives> = {
  ...API_CSP,
  'font-src': ["'self'", 'https://fonts.gstatic.com', 'data:'],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'", 'https://fonts.googleapis.com', "'unsafe-inline'"],
};

/** A helmet Content-Security-Policy middleware for a set of directives (nothing implied by helmet's defaults). */
export function cspMiddleware(directives: Readonly<CspDirectives>) {
  return helmet.contentSecurityPolicy({ useDefaults: false, directives: { ...directives } });
}

/** Security headers on every answer, and no `X-Powered-By`. Call before anything else is mounted. */
export function useSecurityHeaders(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: { ...API_CSP } } }));
}

/** What a body-parser error means for the client: a status (always 4xx) and a message, or null for other errors. */
export function bodyParserProblem(error: unknown, limitKb: number): { status: number; message: string } | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown; charset?: unknown; encoding?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : NaN;
  // body-parser's errors (http-errors) carry a `type`, a 4xx status and expose=true; anything else is not ours
  if (typeof e.type !== 'string' || !(status >= 400 && status < 500)) return null;
  switch (e.type) {
    case 'entity.too.large':
      return { status: 413, message: `request body too large: the limit is ${limitKb} KB` };
    case 'parameters.too.many':
      return { status: 413, message: 'request body has too many form parameters' };
    case 'entity.parse.failed': {
      // the parser's own message quotes the body (which may hold a secret): say only where it broke
      const at = /position (\d+)/.exec(String(e.message ?? ''));
      return { status: 400, message: `malformed JSON body: cannot be parsed${at ? ` (at character ${at[1]})` : ''}; send valid JSON` };
    }
    case 'charset.unsupported':
      return { status: 415, message: `unsupported body charset${typeof e.charset === 'string' ? ` "${e.charset.slice(0, 40)}"` : ''}` };
    case 'encoding.unsupported':
      return { status: 415, message: `unsupported content encoding${typeof e.encoding === 'string' ? ` "${e.encoding.slice(0, 40)}"` : ''}` };
    case 'request.aborted':
      return { status: 400, message: 'request body aborted by the client' };
    case 'request.size.invalid':
      return { status: 400, message: 'request body size does not match Content-Length' };
    default:
      return { status, message: e.expose === true && typeof e.message === 'string' ? e.message : 'unreadable request body' };
  }
}

/**
 * JSON and form bodies up to HTTP_BODY_LIMIT_KB (Nest must be created with `bodyParser: false`; its own default
 * was 100 KB). Body-parser errors become HttpExceptions in the API's usual shape `{statusCode, error, message}`
 * with a message that says what to fix (Nest alone answers e.g. `{"statusCode":413,"message":"request entity
 * too large"}`).
 */
export function useBodyParsers(app: NestExpressApplication, limitKb: number): void {
  const limit = limitKb * 1024;
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.use((error: unknown, _request: Request, _response: Response, next: NextFunction) => {
    const problem = bodyParserProblem(error, limitKb);
    if (!problem) return next(error);
    next(new HttpException({ statusCode: problem.status, error: reasonPhrase(problem.status), message: [problem.message] }, problem.status));
  });
}
