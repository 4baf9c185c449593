import { durationToSeconds } from './configuration';
import {
  InvalidEnvironmentError,
  readReplicaUrls,
  trustProxySetting,
  validateEnvironment,
} from './environment';

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnvironment(env);
    return [];
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
}

describe('HTTP_PLATFORM and TRUST_PROXY', () => {
  it('default to Express and no trusted proxy', () => {
    expect(validateEnvironment({})).toMatchObject({
      HTTP_PLATFORM: 'express',
      TRUST_PROXY: 'false',
    });
  });

  it('refuses an unknown platform with a message naming the variable and the choices', () => {
    expect(problemsOf({ HTTP_PLATFORM: 'koa' })).toEqual([
      'HTTP_PLATFORM must be one of express, fastify',
    ]);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['loopback', 'loopback'],
    ['10.0.0.0/8, 192.168.1.7', '10.0.0.0/8,192.168.1.7'],
    ['::1,fd00::/8,uniquelocal', '::1,fd00::/8,uniquelocal'],
  ])('reads TRUST_PROXY=%s as %p for both platforms', (value, setting) => {
    expect(problemsOf({ TRUST_PROXY: value })).toEqual([]);
    expect(trustProxySetting(value)).toEqual(setting);
  });

  it.each([['yes'], ['*'], ['10.0.0.0/8;evil'], ['proxy.example.com']])(
    'refuses TRUST_PROXY=%s',
    (value) => {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([
        expect.stringMatching(/^TRUST_PROXY must be true, false, a number of proxy hops/),
      ]);
    },
  );
});

describe('validateEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_URL: 'sqlite:./data/blog.sqlite',
      DB_POOL_SIZE: 10,
      DB_LOGGING: false,
      JWT_EXPIRES_IN: '1h',
      LOG_LEVEL: 'info',
      LOGIN_RATE_LIMIT: 10,
    });
  });

  it('converts numbers and booleans from their text form', () => {
    const env = validateEnvironment({
      PORT: '8080',
      DB_POOL_SIZE: '20',
      DB_LOGGING: 'true',
      LOGIN_RATE_LIMIT: '50',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      DB_POOL_SIZE: 20,
      DB_LOGGING: true,
      LOGIN_RATE_LIMIT: 50,
    });
  });

  it.each([
    ['sqlite::memory:'],
    ['sqlite:/var/lib/blog.sqlite'],
    ['postgres://user:pw@db:5432/blog'],
    ['postgresql://db/blog'],
    ['mysql://root@db:3306/blog'],
    ['mariadb://root@db:3306/blog'],
  ])('accepts DATABASE_URL %s', (url) => {
    expect(problemsOf({ DATABASE_URL: url })).toEqual([]);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'oracle://db' }, 'DATABASE_URL'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE'],
    [{ DB_LOGGING: 'sometimes' }, 'DB_LOGGING'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ JWT_EXPIRES_IN: 'forever' }, 'JWT_EXPIRES_IN'],
    [{ MONGODB_URI: 'http://mongo' }, 'MONGODB_URI'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOGIN_RATE_LIMIT: '0' }, 'LOGIN_RATE_LIMIT'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('rejects %j with a message naming %s', (env, name) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toContain(name);
  });

  it('refuses production without JWT_SECRET', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET is required when NODE_ENV=production',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toEqual([]);
  });
});

describe('durationToSeconds', () => {
  it.each([
    ['90', 90],
    ['45s', 45],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604800],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(durationToSeconds(text)).toBe(seconds);
  });
});

describe('DATABASE_READ_URLS', () => {
  const replicated = {
    DATABASE_URL: 'postgres://app@primary:5432/blog',
    DATABASE_READ_URLS: 'postgres://app@replica-1:5432/blog, postgres://app@replica-2:5432/blog',
    JWT_SECRET: 'a-secret-shared-by-every-instance-of-the-app',
    REDIS_URL: 'redis://redis:6379',
  };

  it('takes a comma-separated list of PostgreSQL URLs', () => {
    expect(problemsOf(replicated)).toEqual([]);
    expect(readReplicaUrls(replicated.DATABASE_READ_URLS)).toEqual([
      'postgres://app@replica-1:5432/blog',
      'postgres://app@replica-2:5432/blog',
    ]);
    expect(readReplicaUrls(undefined)).toEqual([]);
  });

  it.each(['mysql://replica/blog', 'postgres://a/b,,postgres://c/d', 'replica-1'])(
    'refuses %j, naming the variable',
    (urls) => {
      expect(problemsOf({ ...replicated, DATABASE_READ_URLS: urls })).toEqual([
        'DATABASE_READ_URLS must be a comma-separated list of postgres:// URLs',
      ]);
    },
  );

  it('needs a shared JWT_SECRET and REDIS_URL, and a PostgreSQL primary', () => {
    const { JWT_SECRET: _secret, REDIS_URL: _redis, ...alone } = replicated;
    expect(problemsOf({ ...alone, DATABASE_URL: 'sqlite:./blog.sqlite' })).toEqual([
      'DATABASE_READ_URLS needs a postgres:// DATABASE_URL (read replicas are PostgreSQL only)',
      'JWT_SECRET is required with DATABASE_READ_URLS (every instance must share it)',
      'REDIS_URL is required with DATABASE_READ_URLS (rate limits shared by every instance)',
    ]);
  });
});
