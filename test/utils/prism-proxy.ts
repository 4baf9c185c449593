import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR } from './secrets-watch';

/**
 * With TEST_THROUGH_PRISM=true, every test app is reached through Stoplight Prism's validation
 * proxy (`prism proxy <document> <app>`), given the OpenAPI document that app serves: Prism
 * checks each request and each response against the document and reports what does not match.
 * The suites send bad requests on purpose, so request violations are only counted; a response
 * violation means the document says something the server does not do, and fails the suite.
 */
export const THROUGH_PRISM = process.env.TEST_THROUGH_PRISM === 'true';

const PRISM_BIN = join(__dirname, '..', '..', 'node_modules', '.bin', 'prism');
const REPORTS_DIR = join(ARTIFACTS_DIR, 'prism');
const READY_TIMEOUT_MS = 30_000;

export interface PrismReport {
  requests: number;
  requestViolations: number;
  responseViolations: string[];
  /** Prism's log, kept when it found response violations. */
  logFile?: string;
}

export interface PrismProxy {
  url: string;
  /** Stops Prism and returns what it saw; also recorded for the run's summary. */
  stop(): Promise<PrismReport>;
}

/** Prism's log lines (`[VALIDATOR] ✖ error Violation: response.body ...`), read as it prints them. */
function readReport(log: string): PrismReport {
  const lines = log.split('\n');
  const violations = lines.filter((line) => /\[VALIDATOR\].*Violation: /.test(line));
  return {
    requests: lines.filter((line) => /\[HTTP SERVER\].*Request received/.test(line)).length,
    requestViolations: violations.filter((line) => /Violation: request/.test(line)).length,
    responseViolations: violations
      .filter((line) => /Violation: response/.test(line))
      .map((line) => line.replace(/^.*Violation: /, '')),
  };
}

export async function startPrismProxy(document: object, upstream: string): Promise<PrismProxy> {
  mkdirSync(REPORTS_DIR, { recursive: true });
  const documentFile = join(
    REPORTS_DIR,
    `openapi-${process.pid}-${randomBytes(4).toString('hex')}.json`,
  );
  writeFileSync(documentFile, JSON.stringify(document));
  const prism: ChildProcess = spawn(
    PRISM_BIN,
    ['proxy', documentFile, upstream, '--port', '0', '--host', '127.0.0.1', '--errors', 'false'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  prism.stdout!.on('data', (chunk) => (log += chunk));
  prism.stderr!.on('data', (chunk) => (log += chunk));
  const exited = new Promise<void>((resolve) => prism.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`Prism did not start:\n${log}`)),
      READY_TIMEOUT_MS,
    );
    const poll = setInterval(() => {
      const listening = /Prism is listening on (http:\/\/[\d.]+:\d+)/.exec(log);
      if (listening || prism.exitCode !== null) {
        clearInterval(poll);
        clearTimeout(deadline);
        if (listening) resolve(listening[1]);
        else reject(new Error(`Prism exited:\n${log}`));
      }
    }, 50);
  });

  return {
    url,
    stop: async () => {
      prism.kill('SIGTERM');
      await exited;
      rmSync(documentFile, { force: true });
      const report = readReport(log);
      // Prism's own log, kept where the violations can be read in context.
      if (report.responseViolations.length > 0) {
        report.logFile = documentFile.replace(/\.json$/, '.log');
        writeFileSync(report.logFile, log);
      }
      appendFileSync(
        join(REPORTS_DIR, `report-${process.env.SECRETS_WATCH_RUN}.jsonl`),
        `${JSON.stringify(report)}\n`,
      );
      return report;
    },
  };
}

/** The whole run's reports (global teardown): requests checked and violations, summed. */
export function prismRunSummary(): PrismReport | undefined {
  const file = `report-${process.env.SECRETS_WATCH_RUN}.jsonl`;
  let files: string[];
  try {
    files = readdirSync(REPORTS_DIR).filter((name) => name === file);
  } catch {
    return undefined;
  }
  if (files.length === 0) return undefined;
  const reports = readFileSync(join(REPORTS_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PrismReport);
  rmSync(join(REPORTS_DIR, file), { force: true });
  return reports.reduce(
    (sum, report) => ({
      requests: sum.requests + report.requests,
      requestViolations: sum.requestViolations + report.requestViolations,
      responseViolations: [...sum.responseViolations, ...report.responseViolations],
    }),
    { requests: 0, requestViolations: 0, responseViolations: [] },
  );
}
