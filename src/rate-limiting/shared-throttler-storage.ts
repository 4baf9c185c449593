import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible';
import { LOGIN_FAILURE_COUNTS, loginFailureCountsInMemory } from './login-failure-limit';
import { MemoryThrottlerStorage } from './memory-throttler-storage';
import type { SharedRateLimitStorage } from './rate-limiting.module';

/**
 * Counts in Redis so that several app instances share one limit; while Redis is unreachable it
 * counts in memory (limits then hold per instance) instead of failing or blocking requests.
 */
export class SharedThrottlerStorage
  implements ThrottlerStorage, SharedRateLimitStorage, OnApplicationShutdown
{
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

  /** Login failures counted on the same Redis connection, in memory while Redis is unreachable. */
  loginFailureCounts(): RateLimiterAbstract {
    return new RateLimiterRedis({
      ...LOGIN_FAILURE_COUNTS,
      storeClient: this.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: loginFailureCountsInMemory(),
    });
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
