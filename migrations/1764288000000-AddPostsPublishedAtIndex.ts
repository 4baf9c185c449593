import { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexOnline, dropIndexOnline } from '../src/database/online-migrations';

/**
 * (publishedAt, id): the `publishedAt` sort of signed-in readers and admins, whose lists are not
 * limited to published posts, so `IDX_posts_published_publishedAt_id` (which anonymous lists
 * use) cannot serve it; without this index PostgreSQL sorts every visible post to return a page.
 *
 * Built online: posts is the busiest table, and a plain CREATE INDEX would block its writes for
 * the whole build (see src/database/online-migrations.ts). CONCURRENTLY needs no transaction.
 */
export class AddPostsPublishedAtIndex1764288000000 implements MigrationInterface {
  name = 'AddPostsPublishedAtIndex1764288000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexOnline(queryRunner, 'posts', {
      name: 'IDX_posts_publishedAt_id',
      columnNames: ['publishedAt', 'id'],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropIndexOnline(queryRunner, 'posts', 'IDX_posts_publishedAt_id');
  }
}
