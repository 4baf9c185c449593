import { readFileSync } from 'node:fs';
import { DataSource, MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * The migration safety check (`npm run migration:check`, README "Migrations under traffic"): the
 * migrations added after a recorded baseline must not lock or break a table the running app uses.
 *
 * It does not parse TypeScript. It runs each migration's `up` and `down` against a recording
 * QueryRunner with PostgreSQL's and then MariaDB's driver, no database behind it: column builders
 * and helpers are evaluated as they would be, their calls (createIndex, addColumn, ...) and raw
 * SQL are recorded, and a model of the tables built by the earlier migrations says which tables
 * already exist (and so may hold rows and serve traffic) and what their columns were.
 *
 * A deliberate exception is written in the migration's file, with its reason:
 *   // migration-safety-check: allow <rule>: <why it is safe here>
 */
export const RULES = {
  'plain-index-on-existing-table':
    'an index built on an existing table without createIndexOnline (PostgreSQL: a plain CREATE ' +
    'INDEX blocks every write to the table for the whole build)',
  'not-null-without-default':
    'a NOT NULL column without a default added to an existing table (its rows have no value)',
  'rename-or-type-change':
    'a column or table renamed, or a column type changed, in place (the running app still uses ' +
    'the old shape)',
  'missing-down': 'no `down`, or a `down` that does not undo the schema changes of `up`',
  'no-lock-timeout':
    'DDL on an existing table without a lock timeout (waiting behind a long transaction, it ' +
    'queues every request on the table)',
  'fails-to-run': '`up` or `down` throws when run (with PostgreSQL or MariaDB statements)',
} as const;

export type Rule = keyof typeof RULES;

export interface Finding {
  migration: string;
  rule: Rule;
  message: string;
}

export interface MigrationFile {
  file: string;
  name: string;
  timestamp: number;
  migration: MigrationInterface & { transaction?: boolean };
}

const FLAVOURS = ['postgres', 'mariadb'] as const;
type Flavour = (typeof FLAVOURS)[number];

const ADVICE: Record<Rule, string> = {
  'plain-index-on-existing-table':
    'use createIndexOnline(queryRunner, table, { name, columnNames }) from src/database/online-migrations.ts, with `transaction = false`',
  'not-null-without-default':
    'add it nullable, backfill in batches, then make it NOT NULL, as three migrations (README, expand/contract)',
  'rename-or-type-change':
    'add the new column, backfill it, move the app to it, then drop the old one (README, expand/contract)',
  'missing-down': 'write a `down` that undoes `up` (migration:revert runs it)',
  'no-lock-timeout':
    'wrap the change in withLockTimeout(queryRunner, () => ...) from src/database/online-migrations.ts',
  'fails-to-run': 'fix the migration',
};

/** The timestamp recorded in the baseline file: migrations up to it are not checked. */
export function readBaseline(file: string): number {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text !== '' && !text.startsWith('#'));
  if (!line || !/^\d{13}$/.test(line)) {
    throw new Error(`${file} must hold the 13-digit timestamp of the last unchecked migration`);
  }
  return Number(line);
}

/** The migration classes a file exports, as TypeORM finds them (timestamp: last 13 digits). */
export function loadMigrationFile(file: string): MigrationFile[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as Record<string, unknown>;
  return Object.values(exported)
    .filter((value): value is new () => MigrationInterface => {
      return typeof value === 'function' && typeof value.prototype?.up === 'function';
    })
    .map((migrationClass) => {
      const migration = new migrationClass();
      const name = migration.name ?? migrationClass.name;
      const timestamp = Number(name.match(/\d{13}$/)?.[0]);
      if (!timestamp) throw new Error(`${file}: ${name} does not end in a 13-digit timestamp`);
      return { file, name, timestamp, migration };
    });
}

/**
 * Checks `candidates` as if added after `existing` (in timestamp order): `existing` only build the
 * table model, `candidates` are judged. Answers every finding; none means safe to land.
 */
export async function checkMigrations(
  existing: MigrationFile[],
  candidates: MigrationFile[],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const flavour of FLAVOURS) {
    const connection =
      flavour === 'postgres'
        ? new DataSource({ type: 'postgres' })
        : new DataSource({ type: 'mariadb' });
    const tables = new Map<string, Table>();
    for (const { migration, name } of [...existing].sort(byTimestamp)) {
      const recorder = new RecordingQueryRunner(connection, tables, migration.transaction);
      await migration.up(recorder.asQueryRunner()).catch((error: Error) => {
        throw new Error(`${name} fails on the ${flavour} model: ${error.message}`);
      });
    }
    for (const candidate of [...candidates].sort(byTimestamp)) {
      findings.push(...(await judge(candidate, flavour, connection, tables)));
    }
  }
  return unique(findings);
}

async function judge(
  { file, name, migration }: MigrationFile,
  flavour: Flavour,
  connection: DataSource,
  tables: Map<string, Table>,
): Promise<Finding[]> {
  const allowed = allowedRules(file);
  const findings: Finding[] = [];
  const report = (rule: Rule, message: string) => {
    if (!allowed.has(rule)) {
      findings.push({ migration: name, rule, message: `${message}: ${ADVICE[rule]}` });
    }
  };
  const before = new Set(tables.keys());

  const up = new RecordingQueryRunner(connection, tables, migration.transaction, before);
  try {
    await migration.up(up.asQueryRunner());
  } catch (error) {
    report('fails-to-run', `up fails with ${flavour} statements: ${(error as Error).message}`);
    return findings;
  }
  for (const { rule, message } of up.violations) report(rule, message);

  if (typeof migration.down !== 'function') {
    report('missing-down', 'no down method');
    return findings;
  }
  const afterUp = cloneTables(tables);
  const down = new RecordingQueryRunner(connection, afterUp, migration.transaction, before);
  try {
    await migration.down(down.asQueryRunner());
  } catch (error) {
    report('fails-to-run', `down fails with ${flavour} statements: ${(error as Error).message}`);
    return findings;
  }
  for (const { rule, message } of down.violations) report(rule, `down ${message}`);
  if (flavour === 'postgres' && up.schemaChanges > 0 && down.schemaChanges === 0) {
    report('missing-down', 'up changes the schema, down changes nothing');
  }
  return findings;
}

interface Violation {
  rule: Rule;
  message: string;
}

type TableArgument = Table | string;
type ColumnArgument = TableColumn | string;

/**
 * Stands in for TypeORM's QueryRunner in a migration: keeps the table model up to date and
 * records what the rules judge. A QueryRunner method it does not know fails the check by name
 * rather than being skipped.
 */
class RecordingQueryRunner {
  readonly violations: Violation[] = [];
  schemaChanges = 0;
  private transactionDepth: number;
  private lockTimeoutSet = false;

  constructor(
    readonly connection: DataSource,
    private readonly tables: Map<string, Table>,
    transaction: boolean | undefined,
    /** The tables that existed before the migration; undefined while only building the model. */
    private readonly existingTables?: Set<string>,
  ) {
    // migrationsTransactionMode 'each': a transaction unless the migration declares none.
    this.transactionDepth = transaction === false ? 0 : 1;
  }

  get isTransactionActive(): boolean {
    return this.transactionDepth > 0;
  }

  asQueryRunner(): QueryRunner {
    return new Proxy(this, {
      get(target, property, receiver) {
        if (property in target) {
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        if (typeof property === 'symbol' || property === 'then') return undefined;
        throw new Error(
          `the migration safety check does not model QueryRunner.${property}: teach ` +
            'src/database/migration-safety-check.ts what it does',
        );
      },
    }) as unknown as QueryRunner;
  }

  async query(sql: string): Promise<unknown[]> {
    this.judgeSql(String(sql));
    return [];
  }

  async startTransaction(): Promise<void> {
    this.transactionDepth++;
  }
  async commitTransaction(): Promise<void> {
    this.transactionDepth--;
  }
  async rollbackTransaction(): Promise<void> {
    this.transactionDepth--;
  }
  async beforeMigration(): Promise<void> {}
  async afterMigration(): Promise<void> {}
  async release(): Promise<void> {}

  async hasTable(table: TableArgument): Promise<boolean> {
    return this.tables.has(nameOf(table));
  }
  async hasColumn(table: TableArgument, column: string): Promise<boolean> {
    return Boolean(this.tables.get(nameOf(table))?.findColumnByName(column));
  }
  async getTable(table: string): Promise<Table | undefined> {
    return this.tables.get(table)?.clone();
  }

  async createTable(table: Table): Promise<void> {
    this.schemaChange('createTable', table.name);
    this.tables.set(table.name, table.clone());
  }
  async dropTable(table: TableArgument): Promise<void> {
    this.schemaChange('dropTable', nameOf(table));
    this.tables.delete(nameOf(table));
  }
  async renameTable(table: TableArgument, newName: string): Promise<void> {
    const name = nameOf(table);
    this.schemaChange('renameTable', name);
    if (this.isExisting(name)) {
      this.violation('rename-or-type-change', `renames table ${name} to ${newName}`);
    }
    const model = this.model(name);
    model.name = newName;
    this.tables.delete(name);
    this.tables.set(newName, model);
  }

  async addColumn(table: TableArgument, column: TableColumn): Promise<void> {
    const name = nameOf(table);
    this.schemaChange('addColumn', name);
    const generated = column.isGenerated || Boolean(column.generatedType);
    if (this.isExisting(name) && !column.isNullable && column.default === undefined && !generated) {
      this.violation(
        'not-null-without-default',
        `adds ${name}.${column.name} NOT NULL without a default to an existing table`,
      );
    }
    this.model(name).addColumn(new TableColumn(column));
  }
  async addColumns(table: TableArgument, columns: TableColumn[]): Promise<void> {
    for (const column of columns) await this.addColumn(table, column);
  }

  async changeColumn(
    table: TableArgument,
    oldColumn: ColumnArgument,
    newColumn: TableColumn,
  ): Promise<void> {
    const name = nameOf(table);
    this.schemaChange('changeColumn', name);
    const model = this.model(name);
    const old = model.findColumnByName(nameOf(oldColumn));
    if (this.isExisting(name)) {
      if (!old) {
        this.violation(
          'rename-or-type-change',
          `changes ${name}.${nameOf(oldColumn)}, a column the check does not know (added by ` +
            'raw SQL?), so it cannot tell whether its type changes',
        );
      } else if (old.name !== newColumn.name) {
        this.violation(
          'rename-or-type-change',
          `renames column ${name}.${old.name} to ${newColumn.name}`,
        );
      } else if (typeOf(old) !== typeOf(newColumn)) {
        this.violation(
          'rename-or-type-change',
          `changes the type of ${name}.${old.name} from ${typeOf(old)} to ${typeOf(newColumn)}`,
        );
      }
    }
    if (old) model.removeColumn(old);
    model.addColumn(new TableColumn(newColumn));
  }
  async changeColumns(
    table: TableArgument,
    changes: { oldColumn: TableColumn; newColumn: TableColumn }[],
  ): Promise<void> {
    for (const change of changes)
      await this.changeColumn(table, change.oldColumn, change.newColumn);
  }
  async renameColumn(
    table: TableArgument,
    oldColumn: ColumnArgument,
    newColumn: ColumnArgument,
  ): Promise<void> {
    const name = nameOf(table);
    this.schemaChange('renameColumn', name);
    if (this.isExisting(name)) {
      this.violation(
        'rename-or-type-change',
        `renames column ${name}.${nameOf(oldColumn)} to ${nameOf(newColumn)}`,
      );
    }
    const column = this.model(name).findColumnByName(nameOf(oldColumn));
    if (column) column.name = nameOf(newColumn);
  }
  async dropColumn(table: TableArgument, column: ColumnArgument): Promise<void> {
    const name = nameOf(table);
    this.schemaChange('dropColumn', name);
    const model = this.model(name);
    const existing = model.findColumnByName(nameOf(column));
    if (existing) model.removeColumn(existing);
  }
  async dropColumns(table: TableArgument, columns: ColumnArgument[]): Promise<void> {
    for (const column of columns) await this.dropColumn(table, column);
  }

  async createIndex(table: TableArgument, index: { name?: string }): Promise<void> {
    this.indexBuild('createIndex', nameOf(table), index.name);
  }
  async createIndices(table: TableArgument, indices: { name?: string }[]): Promise<void> {
    for (const index of indices) await this.createIndex(table, index);
  }
  async createUniqueConstraint(table: TableArgument, unique: { name?: string }): Promise<void> {
    this.indexBuild('createUniqueConstraint', nameOf(table), unique.name);
  }
  async createPrimaryKey(table: TableArgument): Promise<void> {
    this.indexBuild('createPrimaryKey', nameOf(table), 'a primary key');
  }
  async dropIndex(table: TableArgument): Promise<void> {
    this.schemaChange('dropIndex', nameOf(table));
  }
  async createForeignKey(table: TableArgument): Promise<void> {
    this.schemaChange('createForeignKey', nameOf(table));
  }
  async dropForeignKey(table: TableArgument): Promise<void> {
    this.schemaChange('dropForeignKey', nameOf(table));
  }

  private indexBuild(call: string, table: string, index: string | undefined) {
    this.schemaChange(call, table);
    if (this.isExisting(table)) {
      this.violation(
        'plain-index-on-existing-table',
        `builds ${index ?? 'an index'} on ${table}, an existing table, with queryRunner.${call}`,
      );
    }
  }

  /** Raw SQL: lock timeouts set and reset, and the DDL the rules care about. */
  private judgeSql(sql: string) {
    if (/^\s*SET\s+(LOCAL\s+|SESSION\s+)?(lock_timeout|lock_wait_timeout)\s*(=|TO)/i.test(sql)) {
      this.lockTimeoutSet = !/=\s*DEFAULT\s*$/i.test(sql);
      return;
    }
    if (/^\s*RESET\s+lock_timeout/i.test(sql)) {
      this.lockTimeoutSet = false;
      return;
    }
    const createIndex = sql.match(
      /^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\S+)\s+ON\s+(?:ONLY\s+)?[`"]?(\w+)/i,
    );
    if (createIndex) {
      const [, concurrently, quotedIndex, table] = createIndex;
      const index = quotedIndex.replace(/[`"]/g, '');
      this.schemaChange('CREATE INDEX', table);
      if (!concurrently && this.isExisting(table)) {
        this.violation(
          'plain-index-on-existing-table',
          `builds ${index} on ${table}, an existing table, with a plain CREATE INDEX`,
        );
      }
      return;
    }
    const alter = sql.match(/^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?[`"]?(\w+)/i);
    if (alter) {
      const table = alter[1];
      this.schemaChange('ALTER TABLE', table);
      if (!this.isExisting(table)) return;
      if (/\bADD\s+(UNIQUE\s+)?(INDEX|KEY)\b/i.test(sql) && !/\bLOCK\s*=\s*NONE\b/i.test(sql)) {
        this.violation(
          'plain-index-on-existing-table',
          `builds an index on ${table}, an existing table, without LOCK=NONE`,
        );
      }
      const addColumn = sql.match(/\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?[`"]?(\w+)/i);
      if (addColumn && /\bNOT\s+NULL\b/i.test(sql) && !/\bDEFAULT\b/i.test(sql)) {
        this.violation(
          'not-null-without-default',
          `adds ${table}.${addColumn[1]} NOT NULL without a default to an existing table`,
        );
      }
      if (/\bRENAME\b/i.test(sql)) {
        this.violation('rename-or-type-change', `renames in ${table}: ${sql.trim()}`);
      }
      if (
        /\bALTER\s+(COLUMN\s+)?\S+\s+(SET\s+DATA\s+)?TYPE\b|\b(MODIFY|CHANGE)\s+(COLUMN\s+)?/i.test(
          sql,
        )
      ) {
        this.violation(
          'rename-or-type-change',
          `changes a column of ${table} in place: ${sql.trim()}`,
        );
      }
      return;
    }
    if (/^\s*(DROP\s+(INDEX|TABLE)|CREATE\s+TABLE)\b/i.test(sql)) {
      const table = sql.match(/\bTABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?[`"]?(\w+)/i)?.[1];
      this.schemaChange(sql.trim().split(/\s+/).slice(0, 2).join(' '), table ?? '');
    }
  }

  private schemaChange(change: string, table: string) {
    this.schemaChanges++;
    // DROP INDEX names no table: whichever it is, it exists.
    const onExisting = table === '' || this.isExisting(table);
    if (onExisting && !this.lockTimeoutSet) {
      this.violation('no-lock-timeout', `${change} on ${table || 'a table'} has no lock timeout`);
    }
  }

  private isExisting(table: string): boolean {
    return this.existingTables?.has(table) ?? false;
  }

  private violation(rule: Rule, message: string) {
    if (this.existingTables !== undefined) this.violations.push({ rule, message });
  }

  private model(name: string): Table {
    const table = this.tables.get(name);
    if (!table) throw new Error(`table ${name} does not exist at this point`);
    return table;
  }
}

/** Rules a migration's file allows itself, each with a reason: `migration-safety-check: allow <rule>: <why>`. */
function allowedRules(file: string): Set<Rule> {
  const allowed = new Set<Rule>();
  const text = readFileSync(file, 'utf8');
  for (const [, rule, why] of text.matchAll(/migration-safety-check:\s*allow\s+([\w-]+):?(.*)/g)) {
    if (!(rule in RULES)) throw new Error(`${file}: unknown rule "${rule}" in an allow comment`);
    if (why.trim().length < 10) {
      throw new Error(`${file}: the allow comment for ${rule} must say why it is safe`);
    }
    allowed.add(rule as Rule);
  }
  return allowed;
}

function nameOf(value: Table | TableColumn | string): string {
  return typeof value === 'string' ? value : value.name;
}

function typeOf(column: TableColumn): string {
  const size = [column.length, column.precision, column.scale].filter(
    (part) => part !== undefined && part !== null && part !== '',
  );
  return `${column.type}${size.length ? `(${size.join(',')})` : ''}${column.isArray ? '[]' : ''}`;
}

function cloneTables(tables: Map<string, Table>): Map<string, Table> {
  return new Map([...tables].map(([name, table]) => [name, table.clone()]));
}

function byTimestamp(a: MigrationFile, b: MigrationFile): number {
  return a.timestamp - b.timestamp;
}

function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.migration}|${finding.rule}|${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
