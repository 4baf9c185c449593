import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/** Whether `build` holds ormconfig.js compiled after the last change to any source it needs. */
function buildIsCurrent(root: string, build: string): boolean {
  const compiled = join(build, 'ormconfig.js');
  if (!existsSync(compiled)) return false;
  const builtAt = statSync(compiled).mtimeMs;
  const newestSource = (path: string): number => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
  };
  return ['src', 'migrations', 'ormconfig.ts'].every(
    (source) => newestSource(join(root, source)) < builtAt,
  );
}

/**
 * The production path, as an operator types it: the plain `typeorm` bin on the build's
 * `ormconfig.js`, in an environment that holds the database's settings and, beside them, app
 * variables that are invalid (a short JWT_SECRET in production, a bad PORT): a migration job
 * needs the first and must ignore the rest. Its output is TypeORM's own, plain when not on a
 * terminal; a failure exits non-zero.
 */
describe(`The plain TypeORM CLI on the build, on ${TEST_DIALECT}`, () => {
  const root = join(__dirname, '..');
  // The project's build when it is newer than every source (CI builds before the tests), else
  // one made for this suite.
  const projectBuild = join(root, 'dist');
  const build = buildIsCurrent(root, projectBuild)
    ? projectBuild
    : join(root, 'test-artifacts', `cli-build-${process.pid}`);
  let database: TestDatabase;
  let dataSource: DataSource;

  function typeorm(command: string, env: Record<string, string> = {}) {
    return run('npx', ['typeorm', command, '-d', join(build, 'ormconfig.js')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        NODE_ENV: 'production',
        JWT_SECRET: 'not-32-characters',
        PORT: 'not-a-port',
        ...env,
      },
      timeout: 120_000,
    });
  }

  const ESCAPE_CODE = '\u001b';

  beforeAll(async () => {
    // The build as `nest build` makes it, without the Swagger plugin the CLI does not need.
    if (build !== projectBuild) {
      await run('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', build], { cwd: root });
    }
    database = await createTestDatabase();
    dataSource = testDataSource(database.url);
  }, 120_000);
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
    if (build !== projectBuild) rmSync(build, { recursive: true, force: true });
  });

  it('runs up, shows, reverts and runs up again, printing plain lines', async () => {
    const up = await typeorm('migration:run');
    expect(up.stdout).toMatch(/Migration CreateUsersAndProfiles\d+ has been executed successfully/);

    const shown = await typeorm('migration:show');
    const lines = shown.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect(line).toMatch(/^\[X\] \d+ [A-Za-z]+\d{13}$/);
    expect(shown.stdout + shown.stderr).not.toContain(ESCAPE_CODE);
    expect(shown.stdout).not.toContain('[Nest]');

    const reverted = await typeorm('migration:revert');
    expect(reverted.stdout).toMatch(/Migration \w+ has been reverted successfully/);
    const afterRevert = (await typeorm('migration:show')).stdout.trim().split('\n');
    expect(afterRevert.at(-1)).toMatch(/^\[ \] [A-Za-z]+\d{13}$/);
    expect(afterRevert.slice(0, -1).every((line) => line.startsWith('[X]'))).toBe(true);

    await typeorm('migration:run');
    const again = (await typeorm('migration:show')).stdout;
    expect(again).not.toContain('[ ]');
    expect(up.stdout + up.stderr + again).not.toContain(ESCAPE_CODE);
  }, 180_000);

  it('exits non-zero with a message naming DATABASE_URL when it is bad', async () => {
    await expect(
      typeorm('migration:show', { DATABASE_URL: 'oracle://db/x' }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('DATABASE_URL must be sqlite:<path>'),
    });
  }, 60_000);

  it('exits non-zero when a migration fails, recording none of it as run', async () => {
    const broken = await createTestDatabase();
    const blocker = testDataSource(broken.url);
    try {
      await blocker.initialize();
      // A table in the way of the first migration.
      await blocker.query(`CREATE TABLE ${blocker.driver.escape('profiles')} (x INT)`);
      await expect(typeorm('migration:run', { DATABASE_URL: broken.url })).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/QueryFailedError: .*profiles.* already exists/),
      });
      const [{ n }] = await blocker.query(
        `SELECT COUNT(*) AS n FROM ${blocker.driver.escape('migrations')}`,
      );
      expect(Number(n)).toBe(0);
      // MariaDB commits each DDL statement by itself: there the statements before the failing
      // one stay (the migration is still not recorded as run); elsewhere nothing does.
      if (TEST_DIALECT !== 'mysql') {
        expect(await blocker.createQueryRunner().hasTable('users')).toBe(false);
      }
    } finally {
      await blocker.destroy();
      await broken.drop();
    }
  }, 120_000);
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
