import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * `post_tags` is the `@JoinTable` of `Post.tags`, and TypeORM declares a junction table with one
 * index per side. The tag side has had one from the start (`IDX_post_tags_tagId`); this adds the
 * post side. It repeats the leading column of the primary key (postId, tagId), so no read needs
 * it: it is here so that the schema is the one TypeORM derives from the relation and the drift
 * check (`schema:log`) stays empty, at the cost of one more index entry per tag link written.
 */
export class AddPostTagsPostIdIndex1764115200000 implements MigrationInterface {
  name = 'AddPostTagsPostIdIndex1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'post_tags',
      new TableIndex({ name: 'IDX_post_tags_postId', columnNames: ['postId'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('post_tags', 'IDX_post_tags_postId');
  }
}
