// First: `.env` must be in process.env before the entity imports below declare the entities.
import '../config/load-env';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { EnvironmentVariables, validateEnvironment } from '../config/environment';
import { buildDataSourceOptions } from '../database/data-source-options';
import { Tag } from '../tags/tag.entity';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { generateContents, writeContents } from './content-seeder';
import { ADMIN_EMAIL, ADMIN_USERNAME, generateRelationalData } from './demo-data';
import { rowProgress } from './progress';
import { SeededRandom } from './random';
import { isRelationalStoreEmpty, writeRelationalData } from './relational-seeder';
import { parseSeedOptions, SEED_USAGE, SeedOptions, SeedUsageError } from './seed-options';

/** Authors and tags the content documents pick from when the relational data was already there. */
const CONTENT_AUTHORS_LIMIT = 1000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Where the URL's password, if any, is hidden: the summary may end up in CI logs. */
function describeUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Timestamps end at the start of the current UTC day: one seed value, one data set per day. */
function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

async function seedRelational(
  dataSource: DataSource,
  options: SeedOptions,
  now: Date,
): Promise<boolean> {
  if (!options.reset && !(await isRelationalStoreEmpty(dataSource))) {
    console.log(
      'relational: the database already has users or tags, nothing written ' +
        '(--reset replaces everything with demo data)',
    );
    return false;
  }
  const started = performance.now();
  // Two argon2 hashes, not one per user: the demo users share a password.
  const hasher = new PasswordHasher();
  const [admin, users] = await Promise.all([
    hasher.hash(options.adminPassword),
    hasher.hash(options.userPassword),
  ]);
  const data = generateRelationalData(
    options,
    new SeededRandom(options.seedValue),
    { admin, users },
    now,
  );
  const generated = performance.now();
  if (options.reset) console.log('relational: --reset deletes every user, post, tag and comment');
  const timings = await writeRelationalData(dataSource, data, {
    reset: options.reset,
    progress: rowProgress(),
  });
  for (const { table, rows, ms } of timings) {
    console.log(`  ${table.padEnd(9)} ${String(rows).padStart(8)} rows  ${seconds(ms)}`);
  }
  const finished = performance.now();
  console.log(
    `relational: written in ${seconds(finished - generated)} (one transaction; ` +
      `hashing and generating took ${seconds(generated - started)}); ` +
      `--seed-value ${options.seedValue} reproduces this data set`,
  );
  return true;
}

async function seedContent(
  dataSource: DataSource,
  env: EnvironmentVariables,
  options: SeedOptions,
  now: Date,
): Promise<void> {
  if (!env.MONGODB_URI) {
    console.log('content: MONGODB_URI is not set, no content documents');
    return;
  }
  const started = performance.now();
  const authors = await dataSource.getRepository(User).find({
    select: { id: true },
    order: { createdAt: 'ASC', id: 'ASC' },
    take: CONTENT_AUTHORS_LIMIT,
  });
  const tags = await dataSource.getRepository(Tag).find({ select: { name: true } });
  const count = await writeContents(
    { uri: env.MONGODB_URI, serverSelectionTimeoutMs: env.MONGODB_SERVER_SELECTION_TIMEOUT_MS },
    () =>
      generateContents(
        options.contents,
        authors.map((user) => user.id),
        tags.map((tag) => tag.name).sort(),
        new SeededRandom(`${options.seedValue}:contents`),
        now,
      ),
    options.reset,
  );
  console.log(
    count === undefined
      ? 'content: the contents collection already has documents, nothing written'
      : `content: ${count} documents in ${seconds(performance.now() - started)}`,
  );
}

async function main(argv: string[]): Promise<number> {
  const options = parseSeedOptions(argv);
  if (options.help) {
    console.log(SEED_USAGE);
    return 0;
  }
  const env = validateEnvironment(process.env);
  if (env.NODE_ENV === 'production' && !options.allowProduction) {
    throw new SeedUsageError('NODE_ENV=production: demo data only with --allow-production');
  }

  const dataSource = new DataSource(
    buildDataSourceOptions({
      url: env.DATABASE_URL,
      poolSize: 2,
      logging: env.DB_LOGGING,
      // Multi-row INSERTs of thousands of rows are expected to take a while.
      slowQueryMs: 60_000,
      acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: 3_600_000,
    }),
  );
  await dataSource.initialize();
  try {
    const started = performance.now();
    console.log(`seeding ${describeUrl(env.DATABASE_URL)}`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) console.log(`applied ${applied.length} pending migration(s)`);

    const now = startOfUtcDay(new Date());
    const seeded = await seedRelational(dataSource, options, now);
    if (options.contents > 0) await seedContent(dataSource, env, options, now);
    console.log(`done in ${seconds(performance.now() - started)}`);
    if (seeded) {
      console.log(
        `\nadmin:      ${ADMIN_USERNAME} (${ADMIN_EMAIL}), password ${options.adminPassword}\n` +
          `demo users: any other username, password ${options.userPassword}`,
      );
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SeedUsageError) {
      console.error(`${error.message}\n\n${SEED_USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
