import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NextFunction, Request, Response } from 'express';

/**
 * Watches a whole e2e run for leaked secrets. Every test app logs (JSON, debug level, SQL
 * included) to a file per worker, records the passwords of requests that succeeded, and checks
 * each response body; the global teardown then searches every log for those passwords and for
 * password hashes.
 */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts');
export const LOGS_DIR = join(ARTIFACTS_DIR, 'logs');
const SECRETS_DIR = join(ARTIFACTS_DIR, 'secrets');
const HASH_MARKER = '$argon2';

function workerFile(prefix: string): string {
  return join(SECRETS_DIR, `${prefix}-${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}.txt`);
}

export function resetSecretsWatch(): void {
  for (const dir of [LOGS_DIR, SECRETS_DIR]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
}

export function logFileForThisWorker(): string {
  return join(LOGS_DIR, `e2e-worker-${process.env.JEST_WORKER_ID ?? '0'}.log`);
}

/** Express middleware for test apps: records used passwords and checks every response body. */
export function watchSecrets(req: Request, res: Response, next: NextFunction): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const keep = (chunk: unknown) => {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) chunks.push(Buffer.from(chunk));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => (
    keep(chunk),
    write(chunk, ...rest)
  )) as Response['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => (
    keep(chunk),
    end(chunk, ...rest)
  )) as Response['end'];
  res.on('finish', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const password = (req.body as { password?: unknown } | undefined)?.password;
    const knownPassword =
      typeof password === 'string' && password.length >= 8 ? password : undefined;
    if (knownPassword && res.statusCode < 300)
      appendFileSync(workerFile('passwords'), `${JSON.stringify(knownPassword)}\n`);
    const leaks = [HASH_MARKER, '"passwordHash"', ...(knownPassword ? [knownPassword] : [])].filter(
      (s) => body.includes(s),
    );
    if (leaks.length > 0) {
      appendFileSync(
        workerFile('violations'),
        `${req.method} ${req.originalUrl} -> ${res.statusCode} leaks ${leaks.join(', ')}\n`,
      );
    }
  });
  next();
}

/** For the global teardown: every leak found in responses and logs of the run. */
export function findLeaks(): { problems: string[]; logBytes: number; passwords: number } {
  const problems: string[] = [];
  const passwords = new Set<string>();
  for (const file of readdirSync(SECRETS_DIR)) {
    const lines = readFileSync(join(SECRETS_DIR, file), 'utf8').split('\n').filter(Boolean);
    if (file.startsWith('violations')) problems.push(...lines.map((line) => `response: ${line}`));
    if (file.startsWith('passwords'))
      lines.forEach((line) => passwords.add(JSON.parse(line) as string));
  }
  let logBytes = 0;
  for (const file of readdirSync(LOGS_DIR)) {
    const log = readFileSync(join(LOGS_DIR, file), 'utf8');
    logBytes += log.length;
    if (log.includes(HASH_MARKER)) problems.push(`log ${file}: contains a password hash`);
    for (const password of passwords) {
      if (log.includes(password))
        problems.push(`log ${file}: contains the password ${JSON.stringify(password)}`);
    }
  }
  return { problems, logBytes, passwords: passwords.size };
}
