import { DataSource } from 'typeorm';
import { classifyDatabaseError } from '../src/database/database-errors';
import { TcpProxy, throughProxy } from './utils/tcp-proxy';
import { createTestApp, TestApp } from './utils/test-app';
import { TEST_DATABASE_URL, TEST_DIALECT, testDataSource } from './utils/test-database';
import { countBy, registrationBody, runTraffic, TrafficResult } from './utils/traffic';

/**
 * Fault tests against the real PostgreSQL server of this machine: outages, killed connections,
 * an exhausted pool, slow statements. The server itself is never stopped (other suites share it);
 * outages are made by cutting a loopback proxy between the app and the server.
 */
const onPostgres = TEST_DIALECT === 'postgres';
if (!onPostgres) {
  console.log('faults suite skipped: it needs PostgreSQL (TEST_DATABASE_URL=postgres://…)');
}
const describeOnPostgres = onPostgres ? describe : describe.skip;

const FAST_FAILURE_MS = 3_000;

/** Every 2xx registration must be in the database with its profile: nothing lost, nothing half-written. */
async function expectRegistrationsIntact(dataSource: DataSource, results: TrafficResult[]) {
  const created = results
    .filter((r) => r.status === 201)
    .map((r) => (r.sent as { username: string }).username);
  const rows: { username: string; bio: string | null }[] = await dataSource.query(
    `SELECT u.username, p.bio FROM users u LEFT JOIN profiles p ON p."userId" = u.id`,
  );
  const stored = new Map(rows.map((row) => [row.username, row.bio]));
  for (const username of created) expect(stored.get(username)).toBe(`bio of ${username}`);
  expect(rows.filter((row) => row.bio === null)).toEqual([]);
  return { created: created.length, stored: rows.length };
}

describeOnPostgres('Faults on PostgreSQL', () => {
  describe('database outage', () => {
    const target = new URL(TEST_DATABASE_URL);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    let t: TestApp;
    let baseUrl: string;
    let verifier: DataSource;

    beforeAll(async () => {
      const port = await proxy.listen();
      t = await createTestApp(
        { DB_ACQUIRE_TIMEOUT_MS: '1000', WRITE_RATE_LIMIT: '100000' },
        { appDatabaseUrl: (url) => throughProxy(url, port) },
      );
      await t.app.listen(0, '127.0.0.1');
      baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
      verifier = await testDataSource(t.databaseUrl).initialize();
    });
    afterAll(async () => {
      await verifier.destroy();
      await t.close();
      await proxy.close();
    });

    it('fails fast with 503 during the outage, reports it on /health, and serves again once the database is back', async () => {
      const cutAt = 1_500;
      const restoreAt = 4_000;
      const started = Date.now();
      const healthDuringOutage: Promise<{ status: number; body: unknown; ms: number }> =
        new Promise((resolve) =>
          setTimeout(async () => {
            const before = Date.now();
            const response = await fetch(`${baseUrl}/health`);
            resolve({
              status: response.status,
              body: await response.json(),
              ms: Date.now() - before,
            });
          }, cutAt + 1_000),
        );
      setTimeout(() => proxy.cut(), cutAt);
      setTimeout(() => proxy.restore(), restoreAt);

      const results = await runTraffic({
        baseUrl,
        durationMs: 7_000,
        concurrency: 4,
        makeRequest: (n) => ({
          method: 'POST',
          path: '/users',
          body: registrationBody('outage', n),
        }),
      });

      const relative = (r: TrafficResult) => r.startedAt - started;
      const during = results.filter(
        (r) => relative(r) > cutAt + 100 && r.endedAt - started < restoreAt,
      );
      const after = results.filter((r) => relative(r) > restoreAt + 1_500);
      console.log(
        `outage ${restoreAt - cutAt} ms: ${results.length} requests, by status ${JSON.stringify(countBy(results, (r) => r.status))}; ` +
          `during ${JSON.stringify(countBy(during, (r) => r.status))}, after ${JSON.stringify(countBy(after, (r) => r.status))}`,
      );

      expect(results.filter((r) => r.status === 0 || r.status === 500)).toEqual([]);
      expect(during.length).toBeGreaterThan(0);
      for (const r of during) {
        expect(r.status).toBe(503);
        expect(r.endedAt - r.startedAt).toBeLessThan(FAST_FAILURE_MS);
        expect(r.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      }
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((r) => r.status === 201)).toBe(true);

      const health = await healthDuringOutage;
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'error',
        error: { database: { status: 'down' } },
      });
      expect(health.ms).toBeLessThan(FAST_FAILURE_MS + 1_000);
      const healthAfter = await fetch(`${baseUrl}/health`);
      expect(healthAfter.status).toBe(200);

      const intact = await expectRegistrationsIntact(verifier, results);
      console.log(
        `writes checked: ${intact.created} acknowledged, ${intact.stored} stored, all with their profile`,
      );
    }, 30_000);

    it('survives its connections being killed by the server (pg_terminate_backend) without a 500', async () => {
      const killAt = 1_000;
      let killed = 0;
      setTimeout(async () => {
        const rows = await verifier.query(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        killed = rows.length;
      }, killAt);

      const results = await runTraffic({
        baseUrl,
        durationMs: 4_000,
        concurrency: 4,
        makeRequest: (n) => ({
          method: 'POST',
          path: '/users',
          body: registrationBody('killed', n),
        }),
      });
      console.log(
        `terminated ${killed} backends mid-traffic: ${JSON.stringify(countBy(results, (r) => r.status))}`,
      );

      expect(killed).toBeGreaterThan(0);
      expect(results.every((r) => r.status === 201 || r.status === 503)).toBe(true);
      const last = results.slice(-8);
      expect(last.every((r) => r.status === 201)).toBe(true);
      await expectRegistrationsIntact(verifier, results);
    }, 30_000);
  });
});

const onServerDatabase = TEST_DIALECT !== 'sqlite';
const describeOnServerDatabase = onServerDatabase ? describe : describe.skip;
const sleepSql = (seconds: number) =>
  TEST_DIALECT === 'postgres' ? `SELECT pg_sleep(${seconds})` : `SELECT SLEEP(${seconds})`;

describeOnServerDatabase(`Pool limits on ${TEST_DIALECT}`, () => {
  describe('pool exhaustion and slow statements', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        DB_POOL_SIZE: '2',
        DB_ACQUIRE_TIMEOUT_MS: '500',
        DB_STATEMENT_TIMEOUT_MS: '2500',
      });
    });
    afterAll(() => t.close());

    it('answers 503 after the acquire timeout while every pooled connection is busy, and /health stays responsive', async () => {
      const user = await t.api.post('/users').send(registrationBody('pool', 1)).expect(201);
      const busy = [t.dataSource.query(sleepSql(2)), t.dataSource.query(sleepSql(2))];
      await new Promise((resolve) => setTimeout(resolve, 100));

      const before = Date.now();
      const res = await t.api.get(`/users/${user.body.id}`).expect(503);
      const waited = Date.now() - before;
      expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(waited).toBeGreaterThanOrEqual(400);
      expect(waited).toBeLessThan(1_500);

      const healthStarted = Date.now();
      const health = await t.api.get('/health');
      expect([200, 503]).toContain(health.status);
      expect(Date.now() - healthStarted).toBeLessThan(FAST_FAILURE_MS);
      console.log(
        `pool of 2 busy: request failed after ${waited} ms, /health answered ${health.status}`,
      );

      await Promise.all(busy);
      await t.api.get(`/users/${user.body.id}`).expect(200);
    }, 20_000);

    it('has the server cancel a statement that runs past DB_STATEMENT_TIMEOUT_MS, mapped to 503', async () => {
      const startedAt = Date.now();
      const outcome = await t.dataSource.query(sleepSql(6)).catch((e: unknown) => e);
      const elapsed = Date.now() - startedAt;
      const driverError = (outcome as { driverError?: { code?: string; errno?: number } })
        .driverError;
      if (TEST_DIALECT === 'postgres') expect(driverError?.code).toBe('57014');
      else expect(driverError?.errno).toBe(1969); // ER_STATEMENT_TIMEOUT
      expect(classifyDatabaseError(outcome)).toBe('unavailable');
      expect(elapsed).toBeLessThan(4_500);
    }, 20_000);
  });
});
