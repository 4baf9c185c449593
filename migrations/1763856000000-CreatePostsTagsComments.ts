import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import {
  booleanColumn,
  createdAtColumn,
  longTextColumn,
  textColumn,
  timestampColumn,
  updatedAtColumn,
  uuidColumn,
  varcharColumn,
} from '../src/database/migration-columns';

function cascadingForeignKey(
  table: string,
  column: string,
  referencedTableName: string,
): TableForeignKey {
  return new TableForeignKey({
    name: `FK_${table}_${column}`,
    columnNames: [column],
    referencedTableName,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
    onUpdate: 'NO ACTION',
  });
}

/**
 * Posts (without their slug: AddPostSlug adds it to a table that may already hold rows), tags,
 * the post_tags link table and comments. Every foreign key cascades in the database itself.
 */
export class CreatePostsTagsComments1763856000000 implements MigrationInterface {
  name = 'CreatePostsTagsComments1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'posts',
        columns: [
          uuidColumn(queryRunner, 'id', { isPrimary: true }),
          varcharColumn('title', 200),
          longTextColumn(queryRunner, 'content'),
          booleanColumn(queryRunner, 'published', false),
          timestampColumn(queryRunner, 'publishedAt', { isNullable: true }),
          uuidColumn(queryRunner, 'authorId'),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_posts_published_createdAt_id',
            columnNames: ['published', 'createdAt', 'id'],
          }),
          new TableIndex({
            name: 'IDX_posts_authorId_createdAt_id',
            columnNames: ['authorId', 'createdAt', 'id'],
          }),
          new TableIndex({ name: 'IDX_posts_createdAt_id', columnNames: ['createdAt', 'id'] }),
          new TableIndex({
            name: 'IDX_posts_published_publishedAt_id',
            columnNames: ['published', 'publishedAt', 'id'],
          }),
        ],
        foreignKeys: [cascadingForeignKey('posts', 'authorId', 'users')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'tags',
        columns: [
          uuidColumn(queryRunner, 'id', { isPrimary: true }),
          varcharColumn('name', 50),
          createdAtColumn(queryRunner),
        ],
        indices: [new TableIndex({ name: 'UQ_tags_name', columnNames: ['name'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'post_tags',
        columns: [
          uuidColumn(queryRunner, 'postId', { isPrimary: true }),
          uuidColumn(queryRunner, 'tagId', { isPrimary: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_post_tags_tagId', columnNames: ['tagId'] })],
        foreignKeys: [
          cascadingForeignKey('post_tags', 'postId', 'posts'),
          cascadingForeignKey('post_tags', 'tagId', 'tags'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'comments',
        columns: [
          uuidColumn(queryRunner, 'id', { isPrimary: true }),
          uuidColumn(queryRunner, 'postId'),
          uuidColumn(queryRunner, 'authorId'),
          textColumn('body'),
          createdAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_comments_postId_createdAt_id',
            columnNames: ['postId', 'createdAt', 'id'],
          }),
          new TableIndex({ name: 'IDX_comments_authorId', columnNames: ['authorId'] }),
        ],
        foreignKeys: [
          cascadingForeignKey('comments', 'postId', 'posts'),
          cascadingForeignKey('comments', 'authorId', 'users'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('comments');
    await queryRunner.dropTable('post_tags');
    await queryRunner.dropTable('tags');
    await queryRunner.dropTable('posts');
  }
}
