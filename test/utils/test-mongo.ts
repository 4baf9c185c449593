import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import {
  mongoEmulatorInstalled,
  RunningMongoEmulator,
  startMongoEmulator,
  stopMongoEmulator,
} from './mongo-emulator';

/**
 * Where the server-backed content suites run, decided once per run by the global setup and
 * published to the workers through the environment:
 * - `TEST_MONGODB_URI` set (e.g. `mongodb://127.0.0.1:27017`): that server, every test a normal test;
 * - otherwise the MongoDB emulator of test/mongo-emulator, started for the run on a free port
 *   (`TEST_MONGODB_EMULATOR_URI`, `TEST_MONGODB_EMULATOR`), where the tests of behaviours it
 *   lacks are marked with `emulatorGap`;
 * - otherwise, off CI, the suites are skipped with the reason (`TEST_MONGODB_SKIP_REASON`).
 *   On CI (`CI=true`) a missing or broken emulator fails the run instead.
 * Each suite file uses a database of its own, named like the relational test databases and
 * dropped afterwards. Nothing ever downloads a server.
 */
export const TEST_MONGODB_URI = process.env.TEST_MONGODB_URI || undefined;

function testMongoServerUri(): string | undefined {
  return TEST_MONGODB_URI ?? process.env.TEST_MONGODB_EMULATOR_URI;
}

/** True when the suites run on the emulator rather than on a real MongoDB. */
function onMongoEmulator(): boolean {
  return !TEST_MONGODB_URI && Boolean(process.env.TEST_MONGODB_EMULATOR_URI);
}

/** The URI with its database name replaced (hosts, credentials and options kept). */
export function withDatabaseName(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a mongodb:// URI: ${uri}`);
  return `${match[1]}/${name}${match[2] ?? ''}`;
}

export function freshTestMongoUri(): string {
  const uri = testMongoServerUri();
  if (!uri) throw new Error('no test MongoDB: TEST_MONGODB_URI is unset and no emulator runs');
  return withDatabaseName(uri, `blog_test_${process.pid}_${randomBytes(4).toString('hex')}`);
}

/** A MongoDB URI on a local port nothing listens on: the content module mounts, MongoDB is down. */
export async function unreachableMongoUri(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `mongodb://127.0.0.1:${port}/blog_unreachable`;
}

const MONGO_SUITES =
  'test/content.e2e-spec.ts, test/content-service.e2e-spec.ts, test/seed.e2e-spec.ts';

// The global setup and teardown run in the same process, as different modules.
const thisRun = globalThis as { testMongoEmulator?: RunningMongoEmulator };

/**
 * Decides the target for the run (global setup), starting the emulator if that is the target,
 * and returns the line to print. Throws on CI when the emulator is missing or does not start.
 */
export async function setUpTestMongo(): Promise<string> {
  delete process.env.TEST_MONGODB_EMULATOR_URI;
  delete process.env.TEST_MONGODB_EMULATOR;
  delete process.env.TEST_MONGODB_SKIP_REASON;
  if (TEST_MONGODB_URI) {
    return `content suites run against MongoDB: ${TEST_MONGODB_URI.replace(/\/\/[^@/]*@/, '//***@')}`;
  }
  const onCi = process.env.CI === 'true';
  let unavailable: string;
  if (!mongoEmulatorInstalled()) {
    unavailable =
      'TEST_MONGODB_URI is not set and the MongoDB emulator is not installed ' +
      '(npm run test:mongo-emulator:install)';
  } else {
    try {
      const emulator = await startMongoEmulator();
      process.env.TEST_MONGODB_EMULATOR_URI = emulator.uri;
      process.env.TEST_MONGODB_EMULATOR = emulator.name;
      thisRun.testMongoEmulator = emulator;
      return (
        `content suites run against a MongoDB EMULATOR, not a real MongoDB: ${emulator.name} ` +
        `at ${emulator.uri}; tests titled "[emulator gap: …]" are expected to fail on it ` +
        '(TEST_MONGODB_URI=mongodb://… runs them all on a real server)'
      );
    } catch (error) {
      unavailable = `TEST_MONGODB_URI is not set and ${(error as Error).message}`;
    }
  }
  if (onCi) throw new Error(`CI=true and the content suites cannot run: ${unavailable}`);
  process.env.TEST_MONGODB_SKIP_REASON = unavailable;
  return `content suites against MongoDB (${MONGO_SUITES}) are skipped: ${unavailable}`;
}

/** Stops the emulator `setUpTestMongo` started, if it did (global teardown). */
export async function tearDownTestMongo(): Promise<void> {
  const emulator = thisRun.testMongoEmulator;
  thisRun.testMongoEmulator = undefined;
  if (emulator) await stopMongoEmulator(emulator);
}

/**
 * `describe` when a test MongoDB is available (its name saying so when it is the emulator),
 * otherwise `describe.skip` with the reason printed and carried in the suite's name, so the
 * report says why it did not run. (Jest does not show the console output of a file whose tests
 * were all skipped when it runs several files, hence also the line of `setUpTestMongo()` in the
 * global setup.)
 */
export function describeWithMongo(name: string, suite: () => void): void {
  if (onMongoEmulator()) {
    // Every report line of these tests says so; .ci/run counts them by this mark.
    describe(`${name} [on the MongoDB emulator ${process.env.TEST_MONGODB_EMULATOR}]`, suite);
    return;
  }
  if (testMongoServerUri()) {
    describe(name, suite);
    return;
  }
  const reason =
    process.env.TEST_MONGODB_SKIP_REASON ??
    'TEST_MONGODB_URI is not set (run through the e2e project, whose global setup starts the emulator)';
  console.log(`skipping "${name}": ${reason}`);
  describe.skip(`${name} [skipped: ${reason}]`, suite);
}

/** What the emulator lacks, each named once; the README lists the tests marked with them. */
export const EMULATOR_GAPS = {
  textSearch: 'no $text query operator',
  textIndexListing: 'listIndexes shows a text index by its fields, without weights',
} as const;

export type EmulatorGap = (typeof EMULATOR_GAPS)[keyof typeof EMULATOR_GAPS];

/**
 * A test of a behaviour the emulator lacks: a normal test on a real MongoDB; on the emulator
 * `test.failing`, so the run stays green while the gap is there and goes red once an emulator
 * release closes it. The gap is named in the title, which is how the CI summary counts them.
 */
export function emulatorGap(
  gap: EmulatorGap,
  title: string,
  fn: () => Promise<unknown>,
  timeout?: number,
): void {
  if (onMongoEmulator()) test.failing(`${title} [emulator gap: ${gap}]`, fn, timeout);
  else it(title, fn, timeout);
}
