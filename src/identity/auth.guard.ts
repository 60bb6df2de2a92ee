import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { AccessScope, Permission, Principal, can } from '../platform/auth/access-policy';
import { AuthenticatedRequest, PERMISSION_KEY, PUBLIC_KEY } from '../platform/auth/auth.decorators';
import { AuthService } from './auth.service';
import { CSRF_HEADER, SESSION_COOKIE, cookieAllowed, csrfSatisfied, readCookie } from './browser-session';

/** The secret a request carries: `Authorization: Bearer <token or API key>` or `X-API-Key: <key>`. */
export function presentedSecret(request: Pick<Request, 'headers'>): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const key = request.headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key : null;
}

/**
 * Global guard: every route needs a known caller holding the route's permission, except routes marked
 * `@Public()`. A route that names no permission is refused to everyone, so a forgotten annotation fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    @Optional() private readonly audit?: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    try {
      const principal = await this.identify(request);
      request.principal = principal;
      request.scope = AccessScope.of(principal);
      const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
      if (!permission || !can(principal.role, permission)) {
        throw new ForbiddenException(permission ? `the ${principal.role} role may not do this (${permission})` : 'this route is not open to any role');
      }
      // a route that names a province is refused before its input is validated: another province's officer
      // learns nothing from the shape of the answer (services still narrow their queries to the scope)
      const named = (request.params as Record<string, string> | undefined)?.provinceCode;
      if (typeof named === 'string') request.scope.assertProvince(named);
      return true;
    } catch (error) {
      // refused calls of audited routes (writes, @AuditRead reads) go to the audit trail; never throws, same error out
      await this.audit?.recordRefusal(context, error);
      throw error;
    }
  }

  async identify(request: Pick<Request, 'headers' | 'method'>): Promise<Principal> {
    const secret = presentedSecret(request) ?? this.sessionSecret(request);
    if (!secret) throw new UnauthorizedException('authentication required: sign in, or send Authorization: Bearer <token> or X-API-Key');
    const principal = await this.auth.authenticate(secret);
    if (!principal) throw new UnauthorizedException('invalid or expired credentials');
    return principal;
  }

  /** The web app's session cookie, for same-origin requests; writes must carry the session's CSRF header. */
  private sessionSecret(request: Pick<Request, 'headers' | 'method'>): string | null {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!token) return null;
    if (!cookieAllowed(request.headers['sec-fetch-site'])) throw new ForbiddenException('the session cookie is not accepted on requests from other origins');
    if (!csrfSatisfied(request.method ?? 'GET', token, request.headers[CSRF_HEADER])) {
      throw new ForbiddenException(`a change made with the session cookie needs the ${CSRF_HEADER} header (the value of the peh_csrf cookie)`);
    }
    return token;
  }
}
