import { HttpException, HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import type { Response } from 'express';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';

/**
 * Failed sign-ins are counted in Redis (shared by every API replica) per client address and per user name;
 * past LOGIN_MAX_ATTEMPTS within LOGIN_WINDOW_SECONDS further attempts get 429 with Retry-After, even with
 * the right password, until the window ends.
 */
@Injectable()
export class LoginRateLimiter implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly limiter: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.redis = new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.redis.on('error', () => undefined);
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${config.QUEUE_PREFIX}:login-failures`,
      points: config.LOGIN_MAX_ATTEMPTS,
      duration: config.LOGIN_WINDOW_SECONDS,
    });
  }

  private keys(ip: string, username: string): string[] {
    return [`ip:${ip}`, `user:${username.toLowerCase()}`];
  }

  /**
   * Throws 429 when the address or the user name has used up its failed attempts, after setting `Retry-After`
   * on the answer.
   */
  async assertAllowed(ip: string, username: string, response: Pick<Response, 'setHeader'>): Promise<void> {
    for (const key of this.keys(ip, username)) {
      const state = await this.limiter.get(key);
      if (state && state.consumedPoints >= this.config.LOGIN_MAX_ATTEMPTS) {
        const retryAfter = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
        response.setHeader('Retry-After', String(retryAfter));
        throw new HttpException(
          { statusCode: 429, error: 'Too Many Requests', message: `too many failed sign-ins: try again in ${retryAfter} s`, retryAfter },
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
    }
  }

  async recordFailure(ip: string, username: string): Promise<void> {
    for (const key of this.keys(ip, username)) {
      await this.limiter.penalty(key, 1);
    }
  }

  /** A successful sign-in clears the user name's count (the address keeps its count until the window ends). */
  async recordSuccess(username: string): Promise<void> {
    await this.limiter.delete(`user:${username.toLowerCase()}`);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
