import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  checkMigrations,
  loadMigrationFile,
  MigrationFile,
  readBaseline,
  RULES,
} from '../migration-safety-check';

const ROOT = join(__dirname, '..', '..', '..');
const MIGRATIONS_DIR = join(ROOT, 'migrations');
const BASELINE_FILE = join(MIGRATIONS_DIR, 'safety-check-baseline.txt');

/**
 * `npm run migration:check [-- <migration file>...]`: judges the project's migrations added after
 * the baseline, and any files given as if they had been added after them. Exit code 1 and one
 * line per problem when a migration would lock or break a table the running app uses.
 */
async function main(): Promise<number> {
  const baseline = readBaseline(BASELINE_FILE);
  const project = readdirSync(MIGRATIONS_DIR)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .flatMap((file) => loadMigrationFile(join(MIGRATIONS_DIR, file)));
  const added = process.argv.slice(2).flatMap((file) => loadMigrationFile(resolve(file)));

  const landed = project.filter((migration) => migration.timestamp <= baseline);
  const candidates = [...project.filter((migration) => migration.timestamp > baseline), ...added];
  console.log(
    `migration safety check: ${candidates.length} migration(s) after the baseline ${baseline} ` +
      `(${relative(ROOT, BASELINE_FILE)}), with PostgreSQL and MariaDB statements`,
  );

  const findings = await checkMigrations(landed, candidates);
  for (const migration of candidates) {
    const own = findings.filter((finding) => finding.migration === migration.name);
    console.log(`  ${own.length ? 'FAIL' : 'ok  '}  ${migration.name} (${where(migration)})`);
    for (const finding of own) console.log(`        ${finding.rule}: ${finding.message}`);
  }
  if (findings.length === 0) return 0;

  const broken = new Set(findings.map((finding) => finding.rule));
  console.log(`\n${findings.length} problem(s). The rules broken:`);
  for (const rule of broken) console.log(`  ${rule}: ${RULES[rule]}`);
  console.log(
    'A deliberate exception goes in the migration file, with its reason:\n' +
      '  // migration-safety-check: allow <rule>: <why it is safe here>',
  );
  return 1;
}

function where(migration: MigrationFile): string {
  return relative(ROOT, migration.file);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`migration safety check failed to run: ${error.message}`);
    process.exit(2);
  },
);
