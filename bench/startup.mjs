#!/usr/bin/env node
// npm run bench:startup: time from process start to the first 200 of GET /health, on SQLite,
// for the compiled app as npm run start:prod runs it (see BENCHMARKS.md).
//
// The database file is migrated once beforehand (npm start runs the migrations as its own step,
// `prestart`), then the app is started BENCH_STARTS times (default 7); each start is timed from
// just before spawn() to the first 200 of /health, polled every 5 ms. Prints every start, the
// median and the slowest, and the RSS at ready.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STARTS = Number(process.env.BENCH_STARTS || 7);
const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=30'];

async function main() {
  if (!existsSync(join(ROOT, 'dist/src/main.js'))) throw new Error('no build: run npm run build');
  const folder = mkdtempSync(join(tmpdir(), 'blog-api-startup-'));
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: `sqlite:${join(folder, 'blog.sqlite')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    MONGODB_URI: '',
    REDIS_URL: '',
    LOG_FILE: '',
  };
  try {
    const migrate = spawnSync(
      process.execPath,
      ['node_modules/typeorm/cli.js', 'migration:run', '-d', 'dist/ormconfig.js'],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}`);
    const timings = [];
    for (let run = 1; run <= STARTS; run++) {
      const { ms, rssMiB } = await timeOneStart(env);
      timings.push(ms);
      console.log(`start ${run}: ${ms.toFixed(0)} ms to /health 200, RSS ${rssMiB} MiB`);
    }
    timings.sort((a, b) => a - b);
    const median = timings[Math.floor(timings.length / 2)];
    console.log(
      `process start to /health on SQLite: median ${median.toFixed(0)} ms, ` +
        `slowest ${timings.at(-1).toFixed(0)} ms over ${STARTS} starts`,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function timeOneStart(env) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, 'dist/src/main.js'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}): ${stderr}`);
      if ((await healthStatus(port)) === 200) break;
      if (performance.now() - started > 30_000) throw new Error(`no /health in 30 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - started;
    return { ms, rssMiB: rssMiB(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function healthStatus(port) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
