import Redis from 'ioredis';

/** The Redis server the shared rate-limit tests may use (any key they write is prefixed). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Asked once per run by the global setup; the workers read the answer from the environment. */
export async function checkRedisReachable(): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    process.env.TEST_REDIS_REACHABLE = 'true';
    return `Redis for the shared rate-limit tests: ${TEST_REDIS_URL}`;
  } catch (error) {
    process.env.TEST_REDIS_REACHABLE = 'false';
    return `shared rate-limit tests are skipped: no Redis at ${TEST_REDIS_URL} (${(error as Error).message}); set TEST_REDIS_URL`;
  } finally {
    redis.disconnect();
  }
}

export const redisReachable = () => process.env.TEST_REDIS_REACHABLE === 'true';
