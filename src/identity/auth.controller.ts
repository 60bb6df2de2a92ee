import { Body, Controller, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Permission, Principal, ROLE_PERMISSIONS } from '../platform/auth/access-policy';
import { AuthenticatedRequest, Public, RequirePermission } from '../platform/auth/auth.decorators';
import { presentedSecret } from './auth.guard';
import { AuthService } from './auth.service';
import { SESSION_COOKIE, overHttps, readCookie, sessionCookies } from './browser-session';
import { LoginDto } from './dto/identity.dto';
import { LoginRateLimiter } from './login-rate-limiter';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly limiter: LoginRateLimiter,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a user name and password; returns a bearer token with its expiry' })
  @ApiUnauthorizedResponse({ description: 'wrong user name or password' })
  @ApiTooManyRequestsResponse({ description: 'too many failed attempts from this address or for this user' })
  async login(@Body() body: LoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const ip = request.ip ?? 'unknown';
    await this.limiter.assertAllowed(ip, body.username, response);
    const issued = await this.auth.login(body.username, body.password);
    if (!issued) {
      await this.limiter.recordFailure(ip, body.username);
      throw new UnauthorizedException('wrong user name or password');
    }
    await this.limiter.recordSuccess(body.username);
    (request as Request & AuthenticatedRequest).principal = issued.principal;
    // browsers keep the session in an HttpOnly cookie (the web app); machines use the token of the answer
    response.append('Set-Cookie', sessionCookies(issued.token, { secure: secureRequest(request), expiresAt: issued.expiresAt }));
    return { token: issued.token, tokenType: issued.tokenType, expiresAt: issued.expiresAt, user: issued.principal };
  }

  @Post('logout')
  @RequirePermission('self')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session (the bearer token stops working)' })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const secret = presentedSecret(request) ?? readCookie(request.headers.cookie, SESSION_COOKIE);
    if (secret) await this.auth.logout(secret);
    response.append('Set-Cookie', sessionCookies(null, { secure: secureRequest(request) }));
  }

  @Get('me')
  @RequirePermission('self')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who is calling: user or API key, role, province and the permissions of the role' })
  @ApiOkResponse({ description: 'the caller' })
  me(@Req() request: Request & AuthenticatedRequest): Principal & { permissions: readonly Permission[] } {
    const principal = request.principal!;
    return { ...principal, permissions: ROLE_PERMISSIONS[principal.role] };
  }
}

function secureRequest(request: Request): boolean {
  return overHttps(request.secure, request.headers['x-forwarded-proto']);
}
