import { HttpException } from '@nestjs/common';
import { Principal } from '../platform/auth/access-policy';
import { AuditEvent, AuditOutcome, actorOf } from './audit.types';

/**
 * Pure helpers that turn an HTTP call into an audit row. Nothing from the request body reaches the row, except
 * the user name of a sign-in attempt (see `loginActorName`).
 */

export const STATE_CHANGING_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** The sign-in route: its failed attempts are attributed to the user name tried. */
export const LOGIN_ACTION = 'POST /auth/login';

const MAX_TEXT = 500;
const MAX_MESSAGE = 300;
const MAX_MESSAGES = 10;
const MAX_USERNAME = 64;
const REDACTED = '[REDACTED]';

/** Route parameter names whose values are never stored. */
const SECRET_NAME = /(pass(word|phrase)?|pwd|secret|token|api[-_]?key|credential|signature|auth)/i;

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING_METHODS.includes(method.toUpperCase());
}

/** `POST /connectors/:id/runs`: the method and the route pattern, never the concrete URL. */
export function actionName(method: string, routePattern: string): string {
  const path = routePattern.startsWith('/') ? routePattern : `/${routePattern}`;
  return `${method.toUpperCase()} ${path.length > 1 ? path.replace(/\/+$/, '') : path}`;
}

/** The route pattern Express matched (`/connectors/:id/runs`), or null when there is none. */
export function routePatternOf(request: { route?: { path?: unknown } }): string | null {
  const path = request.route?.path;
  return typeof path === 'string' && path.length > 0 ? path : null;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text PostgreSQL accepts and a terminal shows safely: NUL (refused by text and jsonb), other control characters
 * (escape sequences) and lone surrogates (refused by json) become U+FFFD.
 */
export function storableText(text: string): string {
  return text.replace(CONTROL, '\ufffd').replace(LONE_SURROGATE, '\ufffd');
}

/** `storableText` applied to every string (keys included) of a JSON-like value. */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return typeof value === 'object' ? null : value;
  if (Array.isArray(value)) return value.map((v) => storableJson(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v, depth + 1)]));
}

export function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Removes what could be a secret from free text (error messages): bearer tokens, the service's own tokens and
 * API keys, user-info in URLs, `password=…`-style pairs, and long opaque strings (hex digests and UUIDs stay).
 */
export function scrubText(text: string): string {
  return text
    .replace(/\bBearer\s+\S+/gi, `Bearer ${REDACTED}`)
    .replace(/\bpeh_(at|key)_[A-Za-z0-9_-]*/g, REDACTED)
    .replace(/(\/\/)[^/\s@]+@/g, `$1${REDACTED}@`)
    .replace(
      /\b([\w.-]*(?:pass(?:word|phrase)?|pwd|secret|token|api[-_]?key|credential|signature)[\w.-]*)(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi,
      `$1$2${REDACTED}`,
    )
    .replace(/[A-Za-z0-9_\-+/]{32,}={0,2}/g, (run) => (/^[0-9a-f-]+$/i.test(run) ? run : REDACTED));
}

/** Route parameters as text: the value when there is one, `name=value, …` when there are several; secret-looking names redacted. */
export function targetFromParams(params: Record<string, unknown> | null | undefined): { target: string | null; redacted: boolean } {
  const entries = Object.entries(params ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return { target: null, redacted: false };
  let redacted = false;
  const shown = entries.map(([name, value]) => {
    if (SECRET_NAME.test(name)) {
      redacted = true;
      return [name, REDACTED] as const;
    }
    const text = Array.isArray(value) ? value.map(String).join('/') : String(value);
    return [name, clip(scrubText(text), 200)] as const;
  });
  const target = shown.length === 1 ? shown[0][1] : shown.map(([n, v]) => `${n}=${v}`).join(', ');
  return { target: clip(target), redacted };
}

/** What a creation returned: its `id` (a number or a short identifier), to name the target of a POST without route parameters. */
export function createdId(result: unknown): string | null {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return null;
  const id = (result as { id?: unknown }).id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id === 'string' && /^[\w.:-]{1,100}$/.test(id)) return id;
  return null;
}

export function statusOf(error: unknown): number {
  return error instanceof HttpException ? error.getStatus() : 500;
}

/** 401 and 403 are refusals (who the caller is, or is not); any other status from 400 up is a failure. */
export function outcomeFor(status: number): AuditOutcome {
  if (status === 401 || status === 403) return 'denied';
  return status >= 400 ? 'failed' : 'succeeded';
}

/**
 * What is kept of an error: its status and class, and for 4xx the message the client was given (scrubbed,
 * clipped). 5xx messages are internal (SQL, stack details) and are not kept.
 */
export function failureDetail(error: unknown): Record<string, unknown> {
  const status = statusOf(error);
  const detail: Record<string, unknown> = { status, error: errorClass(error) };
  if (error instanceof HttpException && status < 500) {
    const messages = messagesOf(error);
    if (messages.length > 0) detail.message = messages.length === 1 ? messages[0] : messages;
  }
  return detail;
}

function errorClass(error: unknown): string {
  if (error instanceof Error) return clip(error.constructor?.name || error.name || 'Error', 100);
  return typeof error;
}

function messagesOf(error: HttpException): string[] {
  const response = error.getResponse();
  const raw = typeof response === 'string' ? response : (response as { message?: unknown })?.message ?? error.message;
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .filter((m): m is string => typeof m === 'string')
    .slice(0, MAX_MESSAGES)
    .map((m) => clip(scrubText(m), MAX_MESSAGE));
}

/** The user name of a sign-in attempt (not a secret): only for the sign-in route, only a string, clipped. */
export function loginActorName(action: string, body: unknown): string | null {
  if (action !== LOGIN_ACTION || !body || typeof body !== 'object') return null;
  const username = (body as { username?: unknown }).username;
  if (typeof username !== 'string' || username.length === 0) return null;
  return clip(username, MAX_USERNAME);
}

/** The parts of an Express request the audit trail looks at. */
export interface AuditedRequest {
  method: string;
  path?: string;
  params?: Record<string, unknown>;
  body?: unknown;
  ip?: string;
  id?: unknown;
  route?: { path?: unknown };
  principal?: Principal;
}

export interface AuditPlan {
  /** the action name recorded */
  action: string;
}

/**
 * Whether a call is audited, and under which action: every state-changing call, and read calls whose route is
 * marked `@AuditRead(name)`.
 */
export function planFor(request: AuditedRequest, auditReadAction: string | undefined): AuditPlan | null {
  const method = (request.method ?? 'GET').toUpperCase();
  if (auditReadAction) return { action: auditReadAction };
  if (!isStateChanging(method)) return null;
  return { action: actionName(method, routePatternOf(request) ?? request.path ?? '/') };
}

/**
 * The row for a call that ended with `status`. `result` is what the handler returned (for the id of what a POST
 * created); `error` what it threw.
 */
export function describeCall(
  request: AuditedRequest,
  plan: AuditPlan,
  end: { status: number; result?: unknown; error?: unknown },
): AuditEvent {
  const { target: fromParams, redacted } = targetFromParams(request.params);
  const method = (request.method ?? 'GET').toUpperCase();
  const target = fromParams ?? (method === 'POST' && end.error === undefined ? createdId(end.result) : null);
  // a concrete path would repeat a redacted parameter: keep the pattern then
  const path = redacted ? routePatternOf(request) : request.path ?? null;
  const outcome = outcomeFor(end.status);
  const actor = actorOf(request.principal);
  if (!request.principal && outcome !== 'succeeded') actor.actorName = loginActorName(plan.action, request.body);
  return {
    ...actor,
    action: plan.action,
    method,
    path: path === null ? null : clip(path),
    target,
    outcome,
    status: end.status,
    detail: end.error !== undefined ? failureDetail(end.error) : outcome === 'succeeded' ? null : { status: end.status },
    clientIp: request.ip ?? null,
    requestId: request.id === undefined || request.id === null ? null : clip(String(request.id), 100),
  };
}
