import { Period } from '../../platform/time/vietnam-time';
import { DeclarativeConfig } from './declarative-config.schema';
import { PagingState } from './paging';
import { renderTemplate, renderUnitTemplate, usesProvince } from './url-template';

export interface DeclarativeRequest {
  /** a path relative to the connector base URL, or (following a next link) the link as the source sent it */
  path: string;
  /** unencoded values: the HTTP client encodes them */
  query: Record<string, string>;
  headers: Record<string, string>;
}

/**
 * The request for one unit, one period and one page. Placeholder values are URL-encoded in the path and left
 * raw in query and headers. Auth headers are not included (see `authHeaders`). Following a next link, the
 * link is the path (it may be absolute: the caller must check it stays on the source's origin before
 * sending credentials) and the query is empty (the link carries its own).
 */
export function buildRequest(config: DeclarativeConfig, vars: { unit: string; period: Period }, paging: PagingState): DeclarativeRequest {
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(config.request.headers)) headers[name] = renderTemplate(template, vars);
  if (paging.type === 'cursor' && paging.nextLink !== null) return { path: paging.nextLink, query: {}, headers };

  const path = renderTemplate(config.request.path, vars, encodeURIComponent);
  const query: Record<string, string> = {};
  for (const [name, template] of Object.entries(config.request.query)) query[name] = renderTemplate(template, vars);
  const p = config.paging;
  if (p.type === 'page' && paging.type === 'page') {
    query[p.param] = String(paging.page);
    if (p.sizeParam !== undefined && p.size !== undefined) query[p.sizeParam] = String(p.size);
  } else if (p.type === 'offset' && paging.type === 'offset') {
    query[p.param] = String(paging.offset);
    query[p.sizeParam] = String(p.size);
  } else if (p.type === 'cursor' && paging.type === 'cursor' && paging.token !== null && p.param !== undefined) {
    query[p.param] = paging.token;
  }
  return { path, query, headers };
}

/**
 * The values of `{unit}`: `units` with `{province}` replaced by the connector's province code (e.g. `44`
 * turns `000.00.00.H{province}` into `000.00.00.H44`). Errors name the unit that needs a missing province.
 */
export function resolveUnits(config: DeclarativeConfig, vars: { province?: string | null } = {}): { units: string[]; errors: string[] } {
  const errors: string[] = [];
  const units: string[] = [];
  const province = vars.province?.trim() ?? '';
  config.units.forEach((u, i) => {
    if (!usesProvince(u)) units.push(u);
    else if (!/^[A-Za-z0-9]+$/.test(province)) errors.push(`options.source.units[${i}] uses {province} but the connector has no valid province code`);
    else units.push(renderUnitTemplate(u, province));
  });
  return { units: [...new Set(units)], errors };
}

/**
 * The auth headers for a request, given the connector's secret: the API key (apiKeyHeader), the bearer
 * token (bearer) or the access token obtained from `tokenPath` (oauth2ClientCredentials). None for `none`.
 */
export function authHeaders(config: DeclarativeConfig, secret: string | null): Record<string, string> {
  const a = config.auth;
  if (a.type === 'none') return {};
  if (secret === null || secret === '') throw new Error(`options.source.auth.type ${a.type} needs a secret`);
  if (a.type === 'apiKeyHeader') return { [a.header]: secret };
  return { Authorization: `Bearer ${secret}` };
}
