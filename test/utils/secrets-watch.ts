import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Watches a whole e2e run for leaked secrets. Every test app logs (JSON, debug level, SQL
 * included) to a file per worker, records the passwords of requests that succeeded, and checks
 * each response body; the global teardown then searches every log for those passwords and for
 * password hashes.
 */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts');
const HASH_MARKER = '$argon2';

/**
 * One folder per jest run (named by the global setup, inherited by the workers through the
 * environment), so that two runs in the same checkout never mix their logs.
 */
function runDir(): string {
  process.env.SECRETS_WATCH_RUN ??= `run-${Date.now()}-${process.pid}`;
  return join(ARTIFACTS_DIR, 'e2e-logs', process.env.SECRETS_WATCH_RUN);
}
const logsDir = () => join(runDir(), 'logs');
const secretsDir = () => join(runDir(), 'secrets');

function workerFile(prefix: string): string {
  return join(secretsDir(), `${prefix}-${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}.txt`);
}

/** Starts a run in a fresh folder; folders of runs older than an hour are removed. */
export function resetSecretsWatch(): void {
  const runsDir = join(ARTIFACTS_DIR, 'e2e-logs');
  mkdirSync(runsDir, { recursive: true });
  for (const run of readdirSync(runsDir)) {
    const path = join(runsDir, run);
    if (Date.now() - statSync(path).mtimeMs > 3_600_000)
      rmSync(path, { recursive: true, force: true });
  }
  delete process.env.SECRETS_WATCH_RUN;
  for (const dir of [logsDir(), secretsDir()]) mkdirSync(dir, { recursive: true });
}

export function logFileForThisWorker(): string {
  return join(logsDir(), `e2e-worker-${process.env.JEST_WORKER_ID ?? '0'}.log`);
}

/**
 * Hooks for test apps: record the passwords of requests that succeeded, check every response
 * body. Before configureApp, so that they see every response.
 */
export function watchSecrets(app: INestApplication): void {
  if (app.getHttpAdapter().getType() === 'fastify') {
    // Fastify keeps the parsed body on its own request object, not on Node's.
    const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
    fastify.addHook('onSend', (request, reply, payload, done) => {
      checkResponse(request.raw, request.body, reply.statusCode, payload);
      done(null, payload);
    });
    return;
  }
  app.use((req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void) => {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      checkResponse(req, req.body, res.statusCode, args[0]);
      return end(...args);
    }) as ServerResponse['end'];
    next();
  });
}

function checkResponse(
  request: IncomingMessage,
  requestBody: unknown,
  statusCode: number,
  payload: unknown,
): void {
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? String(payload) : '';
  const password = (requestBody as { password?: unknown } | undefined)?.password;
  const knownPassword = typeof password === 'string' && password.length >= 8 ? password : undefined;
  if (knownPassword && statusCode < 300)
    appendFileSync(workerFile('passwords'), `${JSON.stringify(knownPassword)}\n`);
  const leaks = [HASH_MARKER, '"passwordHash"', ...(knownPassword ? [knownPassword] : [])].filter(
    (s) => body.includes(s),
  );
  if (leaks.length > 0) {
    appendFileSync(
      workerFile('violations'),
      `${request.method} ${request.url} -> ${statusCode} leaks ${leaks.join(', ')}\n`,
    );
  }
}

/** For the global teardown: every leak found in responses and logs of the run. */
export function findLeaks(): { problems: string[]; logBytes: number; passwords: number } {
  const problems: string[] = [];
  const passwords = new Set<string>();
  for (const file of readdirSync(secretsDir())) {
    const lines = readFileSync(join(secretsDir(), file), 'utf8').split('\n').filter(Boolean);
    if (file.startsWith('violations')) problems.push(...lines.map((line) => `response: ${line}`));
    if (file.startsWith('passwords'))
      lines.forEach((line) => passwords.add(JSON.parse(line) as string));
  }
  let logBytes = 0;
  for (const file of readdirSync(logsDir())) {
    const log = readFileSync(join(logsDir(), file), 'utf8');
    logBytes += log.length;
    if (log.includes(HASH_MARKER)) problems.push(`log ${file}: contains a password hash`);
    for (const password of passwords) {
      if (log.includes(password))
        problems.push(`log ${file}: contains the password ${JSON.stringify(password)}`);
    }
  }
  return { problems, logBytes, passwords: passwords.size };
}
