import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { registerAndLogin, RegisteredUser } from './utils/fixtures';
import { createPost } from './utils/posts';
import { createTestApp, TestApp } from './utils/test-app';
import { TEST_DIALECT, testDataSource } from './utils/test-database';
import { countBy, runTraffic, TrafficResult } from './utils/traffic';

/**
 * Issue 17: migrations run by the operator's CLI while the app takes writes. The app serves HTTP
 * on 127.0.0.1; writers create and update posts through it; `typeorm migration:run` and
 * `migration:revert` run as separate processes, as in production. What is asserted does not
 * depend on the machine's speed (every request succeeded; whether writes committed while the
 * index was being built); the latencies are printed for the record.
 */
const skipReason =
  TEST_DIALECT === 'sqlite'
    ? 'it needs PostgreSQL or MariaDB (TEST_DATABASE_URL=…): SQLite has one writer at a time'
    : process.env.TEST_MIGRATIONS_UNDER_TRAFFIC !== 'true'
      ? 'set TEST_MIGRATIONS_UNDER_TRAFFIC=true to run it (.ci/run\'s stage "migrations under ' +
        'traffic" does): it fills posts with a million rows'
      : undefined;
if (skipReason) console.log(`migrations-under-traffic suite skipped: ${skipReason}`);
const describeUnderTraffic = skipReason ? describe.skip : describe;

const ROOT = join(__dirname, '..');
const PROJECT_MIGRATIONS = readdirSync(join(ROOT, 'migrations'))
  .filter((file) => /^\d{13}-\w+\.ts$/.test(file))
  .sort()
  .map((file) => join(ROOT, 'migrations', file));
const INDEX_MIGRATION = 'AddPostsPublishedAtIndex1764288000000';
const INDEX_NAME = 'IDX_posts_publishedAt_id';
const UP_TO_INDEX_MIGRATION = PROJECT_MIGRATIONS.slice(
  0,
  PROJECT_MIGRATIONS.findIndex((file) => file.includes(INDEX_MIGRATION.slice(0, -13))) + 1,
);
const EXPAND_MIGRATION = 'AddPostsExcerpt1800000000301';
const EXPAND_FIXTURE = join(
  ROOT,
  'test/fixtures/migrations/expand-contract/1800000000301-AddPostsExcerpt.ts',
);

/**
 * Enough rows that building the index takes a second or more on this machine (2 cores):
 * PostgreSQL builds (publishedAt, id) for a million posts in about half a second, MariaDB in one.
 */
const BULK_POSTS = TEST_DIALECT === 'postgres' ? 2_000_000 : 1_000_000;
const WRITERS = 4;
const SERVER = TEST_DIALECT === 'postgres' ? 'PostgreSQL' : 'MariaDB/MySQL';

const run = promisify(execFile);

/** `npx typeorm-ts-node-commonjs <command>` on the CLI's DataSource, loading only `files`. */
async function migrationCli(command: string, databaseUrl: string, files: string[]) {
  const { stdout } = await run(
    'npx',
    ['typeorm-ts-node-commonjs', command, '-d', 'test/utils/migration-cli-ormconfig.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEST_MIGRATION_FILES: files.join(','),
        NODE_ENV: 'development',
        DB_LOGGING: 'false',
        TS_NODE_TRANSPILE_ONLY: 'true',
      },
      timeout: 120_000,
    },
  );
  return stdout;
}

/**
 * Rows inserted by the database itself (INSERT ... SELECT over a generated series), in batches
 * that each stay within the test connection's statement timeout.
 */
async function fillPosts(dataSource: DataSource, authorId: string, count: number) {
  const BATCH = 500_000;
  for (let first = 1; first <= count; first += BATCH) {
    const last = Math.min(count, first + BATCH - 1);
    if (TEST_DIALECT === 'postgres') {
      await dataSource.query(
        `INSERT INTO posts (id, title, slug, content, published, "publishedAt", "authorId", "createdAt", "updatedAt")
         SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, 'Bulk post ' || n,
           'bulk-post-' || lpad(n::text, 8, '0'), 'bulk', n % 2 = 0,
           CASE WHEN n % 2 = 0 THEN now() - n * interval '1 second' END,
           $1, now() - n * interval '1 second', now()
         FROM generate_series($2::int, $3::int) AS n`,
        [authorId, first, last],
      );
    } else {
      await dataSource.query(
        `INSERT INTO posts (id, title, slug, content, published, publishedAt, authorId, createdAt, updatedAt)
         SELECT CONCAT('00000000-0000-4000-9000-', LPAD(HEX(seq), 12, '0')), CONCAT('Bulk post ', seq),
           CONCAT('bulk-post-', LPAD(seq, 8, '0')), 'bulk', seq % 2 = 0,
           IF(seq % 2 = 0, NOW(6) - INTERVAL seq SECOND, NULL),
           ?, NOW(6) - INTERVAL seq SECOND, NOW(6)
         FROM seq_${first}_to_${last}`,
        [authorId],
      );
    }
  }
}

interface BuildWindow {
  start: number;
  end: number;
}

/**
 * Polls the server's list of running statements for a build of the index until `stop()`. The
 * window answered lies within the build: from the end of the first poll that saw it to the
 * start of the last one.
 */
function watchIndexBuild(dataSource: DataSource) {
  const [sql, parameters] =
    TEST_DIALECT === 'postgres'
      ? [
          `SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()
           AND state = 'active' AND query ILIKE $1`,
          [`CREATE%INDEX%${INDEX_NAME}%`],
        ]
      : [
          `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE()
           AND (INFO LIKE ? OR INFO LIKE ?)`,
          [`CREATE INDEX%${INDEX_NAME}%`, `ALTER TABLE%ADD INDEX%${INDEX_NAME}%`],
        ];
  let stopped = false;
  const deadline = Date.now() + 120_000;
  const polling = (async (): Promise<BuildWindow | undefined> => {
    let window: BuildWindow | undefined;
    while (!stopped && Date.now() < deadline) {
      const sentAt = Date.now();
      const [row] = await dataSource.query(sql, parameters);
      if (Number(row.n) > 0) window = { start: window?.start ?? Date.now(), end: sentAt };
      await sleep(20);
    }
    return window;
  })();
  return {
    stop: async () => {
      stopped = true;
      return polling;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Writes that ran while the index was built, and those that committed inside that time. */
function duringBuild(writes: TrafficResult[], window: BuildWindow) {
  const overlapping = writes.filter((w) => w.startedAt < window.end && w.endedAt > window.start);
  const latencies = overlapping.map((w) => w.endedAt - w.startedAt);
  const committed = overlapping.filter(
    (w) => w.status < 300 && w.startedAt >= window.start && w.endedAt <= window.end,
  );
  return {
    buildMs: window.end - window.start,
    writes: overlapping.length,
    committed: committed.length,
    medianMs: median(latencies),
    longestMs: Math.max(0, ...latencies),
  };
}

function describeFigures(label: string, figures: ReturnType<typeof duringBuild>): string {
  return (
    `${SERVER} ${label}: build ~${figures.buildMs} ms; ${figures.writes} writes during it, ` +
    `${figures.committed} started and committed inside it; write latency median ` +
    `${figures.medianMs} ms, longest ${figures.longestMs} ms`
  );
}

function expectAllSucceeded(results: TrafficResult[]) {
  const failed = results.filter((r) => r.status < 200 || r.status >= 300);
  expect({ failed: failed.length, byStatus: countBy(failed, (r) => r.status) }).toEqual({
    failed: 0,
    byStatus: {},
  });
}

describeUnderTraffic(`Migrations under traffic on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let verifier: DataSource;
  let baseUrl: string;
  let author: RegisteredUser;
  let editable: string[];

  async function startApp() {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    verifier = await testDataSource(t.databaseUrl).initialize();
    author = await registerAndLogin(t.api);
    editable = [];
    for (let i = 0; i < 8; i++) editable.push((await createPost(t.api, author)).id);
  }

  async function stopApp() {
    await verifier?.destroy();
    await t?.close();
  }

  /** Creates and updates posts (and, with `reads`, lists and reads them) while `work` runs. */
  async function underTraffic<T>(work: () => Promise<T>, { reads = false } = {}) {
    const stop = new AbortController();
    const requests = ['create', 'update', ...(reads ? ['list', 'read'] : [])];
    const traffic = runTraffic({
      baseUrl,
      durationMs: 100_000,
      maxRequests: 50_000,
      concurrency: WRITERS,
      signal: stop.signal,
      makeRequest: (n) => {
        const post = editable[n % editable.length];
        const auth = { Authorization: `Bearer ${author.token}` };
        switch (requests[n % requests.length]) {
          case 'create':
            return {
              method: 'POST',
              path: '/posts',
              headers: auth,
              body: { title: `Written under traffic ${n}`, published: n % 3 === 0 },
            };
          case 'update':
            return {
              method: 'PATCH',
              path: `/posts/${post}`,
              headers: auth,
              body: { title: `Edited under traffic ${n}`, published: (n >> 1) % 2 === 0 },
            };
          case 'list':
            return { method: 'GET', path: '/posts?limit=20', headers: auth };
          default:
            return { method: 'GET', path: `/posts/${post}`, headers: auth };
        }
      },
    });
    await sleep(300);
    const watch = watchIndexBuild(verifier);
    let outcome: T;
    let window: BuildWindow | undefined;
    let workEndedAt: number;
    try {
      outcome = await work();
    } finally {
      workEndedAt = Date.now();
      window = await watch.stop();
      // Traffic goes on after the work: the app must still answer once it is done.
      await sleep(500);
      stop.abort();
    }
    const results = await traffic;
    const writes = results.filter((r) => r.sent !== undefined);
    return { outcome, results, writes, window, workEndedAt };
  }

  describe('an index built by migration:run with createIndexOnline, then reverted', () => {
    let setupNote: string;

    beforeAll(async () => {
      await startApp();
      // The app's database is migrated to the latest; take the index away first.
      const executed = async () =>
        (await verifier.query(`SELECT name FROM migrations`)).map(
          (row: { name: string }) => row.name,
        );
      while ((await executed()).includes(INDEX_MIGRATION)) await verifier.undoLastMigration();
      const filledAt = Date.now();
      await fillPosts(verifier, author.id, BULK_POSTS);
      setupNote = `${BULK_POSTS} posts inserted in ${Date.now() - filledAt} ms`;
    }, 180_000);
    afterAll(stopApp);

    async function indexIsValid(): Promise<boolean> {
      if (TEST_DIALECT === 'postgres') {
        const rows = await verifier.query(
          `SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)`,
          [`"${INDEX_NAME}"`],
        );
        return rows[0]?.valid === true;
      }
      const rows = await verifier.query(
        `SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = ?`,
        [INDEX_NAME],
      );
      return rows.length > 0;
    }

    it('lets writes commit during the build, where a plain CREATE INDEX on PostgreSQL lets none', async () => {
      console.log(`${SERVER}: ${setupNote}`);
      const escape = (name: string) => verifier.driver.escape(name);

      // The same index as the landed migrations would build it: queryRunner.createIndex's SQL.
      const plain = await underTraffic(() =>
        verifier.query(
          `CREATE INDEX ${escape(INDEX_NAME)} ON ${escape('posts')} (${escape('publishedAt')}, ${escape('id')})`,
        ),
      );
      expect(plain.window).toBeDefined();
      const plainFigures = duringBuild(plain.writes, plain.window!);
      console.log(describeFigures('plain CREATE INDEX', plainFigures));
      expectAllSucceeded(plain.results);
      if (TEST_DIALECT === 'postgres') {
        expect(plainFigures.committed).toBe(0);
      } else {
        // InnoDB builds a secondary index in place (LOCK=NONE) by default.
        expect(plainFigures.committed).toBeGreaterThan(0);
      }
      await verifier.query(
        TEST_DIALECT === 'postgres'
          ? `DROP INDEX ${escape(INDEX_NAME)}`
          : `DROP INDEX ${escape(INDEX_NAME)} ON ${escape('posts')}`,
      );

      const online = await underTraffic(() =>
        migrationCli('migration:run', t.databaseUrl, UP_TO_INDEX_MIGRATION),
      );
      expect(online.outcome).toContain(
        `Migration ${INDEX_MIGRATION} has been executed successfully`,
      );
      expect(online.window).toBeDefined();
      const onlineFigures = duringBuild(online.writes, online.window!);
      console.log(describeFigures('migration:run with createIndexOnline', onlineFigures));
      expectAllSucceeded(online.results);
      expect(onlineFigures.committed).toBeGreaterThan(0);
      expect(await indexIsValid()).toBe(true);
    }, 120_000);

    it('reverts it (a plain DROP INDEX) while every write still succeeds', async () => {
      const revert = await underTraffic(() =>
        migrationCli('migration:revert', t.databaseUrl, UP_TO_INDEX_MIGRATION),
      );
      expect(revert.outcome).toContain(
        `Migration ${INDEX_MIGRATION} has been reverted successfully`,
      );
      expectAllSucceeded(revert.results);
      const latencies = revert.writes.map((w) => w.endedAt - w.startedAt);
      console.log(
        `${SERVER} migration:revert: ${revert.writes.length} writes, latency median ` +
          `${median(latencies)} ms, longest ${Math.max(...latencies)} ms`,
      );
      expect(await indexIsValid()).toBe(false);
    }, 120_000);
  });

  describe('an expand step (a nullable column) applied and reverted by the CLI', () => {
    beforeAll(startApp, 60_000);
    afterAll(stopApp);

    async function hasExcerpt(): Promise<boolean> {
      const runner = verifier.createQueryRunner();
      try {
        return await runner.hasColumn('posts', 'excerpt');
      } finally {
        await runner.release();
      }
    }

    it('keeps answering reads and writes while migration:run applies it and after migration:revert', async () => {
      const files = [...PROJECT_MIGRATIONS, EXPAND_FIXTURE];

      const up = await underTraffic(() => migrationCli('migration:run', t.databaseUrl, files), {
        reads: true,
      });
      expect(up.outcome).toContain(`Migration ${EXPAND_MIGRATION} has been executed successfully`);
      expect(await hasExcerpt()).toBe(true);
      expectAllSucceeded(up.results);

      const down = await underTraffic(
        () => migrationCli('migration:revert', t.databaseUrl, files),
        { reads: true },
      );
      expect(down.outcome).toContain(
        `Migration ${EXPAND_MIGRATION} has been reverted successfully`,
      );
      expect(await hasExcerpt()).toBe(false);
      expectAllSucceeded(down.results);
      const afterRevert = down.results.filter((r) => r.startedAt > down.workEndedAt);
      expect(afterRevert.length).toBeGreaterThan(0);

      for (const [step, phase] of [
        ['migration:run', up],
        ['migration:revert', down],
      ] as const) {
        console.log(
          `${SERVER} expand step, ${step}: ${phase.results.length} requests ` +
            `${JSON.stringify(countBy(phase.results, (r) => r.status))}`,
        );
      }
    }, 120_000);
  });
});
