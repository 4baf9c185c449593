import { randomBytes } from 'node:crypto';
import { PASSWORD, registerAndLogin, RegisteredUser, uniqueName } from './utils/fixtures';
import { createPost, PostBody } from './utils/posts';
import { ReplicaCluster, replicaClusterUnavailable } from './utils/replica-cluster';
import { createTestApp, TestApp } from './utils/test-app';
import { TEST_DIALECT } from './utils/test-database';
import { redisReachable, TEST_REDIS_URL } from './utils/test-redis';
import { countBy, runTraffic } from './utils/traffic';

/**
 * Read replicas on a real PostgreSQL streaming replica: the suite makes its own primary and
 * replica (test/replication/cluster.sh). The replica applies each transaction APPLY_DELAY_MS after
 * the primary commits it, so that which server answered shows in the answer: a post just written
 * is not yet on the replica.
 */
const APPLY_DELAY_MS = 1500;
const DATABASE = 'blog_replicas';

const unavailable =
  TEST_DIALECT !== 'postgres'
    ? 'it needs PostgreSQL (TEST_DATABASE_URL=postgres://…): the app under test is declared for it'
    : (replicaClusterUnavailable() ??
      (redisReachable() ? undefined : `no Redis at ${TEST_REDIS_URL}, which replicas require`));
if (unavailable && process.env.CI === 'true' && TEST_DIALECT === 'postgres') {
  throw new Error(`CI=true and the read-replica suite cannot run: ${unavailable}`);
}
const describeWithReplica = unavailable ? describe.skip : describe;
if (unavailable) console.log(`read-replica suite skipped: ${unavailable}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describeWithReplica(`Read replicas (a primary and a streaming replica of our own)`, () => {
  let cluster: ReplicaCluster;
  const env = {
    JWT_SECRET: 'replica-suite-secret-shared-by-every-instance',
    REDIS_URL: TEST_REDIS_URL,
    RATE_LIMIT_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    DB_REPLICA_CHECK_INTERVAL_MS: '200',
  };
  let t: TestApp;
  let baseUrl: string;
  let author: RegisteredUser;

  /** Resolves once the replica has replayed everything the primary had written when asked. */
  async function replicaCaughtUp(): Promise<void> {
    // The insert position: every record written so far, flushed or not.
    const [{ lsn }] = await cluster.query<{ lsn: string }>(
      'primary',
      'SELECT pg_current_wal_insert_lsn()::text AS lsn',
    );
    await eventually('the replica catching up', async () => {
      const [row] = await cluster.query<{ done: boolean }>(
        'replica',
        'SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), $1) >= 0 AS done',
        [lsn],
      );
      return row.done || undefined;
    });
  }

  /** Executions of statements on `posts` in the suite's database, per server. */
  async function postStatements(server: 'primary' | 'replica'): Promise<number> {
    const [row] = await cluster.query<{ calls: string }>(
      server,
      `SELECT COALESCE(SUM(calls), 0) AS calls FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1) AND query ILIKE '%"posts"%'`,
      [DATABASE],
    );
    return Number(row.calls);
  }

  function appOn(extra: Record<string, string> = {}): Promise<TestApp> {
    return createTestApp(
      {
        ...env,
        DATABASE_URL: cluster.primaryUrl(DATABASE),
        DATABASE_READ_URLS: cluster.replicaUrl(DATABASE),
        ...extra,
      },
      // One database on our primary for every app of the suite, dropped with the cluster.
      { database: { url: cluster.primaryUrl(DATABASE), drop: async () => undefined } },
    );
  }

  async function health(app: TestApp) {
    const res = await app.api.get('/health').expect(200);
    return res.body.info.replica_1 as { state: string; degraded: boolean; lagMs?: number };
  }

  beforeAll(async () => {
    cluster = await ReplicaCluster.start(APPLY_DELAY_MS);
    await cluster.query('primary', `CREATE DATABASE ${DATABASE}`);
    t = await appOn();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    author = await registerAndLogin(t.api);
    await replicaCaughtUp();
    await eventually('the replica in rotation', async () =>
      (await health(t)).state === 'in rotation' ? true : undefined,
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await cluster?.stop();
  });

  it('sends the reads of GET requests to the replica, and writes and their reads to the primary', async () => {
    const post = await createPost(t.api, author, { published: true });
    await replicaCaughtUp();
    const before = {
      primary: await postStatements('primary'),
      replica: await postStatements('replica'),
    };
    for (let i = 0; i < 5; i++) {
      await t.api.get('/posts?limit=5').expect(200);
      await t.api.get(`/posts/${post.id}`).expect(200);
    }
    const reads = {
      primary: (await postStatements('primary')) - before.primary,
      replica: (await postStatements('replica')) - before.replica,
    };
    await t.api.patch(`/posts/${post.id}`).set(author.auth).send({ title: 'Renamed' }).expect(200);
    const afterWrite = {
      primary: (await postStatements('primary')) - before.primary - reads.primary,
      replica: (await postStatements('replica')) - before.replica - reads.replica,
    };
    console.log(
      `statements on posts: 10 GET requests ran ${reads.replica} on the replica, ${reads.primary} on the primary; ` +
        `one PATCH ran ${afterWrite.primary} on the primary, ${afterWrite.replica} on the replica`,
    );
    expect(reads.primary).toBe(0);
    expect(reads.replica).toBeGreaterThanOrEqual(10);
    expect(afterWrite.primary).toBeGreaterThan(0);
    expect(afterWrite.replica).toBe(0);
  });

  it('answers a write with what it wrote; the next GET reads the replica, behind by its delay', async () => {
    const created = await createPost(t.api, author, {
      title: 'Fresh',
      published: true,
      tags: ['lag'],
    });
    expect(created).toMatchObject({
      title: 'Fresh',
      tags: [{ name: 'lag' }],
      author: { id: author.id },
    });
    const patched = await t.api
      .patch(`/posts/${created.id}`)
      .set(author.auth)
      .send({ title: 'Fresher' })
      .expect(200);
    expect(patched.body).toMatchObject({ id: created.id, title: 'Fresher' });
    // The replica has not applied the commit yet: what a client may see on its next request.
    await t.api.get(`/posts/${created.id}`).expect(404);
    await replicaCaughtUp();
    const read = await t.api.get(`/posts/${created.id}`).expect(200);
    expect(read.body.title).toBe('Fresher');
  });

  it('takes a page and its total from the same server', async () => {
    const writer = await registerAndLogin(t.api);
    await replicaCaughtUp();
    for (let i = 0; i < 3; i++) await createPost(t.api, writer, { published: true });
    const page = (query: string) =>
      t.api
        .get(`/posts?authorId=${writer.id}&${query}`)
        .expect(200)
        .then((res) => res.body);
    // Before the replica applies them: none of the three, in the page and in the total alike.
    for (const query of ['limit=2', 'limit=2&skip=0']) {
      const early = await page(query);
      expect([early.total, early.items.length]).toEqual([0, 0]);
    }
    await replicaCaughtUp();
    const late = await page('limit=2');
    expect([late.total, late.items.length]).toEqual([3, 2]);
  });

  it('takes a replica lagging past DB_REPLICA_MAX_LAG_MS out of the rotation, reads then on the primary', async () => {
    const strict = await appOn({ DB_REPLICA_MAX_LAG_MS: '500' });
    try {
      const post = await createPost(strict.api, author, { published: true });
      // Writes keep the WAL ahead of the replica's replay, by its delay of 1.5 s.
      const lagging = await eventually('the replica reported lagging', async () => {
        await createPost(strict.api, author);
        const replica = await health(strict);
        return replica.state === 'lagging' ? replica : undefined;
      });
      expect(lagging).toMatchObject({ degraded: true });
      expect(lagging.lagMs).toBeGreaterThan(500);
      // On the primary, the post just written is there.
      await strict.api.get(`/posts/${post.id}`).expect(200);
      await replicaCaughtUp();
      const rejoined = await eventually('the replica back in rotation', async () => {
        const replica = await health(strict);
        return replica.state === 'in rotation' ? replica : undefined;
      });
      expect(rejoined).toMatchObject({ degraded: false, lagMs: 0 });
    } finally {
      await strict.close();
    }
  });

  it('keeps every route answering while the replica is stopped, and uses it again once it is back', async () => {
    const post = await createPost(t.api, author, { published: true, tags: ['stop'] });
    await replicaCaughtUp();
    const paths = [
      '/posts?limit=5',
      `/posts/${post.id}`,
      '/tags',
      `/users/${author.id}`,
      `/posts/${post.id}/comments`,
    ];
    let stoppedAt = 0;
    let outOfRotationMs = 0;
    const stopping = sleep(800).then(async () => {
      stoppedAt = Date.now();
      await cluster.stopReplica();
      await eventually('the stopped replica out of the rotation', async () =>
        (await health(t)).state === 'down' ? true : undefined,
      );
      outOfRotationMs = Date.now() - stoppedAt;
    });
    const results = await runTraffic({
      baseUrl,
      durationMs: 3_000,
      concurrency: 4,
      makeRequest: (n) => ({ method: 'GET', path: paths[n % paths.length] }),
    });
    await stopping;
    const afterStop = results.filter((result) => result.startedAt >= stoppedAt);
    console.log(
      `replica stopped mid-traffic: ${results.length} GET requests ${JSON.stringify(countBy(results, (r) => r.status))}, ` +
        `${afterStop.length} of them after the stop; /health said it was down ${outOfRotationMs} ms after the stop began`,
    );
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(afterStop.length).toBeGreaterThan(0);

    const down = await health(t);
    expect(down).toMatchObject({ state: 'down', degraded: true });

    const restartedAt = Date.now();
    await cluster.startReplica();
    await eventually('the restarted replica back in rotation', async () =>
      (await health(t)).state === 'in rotation' ? true : undefined,
    );
    const rejoinMs = Date.now() - restartedAt;
    const before = await postStatements('replica');
    await t.api.get(`/posts/${post.id}`).expect(200);
    expect(await postStatements('replica')).toBeGreaterThan(before);
    console.log(
      `replica started again: back in the rotation ${rejoinMs} ms later, without a restart`,
    );
  }, 60_000);

  it('lets two instances share rate limits and accept each other’s tokens and cursors', async () => {
    // Their own key prefix: the suite's other apps logged in from this address too.
    const shared = {
      LOGIN_RATE_LIMIT: '3',
      RATE_LIMIT_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    };
    const other = await appOn(shared);
    const first = await appOn(shared);
    try {
      const user = await registerAndLogin(first.api); // login 1 of 3, on the first instance
      await replicaCaughtUp();
      await other.api.get('/auth/me').set(user.auth).expect(200);
      for (let i = 0; i < 3; i++) await createPost(first.api, user, { published: true });
      await replicaCaughtUp();
      const firstPage = await first.api.get(`/posts?authorId=${user.id}&limit=2`).expect(200);
      const next = await other.api
        .get(
          `/posts?authorId=${user.id}&limit=2&cursor=${encodeURIComponent(firstPage.body.nextCursor)}`,
        )
        .expect(200);
      expect([...firstPage.body.items, ...next.body.items].map((p: PostBody) => p.id)).toHaveLength(
        3,
      );
      const login = { login: user.username, password: PASSWORD };
      await other.api.post('/auth/login').send(login).expect(200); // 2
      await first.api.post('/auth/login').send(login).expect(200); // 3
      await other.api.post('/auth/login').send(login).expect(429);
      await first.api
        .post('/auth/login')
        .send({ ...login, login: uniqueName() })
        .expect(429);
    } finally {
      await first.close();
      await other.close();
    }
  });
});
