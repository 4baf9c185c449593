import { logFileForThisWorker } from './secrets-watch';

// Runs before each e2e file's imports: the variables every test app shares.
process.env.NODE_ENV = 'test';
// The entities are declared for DATABASE_URL's dialect when a test file imports them (see
// src/database/dialect.ts): that of the databases under test. Each app and DataSource still gets
// the URL of its own database (test-database.ts).
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL || 'sqlite::memory:';
process.env.JWT_SECRET ??= 'test-secret-that-is-long-enough-for-hs256-signing';
// Everything the apps log, SQL included, goes to a file per worker that the global teardown
// searches for leaked passwords and hashes (see secrets-watch.ts).
process.env.LOG_LEVEL = 'debug';
process.env.DB_LOGGING = 'true';
process.env.LOG_FILE = logFileForThisWorker();
// Tests raise the login limit (never disable it); the rate-limit test sets its own low value.
process.env.LOGIN_RATE_LIMIT = '10000';
process.env.WRITE_RATE_LIMIT = '100000';
