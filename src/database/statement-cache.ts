import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * A PostgreSQL named prepared statement: node-postgres parses it once per pooled connection and
 * afterwards only binds values, so PostgreSQL neither parses nor (once it settles on a generic
 * plan) plans it again. node-postgres takes it for a query config (`name`, `text`); TypeORM's
 * query runner, typed for SQL text, passes it through untouched and logs it as its text (which
 * is why statement logs and counts read `String(query)`).
 */
class PreparedStatement {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

interface CachedStatement {
  /** The SQL with TypeORM's `:named` parameters, as the query builder wrote it. */
  sql: string;
  /** PostgreSQL only: the prepared statement, once the shape has run. */
  prepared?: Prepared;
}

interface Prepared {
  name: string;
  /** The SQL with positional parameters ($1, $2, ...). */
  text: string;
  /** Where each positional value comes from: a named parameter, or an item of a list one. */
  slots: { parameter: string; item?: number }[];
  /** The length of each list parameter the text was written for. */
  listLengths: Map<string, number>;
}

/** Beyond this many shapes (filter combinations), statements are built per request again. */
const MAX_SHAPES = 1000;
/**
 * PostgreSQL keeps each prepared statement, with its plan, in every pooled connection that ran
 * it (~130 KB for a page of posts): only the first shapes are prepared.
 */
const MAX_PREPARED = 100;

/**
 * The statements of the hot read paths, generated once per shape. Generating SQL through a
 * query builder costs more CPU than PostgreSQL spends running a small query, and a given shape
 * (which filters are present, the sort, the viewer's kind, the lengths of list parameters)
 * always yields the same SQL, so callers key a statement by its shape, build it only on the
 * first request of that shape, and pass the values of each request. On PostgreSQL the
 * statements are named prepared statements. One instance serves the whole app (DatabaseModule):
 * shapes are named by their owners (`posts-page:...`), statement names are unique per process.
 */
@Injectable()
export class StatementCache {
  private readonly statements = new Map<string, CachedStatement>();
  private readonly isPostgres: boolean;
  private preparedCount = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  /**
   * Runs the statement of `shape` with `parameters` (by name, as for a query builder), building
   * its SQL with `build` when the shape is new; inside a transaction when given its `manager`.
   * The SQL `build` returns must depend on nothing but what `shape` says.
   */
  async query<Row>(
    shape: string,
    build: () => string,
    parameters: ObjectLiteral,
    manager?: EntityManager,
  ): Promise<Row[]> {
    let statement = this.statements.get(shape);
    let cached = statement !== undefined;
    if (statement === undefined) {
      statement = { sql: build() };
      cached = this.statements.size < MAX_SHAPES;
      if (cached) this.statements.set(shape, statement);
    }
    const runner = manager ?? this.dataSource;
    if (cached && this.isPostgres) {
      const prepared = statement.prepared ?? this.prepare(statement, parameters);
      const values = prepared && valuesFor(prepared, parameters);
      if (values) {
        const named = new PreparedStatement(prepared.name, prepared.text) as unknown as string;
        return runner.query<Row[]>(named, values);
      }
    }
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(
      statement.sql,
      parameters,
    );
    return runner.query<Row[]>(text, values);
  }

  /**
   * Writes the positional SQL once, with markers standing for the values, which tells where each
   * value of later requests goes: no more rewriting of the SQL per request (a regular expression
   * over the whole text, ~6% of the CPU of GET /posts/:id). PostgreSQL's escaping changes no value,
   * so the values can go as they are. Raw SQL values (functions) are not prepared.
   */
  private prepare(statement: CachedStatement, parameters: ObjectLiteral): Prepared | undefined {
    if (this.preparedCount === MAX_PREPARED) return undefined;
    const markers: ObjectLiteral = {};
    const listLengths = new Map<string, number>();
    for (const [parameter, value] of Object.entries(parameters)) {
      if (typeof value === 'function') return undefined;
      if (Array.isArray(value)) listLengths.set(parameter, value.length);
      markers[parameter] = Array.isArray(value)
        ? value.map((_item, item) => ({ parameter, item }))
        : { parameter };
    }
    const [text, slots] = this.dataSource.driver.escapeQueryWithParameters(statement.sql, markers);
    statement.prepared = { name: `hot_${++this.preparedCount}`, text, slots, listLengths };
    return statement.prepared;
  }
}

/**
 * The positional values of a prepared statement for these parameters, or undefined when they do
 * not fit the text it was written for (a parameter missing, a list of another length: a shape
 * that does not determine its SQL, which must not happen); the request then runs unprepared.
 */
function valuesFor(prepared: Prepared, parameters: ObjectLiteral): unknown[] | undefined {
  for (const [parameter, length] of prepared.listLengths) {
    const value: unknown = parameters[parameter];
    if (!Array.isArray(value) || value.length !== length) return undefined;
  }
  const values: unknown[] = [];
  for (const { parameter, item } of prepared.slots) {
    if (!(parameter in parameters)) return undefined;
    const value: unknown = parameters[parameter];
    if (item === undefined && Array.isArray(value)) return undefined;
    values.push(item === undefined ? value : (value as unknown[])[item]);
  }
  return values;
}

/**
 * The SQL of a multi-row INSERT for a StatementCache, written by the query builder: each row maps
 * a column (property name) to the named parameter that carries its value (rows may share one).
 * `orIgnore` skips rows that would break a unique index (ON CONFLICT DO NOTHING, INSERT IGNORE,
 * INSERT OR IGNORE).
 */
export function insertSql(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  rows: Record<string, string>[],
  { orIgnore = false } = {},
): string {
  const placeholders = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([column, parameter]) => [column, () => `:${parameter}`]),
    ),
  );
  const insert = manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(placeholders)
    .updateEntity(false);
  return (orIgnore ? insert.orIgnore() : insert).getQuery();
}
