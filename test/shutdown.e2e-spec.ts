import { ChildProcess, spawn } from 'node:child_process';
import { DataSource } from 'typeorm';
import {
  createTestDatabase,
  migrateToLatest,
  TEST_DIALECT,
  testDataSource,
  TestDatabase,
} from './utils/test-database';
import { countBy, registrationBody, runTraffic } from './utils/traffic';

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * The app's address, read from its startup line: it listens on port 0, so the system picks a
 * free port at the moment of listening (a port found free beforehand may be taken by another
 * suite's server in between, whose /health would then answer for it).
 */
async function listeningUrl(output: () => string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const port = /listening on http:\/\/[^\s"]*?:(\d+)/.exec(output())?.[1];
    if (port) return `http://127.0.0.1:${port}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the app did not say where it listens within ${timeoutMs} ms:\n${output()}`);
}

async function waitUntilHealthy(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the app did not become healthy within ${timeoutMs} ms`);
}

describe(`Graceful shutdown on ${TEST_DIALECT}`, () => {
  let database: TestDatabase;
  let verifier: DataSource;
  let app: ChildProcess;
  let output = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateToLatest(database.url);
  });
  afterAll(async () => {
    if (app.exitCode === null) app.kill('SIGKILL');
    if (verifier?.isInitialized) await verifier.destroy();
    await database.drop();
  });

  it('on SIGTERM stops accepting, finishes in-flight writes, closes the pool and exits 0, losing no acknowledged write', async () => {
    app = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: `${__dirname}/..`,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        JWT_SECRET: 'shutdown-test-secret-shutdown-test-secret',
        PORT: '0',
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
        LOG_FILE: '', // to stdout, read below
        DB_LOGGING: 'false',
        WRITE_RATE_LIMIT: '100000',
        SHUTDOWN_TIMEOUT_MS: '5000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout!.on('data', (chunk) => (output += chunk));
    app.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      app.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const baseUrl = await listeningUrl(() => output, 60_000);
    await waitUntilHealthy(baseUrl, 10_000);
    const author = registrationBody('author', 0);
    await fetch(`${baseUrl}/users`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(author),
    });
    const login = await fetch(`${baseUrl}/auth/login`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ login: author.username, password: author.password }),
    });
    const auth = {
      Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`,
    };

    const sigtermAfterMs = 1_500;
    let sigtermAt = 0;
    setTimeout(() => {
      sigtermAt = Date.now();
      app.kill('SIGTERM');
    }, sigtermAfterMs);

    const results = await runTraffic({
      baseUrl,
      durationMs: 4_000,
      concurrency: 6,
      // Alternately a user with a profile and a post with three tags (one of them new): both are
      // multi-row writes that a half-finished transaction would leave incomplete.
      makeRequest: (n) =>
        n % 2 === 0
          ? { method: 'POST', path: '/users', body: registrationBody('shutdown', n) }
          : {
              method: 'POST',
              path: '/posts',
              headers: auth,
              body: {
                title: `Post ${n}`,
                published: true,
                tags: ['common', `batch-${n % 7}`, `own-${n}`],
              },
            },
    });
    const exit = await exited;

    const inFlightAtSigterm = results.filter(
      (r) => r.startedAt < sigtermAt && r.endedAt >= sigtermAt,
    );
    console.log(
      `SIGTERM after ${sigtermAfterMs} ms: ${results.length} requests ${JSON.stringify(countBy(results, (r) => r.status))}, ` +
        `${inFlightAtSigterm.filter((r) => r.status === 201).length} of ${inFlightAtSigterm.length} in flight finished with 201; exit ${exit.code}`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    // main.ts on the platform of this run (HTTP_PLATFORM is inherited).
    expect(output).toContain(
      `with ${process.env.HTTP_PLATFORM || 'express'} (Swagger UI at /docs)`,
    );
    expect(output).toContain('SIGTERM received');
    expect(output).toContain('closed cleanly');
    // Before the signal every request succeeded; after it, connections are refused, never a 5xx.
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.filter((r) => r.endedAt < sigtermAt).every((r) => r.status === 201)).toBe(true);
    expect(
      results.filter((r) => r.startedAt > sigtermAt + 1_000).every((r) => r.status === 0),
    ).toBe(true);

    verifier = await testDataSource(database.url).initialize();
    const created = results
      .filter((r) => r.status === 201 && (r.sent as { username?: string }).username)
      .map((r) => (r.sent as { username: string }).username);
    const rows: { username: string; bio: string | null }[] = await verifier
      .createQueryBuilder()
      .select(['u.username AS username', 'p.bio AS bio'])
      .from('users', 'u')
      .leftJoin('profiles', 'p', 'p.userId = u.id')
      .getRawMany();
    const stored = new Map(rows.map((row) => [row.username, row.bio]));
    for (const username of created) expect(stored.get(username)).toBe(`bio of ${username}`);
    expect(rows.filter((row) => row.bio === null && row.username !== author.username)).toEqual([]);

    const createdPosts = results.filter(
      (r) => r.status === 201 && (r.body as { slug?: string }).slug,
    );
    const links: { title: string; tags: number }[] = await verifier
      .createQueryBuilder()
      .select(['p.title AS title', 'COUNT(pt.tagId) AS tags'])
      .from('posts', 'p')
      .leftJoin('post_tags', 'pt', 'pt.postId = p.id')
      .groupBy('p.id')
      .addGroupBy('p.title')
      .getRawMany();
    const tagCounts = new Map(links.map((row) => [row.title, Number(row.tags)]));
    for (const post of createdPosts)
      expect(tagCounts.get((post.sent as { title: string }).title)).toBe(3);
    expect(links.filter((row) => Number(row.tags) !== 3)).toEqual([]);
    console.log(
      `checked ${created.length} users with profiles and ${createdPosts.length} posts with 3 tag links each`,
    );
  }, 90_000);
});
