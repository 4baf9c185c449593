import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * The MongoDB server the content suite runs against: `TEST_MONGODB_URI` (for example
 * `mongodb://127.0.0.1:27017`). Each suite file uses a database of its own, named like the
 * relational test databases and dropped afterwards. When it is unset, the server-backed suite
 * is reported as skipped; nothing ever downloads or starts a server.
 */
export const TEST_MONGODB_URI = process.env.TEST_MONGODB_URI || undefined;

/** The URI with its database name replaced (hosts, credentials and options kept). */
export function withDatabaseName(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a mongodb:// URI: ${uri}`);
  return `${match[1]}/${name}${match[2] ?? ''}`;
}

export function freshTestMongoUri(): string {
  if (!TEST_MONGODB_URI) throw new Error('TEST_MONGODB_URI is not set');
  return withDatabaseName(
    TEST_MONGODB_URI,
    `blog_test_${process.pid}_${randomBytes(4).toString('hex')}`,
  );
}

/** A MongoDB URI on a local port nothing listens on: the content module mounts, MongoDB is down. */
export async function unreachableMongoUri(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `mongodb://127.0.0.1:${port}/blog_unreachable`;
}

const SKIP_REASON = 'TEST_MONGODB_URI is not set (a mongodb:// URI of a server tests may use)';

/** One line for the start of an e2e run (global setup): where the content suite runs, or why not. */
export function mongoTargetLine(): string {
  return TEST_MONGODB_URI
    ? `content suite runs against MongoDB: ${TEST_MONGODB_URI.replace(/\/\/[^@/]*@/, '//***@')}`
    : `content suite against MongoDB (test/content.e2e-spec.ts) is skipped: ${SKIP_REASON}`;
}

/**
 * `describe` when a test MongoDB is configured, otherwise `describe.skip` with the reason
 * printed and carried in the suite's name, so the report says why it did not run. (Jest does not
 * show the console output of a file whose tests were all skipped when it runs several files,
 * hence also `mongoTargetLine()` in the global setup.)
 */
export function describeWithMongo(name: string, suite: () => void): void {
  if (TEST_MONGODB_URI) {
    describe(name, suite);
    return;
  }
  console.log(`skipping "${name}": ${SKIP_REASON}`);
  describe.skip(`${name} [skipped: ${SKIP_REASON}]`, suite);
}
