import { createHash } from 'node:crypto';

/**
 * Browser sessions of the web app: after `POST /auth/login` the bearer token also travels in an HttpOnly,
 * SameSite=Strict cookie (Secure over HTTPS), so page scripts never hold it. Writes authenticated by that cookie
 * must carry the CSRF header, whose value is derived from the session token (signed double submit): the app reads
 * it from a second, script-readable cookie; another site can neither read it nor compute it.
 * Machines keep sending `Authorization: Bearer` or `X-API-Key`, which need no CSRF header.
 */
export const SESSION_COOKIE = 'peh_session';
export const CSRF_COOKIE = 'peh_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of cookie `name` in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}

/**
 * Whether a request may authenticate with a cookie. SameSite=Strict already keeps cookies off cross-site requests;
 * this also refuses requests a browser marks as coming from another origin of the same site (Sec-Fetch-Site).
 * Clients that send no Sec-Fetch-Site (older browsers, curl) are let through.
 */
export function cookieAllowed(secFetchSite: string | string[] | undefined): boolean {
  if (secFetchSite === undefined) return true;
  const value = Array.isArray(secFetchSite) ? secFetchSite[0] : secFetchSite;
  return value === 'same-origin' || value === 'none';
}

/** Whether the answer goes back over HTTPS (directly, or as a TLS-ending proxy says: only used to add `Secure`). */
export function overHttps(encrypted: boolean, forwardedProto: string | string[] | undefined): boolean {
  const proto = (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(',')[0]?.trim().toLowerCase();
  return encrypted || proto === 'https';
}

/** The CSRF token that goes with a session token (not secret from the page, useless without the session). */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

/** Whether a cookie-authenticated request may go ahead: reads always; writes only with the matching CSRF header. */
export function csrfSatisfied(method: string, sessionToken: string, header: string | string[] | undefined): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  const presented = Array.isArray(header) ? header[0] : header;
  return typeof presented === 'string' && presented === csrfTokenFor(sessionToken);
}

/** The two Set-Cookie values that open a browser session (until `expiresAt`), or close it (token null). */
export function sessionCookies(token: string | null, options: { secure: boolean; expiresAt?: Date }): string[] {
  const tail = (httpOnly: boolean) => {
    const parts = ['Path=/', 'SameSite=Strict'];
    if (httpOnly) parts.push('HttpOnly');
    if (options.secure) parts.push('Secure');
    if (token === null) parts.push('Max-Age=0');
    else if (options.expiresAt) parts.push(`Expires=${options.expiresAt.toUTCString()}`);
    return parts.join('; ');
  };
  return [
    `${SESSION_COOKIE}=${token ?? ''}; ${tail(true)}`,
    `${CSRF_COOKIE}=${token === null ? '' : csrfTokenFor(token)}; ${tail(false)}`,
  ];
}
