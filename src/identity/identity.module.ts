import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UnitsModule } from '../units/units.module';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Users, sign-in, API keys, and the global guard that every route passes. */
@Module({
  imports: [UnitsModule],
  controllers: [AuthController, UsersController],
  providers: [AuthService, UsersService, ApiKeysService, LoginRateLimiter, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [AuthService, UsersService, ApiKeysService, AuthGuard],
})
export class IdentityModule {}
