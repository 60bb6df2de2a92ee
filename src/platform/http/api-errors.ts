import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { redactText } from '../privacy/personal-fields';
import { ApiLanguage, negotiateLanguage, translateMessage, translatePhrase } from './error-messages';

/**
 * The one shape of every error answer of the API (and of the queue dashboard):
 *
 *     { "statusCode": 400, "error": "Bad Request", "message": ["baseUrl: …", "…"] }
 *
 * `message` is always a list of sentences a person can act on (field first where one field is at fault), in the
 * caller's language (`Accept-Language: vi`). Messages never carry secrets or personal data: personal values are
 * masked, and unexpected errors say only that something failed and how to report it (details go to the log).
 */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string[];
}

export function reasonPhrase(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') : 'Error';
}

const SECRET_LIKE = /\b(peh_[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}=*)/g;

/** An error body in the language, with every message cleaned of personal values and secret-looking tokens. */
export function errorBody(status: number, messages: readonly string[], lang: ApiLanguage = 'en', error?: string): ApiErrorBody {
  const clean = messages.map((m) => translateMessage(redactText(String(m), 1000).replace(SECRET_LIKE, '[REDACTED]'), lang));
  return { statusCode: status, error: translatePhrase(error ?? reasonPhrase(status), lang), message: clean.length > 0 ? clean : [translatePhrase(reasonPhrase(status), lang)] };
}

/** The body of an HttpException, whatever form its thrower gave it, as the list of messages and its phrase. */
function describeHttpException(exception: HttpException): { messages: string[]; error?: string } {
  const response = exception.getResponse();
  if (typeof response === 'string') return { messages: [response] };
  const r = response as { message?: unknown; error?: unknown };
  const messages = Array.isArray(r.message) ? r.message.map(String) : r.message !== undefined ? [String(r.message)] : [exception.message];
  return { messages, error: typeof r.error === 'string' ? r.error : undefined };
}

/** An error of the HTTP layer a client caused and may be told about (http-errors: a 4xx status, expose=true). */
function clientError(error: unknown): { status: number; message: string } | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : NaN;
  if (!(status >= 400 && status < 500) || e.expose !== true) return null;
  return { status, message: typeof e.message === 'string' && e.message.length > 0 ? `request: ${e.message}` : 'the request cannot be read' };
}

/** Renders every exception in the one shape; unexpected ones become a 500 that reveals nothing but a request id. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) return;
    const lang = negotiateLanguage(request.headers?.['accept-language']);
    let body: ApiErrorBody;
    if (exception instanceof HttpException) {
      const { messages, error } = describeHttpException(exception);
      body = errorBody(exception.getStatus(), messages, lang, error);
    } else if (clientError(exception)) {
      // errors of the HTTP layer meant for the client (http-errors with expose, e.g. an undecodable body)
      body = errorBody(clientError(exception)!.status, [clientError(exception)!.message], lang);
    } else {
      const requestId = String(response.getHeader('X-Request-Id') ?? (request as { id?: unknown }).id ?? '');
      this.logger.error({ err: exception, requestId }, 'unexpected error');
      body = errorBody(500, [`an internal error occurred; report request id ${requestId || '(none)'} to an administrator`], lang);
    }
    if (lang === 'vi') response.setHeader('Content-Language', 'vi');
    response.status(body.statusCode).json(body);
  }
}
