import { ExecutionContext, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimitConfig, RateLimitConfig } from '../config/configuration';
import { LoginFailureLimit, loginFailureCountsInMemory } from './login-failure-limit';
import { isLoginRoute } from './login-rate-limit.decorator';
import { MemoryThrottlerStorage } from './memory-throttler-storage';

const ONE_MINUTE_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isSafeMethod(context: ExecutionContext): boolean {
  return SAFE_METHODS.has(context.switchToHttp().getRequest<{ method: string }>().method);
}

/** A rate-limit storage shared by several app instances through a store /health reports on. */
export interface SharedRateLimitStorage {
  ping(): Promise<boolean>;
  loginFailureCounts(): RateLimiterAbstract;
}

export function isSharedRateLimitStorage(storage: unknown): storage is SharedRateLimitStorage {
  return typeof (storage as Partial<SharedRateLimitStorage> | undefined)?.ping === 'function';
}

/** The Redis-backed storage, loaded only when REDIS_URL is set (ioredis is ~15 MiB of memory). */
function sharedStorage(redisUrl: string, keyPrefix: string): ThrottlerStorage {
  type SharedStorageModule = typeof import('./shared-throttler-storage');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  const shared = require('./shared-throttler-storage') as SharedStorageModule;
  return new shared.SharedThrottlerStorage(redisUrl, keyPrefix);
}

/**
 * Two limits per client address, both configurable and never off: logins (contract section 1)
 * and writes (every POST, PUT, PATCH and DELETE). Reads are not limited. And one per login name,
 * whatever the address: failed logins (LoginFailureLimit, which the auth module applies).
 * Counted in memory, or in Redis with REDIS_URL, so that several instances share them.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ConfigModule.forFeature(rateLimitConfig)],
      inject: [rateLimitConfig.KEY],
      useFactory: (config: RateLimitConfig) => ({
        throttlers: [
          {
            name: 'login',
            ttl: ONE_MINUTE_MS,
            limit: config.loginPerMinute,
            skipIf: (context) => !isLoginRoute(context),
          },
          {
            name: 'writes',
            ttl: ONE_MINUTE_MS,
            limit: config.writesPerMinute,
            skipIf: (context) => isSafeMethod(context) || isLoginRoute(context),
          },
        ],
        storage: config.redisUrl
          ? sharedStorage(config.redisUrl, config.redisKeyPrefix)
          : new MemoryThrottlerStorage(),
      }),
    }),
  ],
  providers: [
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    {
      provide: LoginFailureLimit,
      inject: [ThrottlerStorage],
      useFactory: (storage: ThrottlerStorage) =>
        new LoginFailureLimit(
          isSharedRateLimitStorage(storage)
            ? storage.loginFailureCounts()
            : loginFailureCountsInMemory(),
        ),
    },
  ],
  exports: [LoginFailureLimit],
})
export class RateLimitingModule {}
