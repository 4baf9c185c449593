import {
  ExecutionContext,
  Logger,
  Module,
  OnApplicationShutdown,
  SetMetadata,
} from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { rateLimitConfig, RateLimitConfig } from '../config/configuration';
import { MemoryThrottlerStorage } from './memory-throttler-storage';

const ONE_MINUTE_MS = 60_000;
const LOGIN_ROUTE = 'rateLimit:loginRoute';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Marks the route the login limit applies to (LOGIN_RATE_LIMIT a minute per client). */
export const LoginRateLimit = () => SetMetadata(LOGIN_ROUTE, true);

function isLoginRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(LOGIN_ROUTE, context.getHandler()) === true;
}

function isSafeMethod(context: ExecutionContext): boolean {
  return SAFE_METHODS.has(context.switchToHttp().getRequest<{ method: string }>().method);
}

/**
 * Counts in Redis so that several app instances share one limit; while Redis is unreachable it
 * counts in memory (limits then hold per instance) instead of failing or blocking requests.
 */
export class SharedThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: Redis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new MemoryThrottlerStorage();
  private lastWarningAt = 0;

  constructor(redisUrl: string, keyPrefix: string) {
    // No offline queue: while Redis is down a command fails at once and the local count is used.
    this.redis = new Redis(redisUrl, {
      keyPrefix,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', (error) => this.warn(`Redis unavailable (${error.message})`));
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string) {
    try {
      return await this.shared.increment(key, ttl, limit, blockDuration, name);
    } catch (error) {
      this.warn(`counting in memory: ${(error as Error).message}`);
      return this.local.increment(key, ttl, limit, blockDuration, name);
    }
  }

  async ping(): Promise<boolean> {
    return this.redis.status === 'ready' && (await this.redis.ping()) === 'PONG';
  }

  onApplicationShutdown(): void {
    this.redis.disconnect(false);
    this.local.onApplicationShutdown();
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarningAt < 30_000) return;
    this.lastWarningAt = Date.now();
    this.logger.warn(message);
  }
}

/**
 * Two limits per client address, both configurable and never off: logins (contract section 1)
 * and writes (every POST, PUT, PATCH and DELETE). Reads are not limited.
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
          ? new SharedThrottlerStorage(config.redisUrl, config.redisKeyPrefix)
          : new MemoryThrottlerStorage(),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitingModule {}
