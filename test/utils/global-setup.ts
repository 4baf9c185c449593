import { resetSecretsWatch } from './secrets-watch';
import { TEST_DATABASE_URL, TEST_DIALECT } from './test-database';
import { mongoTargetLine } from './test-mongo';

export default function globalSetup(): void {
  const where =
    TEST_DIALECT === 'sqlite' ? 'SQLite (a temporary file per suite)' : TEST_DATABASE_URL;
  console.log(`\ne2e suites run against ${TEST_DIALECT}: ${where}`);
  console.log(mongoTargetLine());
  resetSecretsWatch();
}
