import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ConfigType, registerAs } from '@nestjs/config';
import { readReplicaUrls, validateEnvironment } from './environment';

export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    logFile: env.LOG_FILE,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    docsEnabled: env.DOCS_ENABLED,
  };
});

export const databaseConfig = registerAs('database', () => {
  const env = validateEnvironment(process.env);
  return {
    url: env.DATABASE_URL,
    poolSize: env.DB_POOL_SIZE,
    logging: env.DB_LOGGING,
    slowQueryMs: env.DB_SLOW_QUERY_MS,
    acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    readUrls: readReplicaUrls(env.DATABASE_READ_URLS),
    replicaMaxLagMs: env.DB_REPLICA_MAX_LAG_MS,
    replicaCheckIntervalMs: env.DB_REPLICA_CHECK_INTERVAL_MS,
  };
});

export const rateLimitConfig = registerAs('rateLimit', () => {
  const env = validateEnvironment(process.env);
  return {
    loginPerMinute: env.LOGIN_RATE_LIMIT,
    writesPerMinute: env.WRITE_RATE_LIMIT,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.RATE_LIMIT_KEY_PREFIX,
  };
});

export const mongoConfig = registerAs('mongo', () => {
  const env = validateEnvironment(process.env);
  return {
    uri: env.MONGODB_URI,
    poolSize: env.MONGODB_POOL_SIZE,
    serverSelectionTimeoutMs: env.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
  };
});

let generatedSecret: string | undefined;

export const authConfig = registerAs('auth', () => {
  const env = validateEnvironment(process.env);
  let jwtSecret = env.JWT_SECRET;
  if (!jwtSecret) {
    // Development convenience only: validateEnvironment refuses production without a secret.
    generatedSecret ??= randomBytes(48).toString('base64url');
    jwtSecret = generatedSecret;
    new Logger('Config').warn(
      'JWT_SECRET is not set: using a random secret, tokens will not survive a restart',
    );
  }
  return {
    jwtSecret,
    jwtExpiresInSeconds: durationToSeconds(env.JWT_EXPIRES_IN),
  };
});

export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
export type MongoConfig = ConfigType<typeof mongoConfig>;
export type RateLimitConfig = ConfigType<typeof rateLimitConfig>;

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function durationToSeconds(duration: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(duration);
  if (!match) throw new Error(`Invalid duration: ${duration}`);
  return Number(match[1]) * SECONDS_PER_UNIT[match[2] || 's'];
}
