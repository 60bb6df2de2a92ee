import { SetMetadata, applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { AccessScope, Permission, Principal } from './access-policy';

export const PERMISSION_KEY = 'peh:permission';
export const PUBLIC_KEY = 'peh:public';

/** The one permission a route (or every route of a controller) needs. A route without one is refused to all. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator => SetMetadata(PERMISSION_KEY, permission);

/** No authentication: health checks and login only (marked `x-public` in the API document: no credential, no 401/403). */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-public', true));

export const AUDIT_READ_KEY = 'peh:audit-read';

/**
 * Records every call of a read route in the audit trail (writes are always recorded), under the given action
 * name, e.g. `@AuditRead('raw-payload.download')`. See src/audit/audit.interceptor.ts.
 */
export const AuditRead = (action: string): MethodDecorator & ClassDecorator => SetMetadata(AUDIT_READ_KEY, action);

/** What the authentication guard leaves on the request. */
export interface AuthenticatedRequest {
  principal?: Principal;
  scope?: AccessScope;
}

/** The caller's scope, for services that narrow their queries to it. */
export const Scope = createParamDecorator((_data: unknown, ctx: ExecutionContext): AccessScope => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.scope) throw new Error('no access scope on the request: is the route public?');
  return request.scope;
});
