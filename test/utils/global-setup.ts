import { resetSecretsWatch } from './secrets-watch';
import { TEST_DATABASE_URL, TEST_DIALECT } from './test-database';
import { setUpTestMongo } from './test-mongo';
import { checkRedisReachable } from './test-redis';

export default async function globalSetup(): Promise<void> {
  const where =
    TEST_DIALECT === 'sqlite' ? 'SQLite (a temporary file per suite)' : TEST_DATABASE_URL;
  const platform = process.env.HTTP_PLATFORM || 'express';
  console.log(`\ne2e suites run on ${platform} against ${TEST_DIALECT}: ${where}`);
  console.log(await setUpTestMongo());
  console.log(await checkRedisReachable());
  resetSecretsWatch();
}
