import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import {
  createTestDatabase,
  TEST_DIALECT,
  testDataSource,
  TestDatabase,
} from './utils/test-database';

const run = promisify(execFile);

/** Runs a command from the project root the way an operator would, on the test database. */
function cli(databaseUrl: string, command: string, args: string[]) {
  return run(command, args, {
    cwd: `${__dirname}/..`,
    // Transpile-only: the build already type-checks; here only the commands' behaviour matters.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'development',
      TS_NODE_TRANSPILE_ONLY: 'true',
    },
    timeout: 120_000,
  });
}

describe(`Operator commands on ${TEST_DIALECT}`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = testDataSource(database.url);
  });
  afterAll(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  });

  it('npx typeorm-ts-node-commonjs migration:run / migration:show / migration:revert -d ormconfig.ts work as they are', async () => {
    const typeorm = (...args: string[]) =>
      cli(database.url, 'npx', ['typeorm-ts-node-commonjs', ...args, '-d', 'ormconfig.ts']);

    await typeorm('migration:run');
    const shown = await typeorm('migration:show');
    expect(shown.stdout).toMatch(/\[X\].*CreateUsersAndProfiles/);
    expect(shown.stdout).not.toMatch(/\[ \]/);

    await typeorm('migration:revert');
    const afterRevert = await typeorm('migration:show');
    expect(afterRevert.stdout).toMatch(/\[ \]/);
  }, 180_000);

  it('npm run user:promote -- <username> makes that user an admin, and fails for an unknown one', async () => {
    await cli(database.url, 'npx', [
      'typeorm-ts-node-commonjs',
      'migration:run',
      '-d',
      'ormconfig.ts',
    ]);
    await dataSource.initialize();
    await dataSource.query(
      `INSERT INTO ${dataSource.driver.escape('users')} (${[
        'id',
        'email',
        'username',
        'normalizedUsername',
        'passwordHash',
      ]
        .map((c) => dataSource.driver.escape(c))
        .join(
          ', ',
        )}) VALUES ('00000000-0000-4000-8000-0000000000aa', 'promo@example.com', 'Promo', 'promo', 'x')`,
    );

    const promoted = await cli(database.url, 'npm', [
      'run',
      '--silent',
      'user:promote',
      '--',
      'PROMO',
    ]);
    expect(promoted.stdout).toContain('PROMO is now an admin');
    const [row] = await dataSource.query(`SELECT role FROM ${dataSource.driver.escape('users')}`);
    expect(row.role).toBe('admin');

    await expect(
      cli(database.url, 'npm', ['run', '--silent', 'user:promote', '--', 'nobody']),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no user named "nobody"'),
    });
  }, 180_000);
});

describe('Startup configuration', () => {
  function start(env: Record<string, string>) {
    return run('npx', ['ts-node', '-T', 'src/main.ts'], {
      cwd: `${__dirname}/..`,
      env: { ...process.env, DATABASE_URL: 'sqlite::memory:', ...env },
      timeout: 60_000,
    });
  }

  it('stops the app with a message naming a bad variable', async () => {
    await expect(start({ NODE_ENV: 'development', PORT: 'not-a-port' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('PORT must be an integer number'),
    });
  }, 60_000);

  it('stops before creating the app for an unknown HTTP_PLATFORM, naming the choices', async () => {
    await expect(start({ NODE_ENV: 'development', HTTP_PLATFORM: 'koa' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^Invalid configuration:\n {2}- HTTP_PLATFORM must be one of express, fastify\n$/,
      ),
    });
  }, 60_000);

  it('refuses to start in production without JWT_SECRET', async () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: '' };
    await expect(start(env)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('JWT_SECRET is required when NODE_ENV=production'),
    });
  }, 60_000);
});
