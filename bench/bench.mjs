#!/usr/bin/env node
// npm run bench: this API's own benchmark on PostgreSQL, self-contained (see BENCHMARKS.md).
//
// 1. a fresh database (CREATE DATABASE on BENCH_ADMIN_URL), or BENCH_DATABASE_URL as it is
//    (its blog tables are emptied: the seed runs with --reset);
// 2. migrations and the data set (200 users, 50 tags, 10,000 published posts with 3 tags each)
//    through the project's seed command, from the build (dist/), then VACUUM ANALYZE;
// 3. the compiled app in production mode (the flags of npm run start:prod), pool of 10, no
//    request or query logging, on a free port of 127.0.0.1;
// 4. R1..R4 and W1 with autocannon against 127.0.0.1 only: a warm-up, then a measured run each;
// 5. req/s, p50, p99 and the server's peak RSS (VmHWM), then the server stops and a database
//    this script created is dropped, whatever happened.
//
// Settings (environment): BENCH_DATABASE_URL, BENCH_ADMIN_URL (default
// postgres://postgres@127.0.0.1:5432/postgres), BENCH_CONNECTIONS (32), BENCH_DURATION (10 s),
// BENCH_WARMUP (3 s), BENCH_SCENARIOS (R1,R2,R3,R4,W1), BENCH_NODE_FLAGS (the server's node flags);
// HTTP_PLATFORM (express, the default, or fastify) is passed on to the server.
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const SETTINGS = {
  adminUrl: env.BENCH_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  databaseUrl: env.BENCH_DATABASE_URL,
  connections: Number(env.BENCH_CONNECTIONS || 32),
  duration: Number(env.BENCH_DURATION || 10),
  warmup: Number(env.BENCH_WARMUP || 3),
  scenarios: (env.BENCH_SCENARIOS || 'R1,R2,R3,R4,W1').split(','),
};
// As npm run start:prod (package.json): V8 keeps the heap near its live size (BENCHMARKS.md).
// BENCH_NODE_FLAGS replaces them, to compare settings.
const NODE_FLAGS = (env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=4 --heap-growing-percent=30')
  .split(' ')
  .filter(Boolean);
const DATA_SET = ['--users', '200', '--tags', '50', '--posts', '10000', '--tags-per-post', '3'];
const CURSOR_PAGE = 450;

const log = (message) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function main() {
  if (!existsSync(join(ROOT, 'dist/src/main.js'))) throw new Error('no build: run npm run build');
  const database = await openDatabase();
  let server;
  try {
    seed(database.url);
    await vacuumAnalyze(database.url);
    server = await startServer(database.url);
    const fixtures = await prepare(server.base, database.url);
    const results = [];
    for (const name of SETTINGS.scenarios) {
      const scenario = SCENARIOS[name];
      if (!scenario) throw new Error(`unknown scenario ${name} (R1, R2, R3, R4, W1)`);
      log(`${name}: ${scenario.label}, ${SETTINGS.warmup} s warm-up + ${SETTINGS.duration} s`);
      const options = scenario.options(server.base, fixtures);
      await load(options, SETTINGS.warmup);
      const result = await load(options, SETTINGS.duration);
      results.push({
        name,
        label: scenario.label,
        result,
        peakRssMiB: peakRssMiB(server.child.pid),
      });
    }
    report(results);
  } finally {
    await server?.stop();
    await database.dispose();
  }
}

/** A database of our own, or BENCH_DATABASE_URL as given. */
async function openDatabase() {
  if (SETTINGS.databaseUrl) {
    log(`using BENCH_DATABASE_URL (its blog tables are reset)`);
    return { url: SETTINGS.databaseUrl, dispose: async () => undefined };
  }
  const name = `blog_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  log(`created database ${name}`);
  const url = new URL(SETTINGS.adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      log(`dropped database ${name}`);
    },
  };
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: SETTINGS.adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Migrations and data through the project's seed command (it applies pending migrations). */
function seed(databaseUrl) {
  log('seeding: npm run seed:prod with 200 users, 50 tags, 10,000 posts x 3 tags');
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      'dist/src/seed/seed.js',
      ...DATA_SET,
      '--comments',
      '0',
      '--draft-ratio',
      '0',
      '--reset',
      '--seed-value',
      'bench',
    ],
    {
      cwd: ROOT,
      env: { ...cleanEnv(), NODE_ENV: 'development', DATABASE_URL: databaseUrl },
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (run.status !== 0) throw new Error(`seed failed (${run.status}):\n${run.stdout}${run.stderr}`);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The state autovacuum reaches shortly after a bulk load (and the kit's loader sets up): planner
 * statistics, and a visibility map that lets index-only scans (page ids, counts) skip the table.
 */
async function vacuumAnalyze(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/**
 * The caller's environment with the optional stores and the log file switched off: empty values
 * count as unset, and they also win over a developer's .env.
 */
function cleanEnv() {
  return { ...env, MONGODB_URI: '', REDIS_URL: '', LOG_FILE: '' };
}

async function startServer(databaseUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_FLAGS, 'dist/src/main.js'], {
    cwd: ROOT,
    env: {
      ...cleanEnv(),
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DB_POOL_SIZE: '10',
      DB_LOGGING: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      WRITE_RATE_LIMIT: '100000000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app did not answer /health in 60 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`app (pid ${child.pid}) ready on ${base}, RSS ${peakRssMiB(child.pid)} MiB`);
  return {
    base,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A token, the ids R2 picks from, tag names for W1, and the cursor of page 450 for R4. */
async function prepare(base, databaseUrl) {
  const credentials = {
    email: `bench-${Date.now()}@example.com`,
    username: `bench_${Date.now()}`,
    password: randomBytes(12).toString('hex'),
  };
  await request(base, 'POST', '/users', credentials);
  const { accessToken } = await request(base, 'POST', '/auth/login', {
    login: credentials.username,
    password: credentials.password,
  });

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let ids, tagNames;
  try {
    ids = (await client.query('SELECT id FROM posts ORDER BY id')).rows.map((row) => row.id);
    tagNames = (await client.query('SELECT name FROM tags ORDER BY name')).rows.map((r) => r.name);
  } finally {
    await client.end();
  }

  // Page 450 reached the way a client reaches it: by following nextCursor from the first page.
  let cursor;
  for (let page = 1; page < CURSOR_PAGE; page++) {
    const query = cursor ? `limit=20&cursor=${encodeURIComponent(cursor)}` : 'limit=20';
    cursor = (await request(base, 'GET', `/posts?${query}`)).nextCursor;
  }
  const byCursor = await request(
    base,
    'GET',
    `/posts?limit=20&cursor=${encodeURIComponent(cursor)}`,
  );
  const byOffset = await request(base, 'GET', `/posts?limit=20&skip=${(CURSOR_PAGE - 1) * 20}`);
  if (JSON.stringify(byCursor.items) !== JSON.stringify(byOffset.items)) {
    throw new Error(`page ${CURSOR_PAGE} by cursor differs from the same page by offset`);
  }
  log(`${ids.length} posts, ${tagNames.length} tags, cursor of page ${CURSOR_PAGE} ready`);
  return { token: accessToken, ids, tagNames, cursor };
}

async function request(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${method} ${path} -> ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** The same pseudo-random sequence on every run (xorshift). */
function sequence(seed) {
  let state = seed;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

const SCENARIOS = {
  R1: {
    label: 'GET /posts?skip=0&limit=20',
    options: (base) => ({ url: `${base}/posts?skip=0&limit=20` }),
  },
  R2: {
    label: 'GET /posts/:id (random)',
    options: (base, { ids }) => {
      const pick = sequence(42);
      return {
        url: base,
        requests: [
          { setupRequest: (req) => ({ ...req, path: `/posts/${ids[pick(ids.length)]}` }) },
        ],
      };
    },
  },
  R3: {
    label: 'GET /posts?skip=9000&limit=20',
    options: (base) => ({ url: `${base}/posts?skip=9000&limit=20` }),
  },
  R4: {
    label: `GET /posts?limit=20&cursor=<page ${CURSOR_PAGE}>`,
    options: (base, { cursor }) => ({
      url: `${base}/posts?limit=20&cursor=${encodeURIComponent(cursor)}`,
    }),
  },
  W1: {
    label: 'POST /posts, 2 existing tags + 1 new',
    options: (base, { token, tagNames }) => {
      const pick = sequence(7);
      const run = randomBytes(3).toString('hex');
      let n = 0;
      return {
        url: base,
        requests: [
          {
            method: 'POST',
            path: '/posts',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            setupRequest: (req) => {
              n++;
              const first = pick(tagNames.length);
              const second = (first + 1 + pick(tagNames.length - 1)) % tagNames.length;
              const body = {
                title: `Benchmark post ${run}-${n}`,
                content: 'Benchmark post body, a few sentences long, as the seeded posts are.',
                published: true,
                tags: [tagNames[first], tagNames[second], `bench-${run}-${n}`],
              };
              return { ...req, body: JSON.stringify(body) };
            },
          },
        ],
      };
    },
  },
};

function load(options, seconds) {
  return autocannon({
    ...options,
    connections: SETTINGS.connections,
    duration: seconds,
    timeout: 10,
  });
}

/** Peak resident memory of the server process (Linux), in MiB. */
function peakRssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    return undefined;
  }
}

function report(results) {
  const row = (cells) => `| ${cells.join(' | ')} |`;
  const lines = [
    `connections ${SETTINGS.connections}, ${SETTINGS.duration} s per scenario after ${SETTINGS.warmup} s of warm-up, node ${process.version}`,
    '',
    row(['scenario', 'request', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'peak RSS MiB']),
    row(['---', '---', '--:', '--:', '--:', '--:', '--:', '--:']),
    ...results.map(({ name, label, result, peakRssMiB }) =>
      row([
        name,
        label,
        result.requests.average.toFixed(0),
        result.latency.p50,
        result.latency.p99,
        result.non2xx,
        result.errors + result.timeouts,
        peakRssMiB ?? 'n/a',
      ]),
    ),
  ];
  const r1 = results.find((r) => r.name === 'R1');
  const r4 = results.find((r) => r.name === 'R4');
  if (r1 && r4) {
    const ratio = r4.result.requests.average / r1.result.requests.average;
    lines.push('', `R4 / R1 = ${ratio.toFixed(2)} (goal: at least 0.8)`);
  }
  lines.push(`HTTP platform: ${env.HTTP_PLATFORM || 'express'}`);
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
