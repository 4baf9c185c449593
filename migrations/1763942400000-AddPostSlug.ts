import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { dropColumnInPlace, varcharColumn } from '../src/database/migration-columns';
import { firstFreeSlug, slugify } from '../src/posts/post-slug';

const SLUG_LENGTH = 255;
const BATCH_SIZE = 500;

interface PostTitle {
  id: string;
  title: string;
}

/**
 * Gives every post a unique slug, on a table that may already hold rows: the column is added
 * nullable, filled from the titles (the oldest post keeps the bare slug, later ones with the same
 * title get `-2`, `-3`, ...), then made NOT NULL and unique. `down` drops it again.
 */
export class AddPostSlug1763942400000 implements MigrationInterface {
  name = 'AddPostSlug1763942400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'posts',
      new TableColumn(varcharColumn('slug', SLUG_LENGTH, { isNullable: true })),
    );
    await backfillSlugs(queryRunner);
    await assertNoCascadingRebuild(queryRunner);
    await queryRunner.changeColumn(
      'posts',
      'slug',
      new TableColumn(varcharColumn('slug', SLUG_LENGTH)),
    );
    await queryRunner.createIndex(
      'posts',
      new TableIndex({ name: 'UQ_posts_slug', columnNames: ['slug'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('posts', 'UQ_posts_slug');
    await dropColumnInPlace(queryRunner, 'posts', 'slug');
  }
}

function isSqlite(queryRunner: QueryRunner): boolean {
  return ['sqlite', 'better-sqlite3'].includes(queryRunner.connection.options.type);
}

/**
 * Making a SQLite column NOT NULL rebuilds the table (copy, drop, rename). TypeORM's
 * `migration:run` turns foreign keys off first, so nothing cascades; refuse to run rather than
 * delete the rows that reference posts if some other runner left them on.
 */
async function assertNoCascadingRebuild(queryRunner: QueryRunner): Promise<void> {
  if (!isSqlite(queryRunner)) return;
  const [pragma]: { foreign_keys: number }[] = await queryRunner.query('PRAGMA foreign_keys');
  if (pragma?.foreign_keys) {
    throw new Error(
      'AddPostSlug must run with SQLite foreign keys off (as migration:run does): rebuilding ' +
        'posts would cascade-delete its comments and tag links',
    );
  }
}

async function backfillSlugs(queryRunner: QueryRunner): Promise<void> {
  const driver = queryRunner.connection.driver;
  const name = (identifier: string) => driver.escape(identifier);
  const taken = new Set<string>();

  // Nothing else writes during a migration, so offset batches over a stable order are safe.
  for (let offset = 0; ; offset += BATCH_SIZE) {
    const rows: PostTitle[] = await queryRunner.query(
      `SELECT ${name('id')} AS ${name('id')}, ${name('title')} AS ${name('title')} ` +
        `FROM ${name('posts')} ORDER BY ${name('createdAt')}, ${name('id')} ` +
        `LIMIT ${BATCH_SIZE} OFFSET ${offset}`,
    );
    if (rows.length === 0) return;

    // One UPDATE per batch: SET slug = CASE id WHEN :id0 THEN :slug0 ... END WHERE id IN (...)
    const parameters: Record<string, unknown> = { ids: rows.map((row) => row.id) };
    const cases = rows.map((row, index) => {
      const slug = firstFreeSlug(slugify(row.title), taken);
      taken.add(slug);
      parameters[`id${index}`] = row.id;
      parameters[`slug${index}`] = slug;
      return `WHEN :id${index} THEN :slug${index}`;
    });
    const [sql, values] = driver.escapeQueryWithParameters(
      `UPDATE ${name('posts')} SET ${name('slug')} = CASE ${name('id')} ${cases.join(' ')} END ` +
        `WHERE ${name('id')} IN (:...ids)`,
      parameters,
    );
    await queryRunner.query(sql, values);
  }
}
