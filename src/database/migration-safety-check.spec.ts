import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  checkMigrations,
  loadMigrationFile,
  MigrationFile,
  readBaseline,
  Rule,
  RULES,
} from './migration-safety-check';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'migrations');

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

const projectMigrations = filesIn(join(ROOT, 'migrations')).flatMap(loadMigrationFile);
const baseline = readBaseline(join(ROOT, 'migrations', 'safety-check-baseline.txt'));
const landed = projectMigrations.filter((migration) => migration.timestamp <= baseline);
const checkedProjectMigrations = projectMigrations.filter((m) => m.timestamp > baseline);

const UNSAFE_FIXTURES: [file: string, rule: Rule][] = [
  ['1800000000101-PlainIndexOnPosts.ts', 'plain-index-on-existing-table'],
  ['1800000000102-PlainIndexInSql.ts', 'plain-index-on-existing-table'],
  ['1800000000103-RequiredColumnWithoutDefault.ts', 'not-null-without-default'],
  ['1800000000104-RenameColumn.ts', 'rename-or-type-change'],
  ['1800000000105-ChangeColumnType.ts', 'rename-or-type-change'],
  ['1800000000106-NoDown.ts', 'missing-down'],
  ['1800000000107-DownUndoesNothing.ts', 'missing-down'],
  ['1800000000108-NoLockTimeout.ts', 'no-lock-timeout'],
];

/** The rules `files` break when added after every project migration, each listed once. */
async function rulesBrokenBy(...files: string[]): Promise<Rule[]> {
  const candidates = files.flatMap((file) => loadMigrationFile(join(FIXTURES, file)));
  const findings = await checkMigrations(projectMigrations, candidates);
  return [...new Set(findings.map((finding) => finding.rule))];
}

describe('migration safety check', () => {
  it('passes the project migrations added after the baseline', async () => {
    expect(checkedProjectMigrations.length).toBeGreaterThan(0);
    expect(await checkMigrations(landed, checkedProjectMigrations)).toEqual([]);
  });

  it('would have stopped the plain index builds that landed before it', async () => {
    const byName = (name: string) => projectMigrations.filter((m) => m.name.startsWith(name));
    const before = (m: MigrationFile) => landed.filter((other) => other.timestamp < m.timestamp);
    const [publishedIndex] = byName('AddPostsPublishedIndex');
    const findings = await checkMigrations(before(publishedIndex), [publishedIndex]);
    expect(findings.map((finding) => finding.rule)).toContain('plain-index-on-existing-table');
  });

  describe('fails each unsafe fixture with its rule, and only that rule', () => {
    it.each(UNSAFE_FIXTURES)('%s: %s', async (fixture, rule) => {
      expect(await rulesBrokenBy(join('unsafe', fixture))).toEqual([rule]);
    });

    it('has a fixture for every rule, and every fixture in the table above', () => {
      const judgedRules = Object.keys(RULES).filter((rule) => rule !== 'fails-to-run');
      expect(new Set(UNSAFE_FIXTURES.map(([, rule]) => rule))).toEqual(new Set(judgedRules));
      const files = readdirSync(join(FIXTURES, 'unsafe'));
      expect(files.sort()).toEqual(UNSAFE_FIXTURES.map(([fixture]) => fixture).sort());
    });
  });

  it('passes the three expand/contract steps of README', async () => {
    const steps = filesIn(join(FIXTURES, 'expand-contract')).map((file) =>
      file.slice(FIXTURES.length + 1),
    );
    expect(steps).toHaveLength(3);
    expect(await rulesBrokenBy(...steps)).toEqual([]);
  });

  it('lets a migration allow a rule with a reason written in its file', async () => {
    expect(await rulesBrokenBy('allowed/1800000000201-SmallTableIndex.ts')).toEqual([]);
  });

  it('refuses an allow comment without a reason', async () => {
    await expect(rulesBrokenBy('allowed/1800000000202-AllowedWithoutReason.ts')).rejects.toThrow(
      'the allow comment for plain-index-on-existing-table must say why it is safe',
    );
  });

  it('reports a migration whose up throws, e.g. CONCURRENTLY inside a transaction', async () => {
    const [index] = checkedProjectMigrations.filter((m) =>
      m.name.startsWith('AddPostsPublishedAt'),
    );
    const inTransaction = {
      ...index,
      migration: Object.assign(Object.create(index.migration), { transaction: undefined }),
    };
    const findings = await checkMigrations(
      projectMigrations.filter((m) => m !== index),
      [inTransaction],
    );
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'fails-to-run',
        message: expect.stringContaining('cannot run inside a transaction'),
      }),
    ]);
  });
});

describe('npm run migration:check', () => {
  const run = promisify(execFile);
  const check = (...files: string[]) =>
    run('npx', ['ts-node', '-T', 'src/database/cli/check-migrations.ts', ...files], {
      cwd: ROOT,
      timeout: 60_000,
    });

  it('exits 0 on the project migrations', async () => {
    const { stdout } = await check();
    expect(stdout).toMatch(/^ {2}ok {4}AddPostsPublishedAtIndex1764288000000 /m);
  }, 60_000);

  it('exits 1 naming the migration, the rule and the way out', async () => {
    await expect(
      check(join(FIXTURES, 'unsafe', '1800000000103-RequiredColumnWithoutDefault.ts')),
    ).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining(
        '  FAIL  RequiredColumnWithoutDefault1800000000103 (test/fixtures/migrations/unsafe/' +
          '1800000000103-RequiredColumnWithoutDefault.ts)\n' +
          '        not-null-without-default: adds posts.summary NOT NULL without a default to an ' +
          'existing table: add it nullable, backfill in batches, then make it NOT NULL',
      ),
    });
  }, 60_000);
});
