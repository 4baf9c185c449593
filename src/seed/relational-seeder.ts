import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { runInTransaction } from '../database/transactions';
import { Comment } from '../posts/comment.entity';
import { Post } from '../posts/post.entity';
import { Tag } from '../tags/tag.entity';
import { Profile } from '../users/profile.entity';
import { User } from '../users/user.entity';
import { RelationalDemoData } from './demo-data';
import { RowProgress } from './progress';

/**
 * Bound parameters per INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 (MariaDB
 * gets the values inlined by the driver, so there the statement's size is what counts).
 */
export const MAX_PARAMETERS_PER_STATEMENT = 10_000;
/**
 * Bytes of values per INSERT: under MariaDB/MySQL's smallest default `max_allowed_packet`
 * (4 MB on MySQL 5.7; 16 MB on MariaDB 10.2+), with room for the SQL around them.
 */
export const MAX_STATEMENT_BYTES = 1_000_000;

interface SeededTable {
  name: keyof RelationalDemoData;
  entity: EntityTarget<ObjectLiteral>;
}

/**
 * The join table of `Post.tags`, by the name its junction metadata gives it: TypeORM's own
 * `relation().add()` inserts into it the same way, with the column types of the two keys.
 */
export function postTagsTableName(dataSource: DataSource): string {
  const relation = dataSource.getMetadata(Post).findRelationWithPropertyPath('tags');
  const junction = relation?.junctionEntityMetadata;
  if (!junction) throw new Error('Post.tags is not a many-to-many relation with a join table');
  return junction.tableName;
}

/** Tables in the order their foreign keys need when inserting; deleted in the reverse order. */
function seededTables(dataSource: DataSource): SeededTable[] {
  return [
    { name: 'users', entity: User },
    { name: 'profiles', entity: Profile },
    { name: 'tags', entity: Tag },
    { name: 'posts', entity: Post },
    { name: 'postTags', entity: postTagsTableName(dataSource) },
    { name: 'comments', entity: Comment },
  ];
}

export interface TableTiming {
  table: string;
  rows: number;
  ms: number;
}

function valueBytes(value: unknown): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : 32;
}

/**
 * Splits rows into multi-row INSERTs that stay within both the parameter and the size budget.
 * Rows of one table share their keys, so the parameter count is rows x columns.
 */
export function* insertChunks<Row extends object>(rows: readonly Row[]): Generator<Row[]> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).length;
  const maxRows = Math.max(1, Math.floor(MAX_PARAMETERS_PER_STATEMENT / columns));
  let chunk: Row[] = [];
  let bytes = 0;
  for (const row of rows) {
    const rowBytes = Object.values(row).reduce<number>((sum, v) => sum + valueBytes(v), 0);
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + rowBytes > MAX_STATEMENT_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += rowBytes;
  }
  yield chunk;
}

/** Whether the relational store has none of what a seed would write (users or tags). */
export async function isRelationalStoreEmpty(dataSource: DataSource): Promise<boolean> {
  const [users, tags] = await Promise.all([
    dataSource.getRepository(User).count(),
    dataSource.getRepository(Tag).count(),
  ]);
  return users === 0 && tags === 0;
}

/**
 * Writes the demo rows in one transaction, as chunked multi-row INSERTs built by TypeORM's query
 * builder (which converts dates, booleans and UUIDs for each dialect). With `reset`, every row of
 * these tables is deleted first, in the same transaction: a failed seed leaves the database as
 * it was.
 */
export async function writeRelationalData(
  dataSource: DataSource,
  data: RelationalDemoData,
  options: { reset: boolean; progress: RowProgress },
): Promise<TableTiming[]> {
  const { progress } = options;
  const tables = seededTables(dataSource);
  const total = tables.reduce((sum, { name }) => sum + data[name].length, 0);
  return runInTransaction(dataSource, async (tx) => {
    if (options.reset) await deleteEverything(tx, tables);
    progress.begin(total);
    const timings: TableTiming[] = [];
    for (const { name, entity } of tables) {
      const started = performance.now();
      for (const chunk of insertChunks<ObjectLiteral>(data[name])) {
        await tx
          .createQueryBuilder()
          .insert()
          .into(entity)
          .values(chunk)
          .updateEntity(false)
          .callListeners(false)
          .execute();
        progress.advance(name, chunk.length);
      }
      timings.push({ table: name, rows: data[name].length, ms: performance.now() - started });
    }
    progress.end();
    return timings;
  });
}

/** Every user, profile, tag, post, tag link and comment: children before their parents. */
async function deleteEverything(tx: EntityManager, tables: SeededTable[]): Promise<void> {
  for (const { entity } of [...tables].reverse()) {
    await tx.createQueryBuilder().delete().from(entity).execute();
  }
}
