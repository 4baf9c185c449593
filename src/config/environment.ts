import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/blog.sqlite';

export const HTTP_PLATFORMS = ['express', 'fastify'] as const;
export type HttpPlatform = (typeof HTTP_PLATFORMS)[number];

const PROXY_ADDRESS = String.raw`(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)`;
const TRUST_PROXY_PATTERN = new RegExp(
  String.raw`^(true|false|\d{1,2}|${PROXY_ADDRESS}(\s*,\s*${PROXY_ADDRESS})*)$`,
);

/** TRUST_PROXY as both Express's `trust proxy` setting and Fastify's `trustProxy` read it. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value.replace(/\s+/g, '');
}

const toBoolean = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (['true', '1', 'yes', 'on'].includes(String(value).toLowerCase())) return true;
  if (['false', '0', 'no', 'off'].includes(String(value).toLowerCase())) return false;
  return value;
};

// Absent and empty variables never reach the transforms: validateEnvironment drops them first,
// so the class's initialisers are the defaults.
const ToInteger = () =>
  Transform(({ value }) =>
    typeof value === 'string' && value.trim() !== '' ? Number(value) : value,
  );

/**
 * The variables of the database connection: all that the migration CLI (ormconfig.ts) reads and
 * validates, so that a migration job needs the database's settings and nothing else.
 */
export class DatabaseEnvironment {
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+|mysql:\/\/.+|mariadb:\/\/.+)$/, {
    message:
      'DATABASE_URL must be sqlite:<path>, sqlite::memory:, postgres://…, mysql://… or mariadb://…',
  })
  DATABASE_URL = DEFAULT_DATABASE_URL;

  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Transform(toBoolean)
  @IsIn([true, false], { message: 'DB_LOGGING must be true or false' })
  DB_LOGGING = false;

  /** Queries slower than this are logged as warnings. */
  @ToInteger()
  @IsInt()
  @Min(1)
  DB_SLOW_QUERY_MS = 500;

  /** How long a request waits for a pooled connection before it fails with 503. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(120_000)
  DB_ACQUIRE_TIMEOUT_MS = 5000;

  /** Longest a single statement may run on PostgreSQL and MariaDB before the server cancels it. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS = 15_000;
}

/**
 * Every variable the app reads, validated once at startup. A bad value stops the process with a
 * message naming the variable instead of failing later on first use.
 */
export class EnvironmentVariables extends DatabaseEnvironment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** The HTTP server under Nest (src/http-platform.ts): the same contract on both. */
  @IsIn(HTTP_PLATFORMS, { message: `HTTP_PLATFORM must be one of ${HTTP_PLATFORMS.join(', ')}` })
  HTTP_PLATFORM: HttpPlatform = 'express';

  /**
   * Which proxies in front of the app are trusted to say the client's address in
   * X-Forwarded-For (rate limits count per client address): `false` (none, the default), `true`
   * (any), a number of hops, or a comma-separated list of addresses, subnets and the names
   * `loopback`, `linklocal`, `uniquelocal`.
   */
  @Matches(TRUST_PROXY_PATTERN, {
    message:
      'TRUST_PROXY must be true, false, a number of proxy hops, or a comma-separated list of ' +
      'addresses, subnets (10.0.0.0/8) and the names loopback, linklocal, uniquelocal',
  })
  TRUST_PROXY = 'false';

  /**
   * PostgreSQL read replicas of DATABASE_URL, comma-separated: the reads of GET requests go to one
   * of them (src/database/read-replicas.ts); writes, transactions and the reads of requests that
   * write stay on the primary.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^,\s]+(\s*,\s*postgres(ql)?:\/\/[^,\s]+)*$/, {
    message: 'DATABASE_READ_URLS must be a comma-separated list of postgres:// URLs',
  })
  DATABASE_READ_URLS?: string;

  /** A replica lagging further behind the primary than this leaves the read rotation. */
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DB_REPLICA_MAX_LAG_MS = 5000;

  /** How often each replica's state and lag are measured. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(60_000)
  DB_REPLICA_CHECK_INTERVAL_MS = 1000;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @Matches(/^\d+[smhd]?$/, {
    message: 'JWT_EXPIRES_IN must be a number of seconds or a duration such as 15m, 1h, 7d',
  })
  JWT_EXPIRES_IN = '1h';

  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must be a mongodb:// URI' })
  MONGODB_URI?: string;

  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(200)
  MONGODB_POOL_SIZE = 10;

  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(120_000)
  MONGODB_SERVER_SELECTION_TIMEOUT_MS = 5000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Swagger UI at /docs and the document at /docs-json; off for deployments that keep them private. */
  @Transform(toBoolean)
  @IsIn([true, false], { message: 'DOCS_ENABLED must be true or false' })
  DOCS_ENABLED = true;

  /** Appends the JSON log lines to this file instead of writing them to stdout. */
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  @ToInteger()
  @IsInt()
  @Min(1, { message: 'LOGIN_RATE_LIMIT must be at least 1 (it cannot be disabled)' })
  LOGIN_RATE_LIMIT = 10;

  /** Write requests (POST, PUT, PATCH, DELETE) a minute per client address, at least 1. */
  @ToInteger()
  @IsInt()
  @Min(1, { message: 'WRITE_RATE_LIMIT must be at least 1 (it cannot be disabled)' })
  WRITE_RATE_LIMIT = 300;

  /** Shared storage for rate limits across app instances; in-memory limits when unset. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix of the rate-limit keys in Redis, so several deployments can share one server. */
  @Matches(/^[\w:.-]{1,100}$/, {
    message: 'RATE_LIMIT_KEY_PREFIX must be 1..100 of [A-Za-z0-9_:.-]',
  })
  RATE_LIMIT_KEY_PREFIX = 'blog-api:rate-limit:';

  /** On SIGTERM, how long in-flight requests may take before the process exits anyway. */
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

function validated<T extends object>(type: new () => T, raw: Record<string, unknown>): T {
  const defined = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(type, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.flatMap((error) =>
        Object.values(error.constraints ?? {}).map((message) =>
          message.startsWith(error.property) ? message : `${error.property}: ${message}`,
        ),
      ),
    );
  }
  return env;
}

export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const env = validated(EnvironmentVariables, raw);
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    throw new InvalidEnvironmentError(['JWT_SECRET is required when NODE_ENV=production']);
  }
  if (env.DATABASE_READ_URLS) {
    // Replicas serve instances behind a load balancer: a random development secret (which also
    // keys the cursors) and in-memory rate limits would differ from one instance to the next.
    const problems = [
      ...(/^postgres(ql)?:/.test(env.DATABASE_URL)
        ? []
        : [
            'DATABASE_READ_URLS needs a postgres:// DATABASE_URL (read replicas are PostgreSQL only)',
          ]),
      ...(env.JWT_SECRET
        ? []
        : ['JWT_SECRET is required with DATABASE_READ_URLS (every instance must share it)']),
      ...(env.REDIS_URL
        ? []
        : ['REDIS_URL is required with DATABASE_READ_URLS (rate limits shared by every instance)']),
    ];
    if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  }
  return env;
}

/** DATABASE_READ_URLS as a list (empty when unset). */
export function readReplicaUrls(value: string | undefined): string[] {
  return value ? value.split(',').map((url) => url.trim()) : [];
}

/** Only the database's variables: any other, even invalid, is not looked at. */
export function validateDatabaseEnvironment(raw: Record<string, unknown>): DatabaseEnvironment {
  return validated(DatabaseEnvironment, raw);
}
