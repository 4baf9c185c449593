import cliDataSource from '../../ormconfig';

/**
 * The migration CLI's own DataSource (ormconfig.ts), for tests that run `typeorm migration:run`
 * as an operator does but on a chosen list of migrations: TEST_MIGRATION_FILES, comma-separated
 * paths (e.g. the project's migrations up to one, or plus a fixture of test/fixtures/migrations).
 */
export default cliDataSource.then((dataSource) => {
  const files = process.env.TEST_MIGRATION_FILES;
  if (!files) throw new Error('TEST_MIGRATION_FILES must list the migration files to load');
  return dataSource.setOptions({ migrations: files.split(',') });
});
