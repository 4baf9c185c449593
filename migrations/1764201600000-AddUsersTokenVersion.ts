import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { integerColumn } from '../src/database/migration-columns';

/**
 * `users.tokenVersion`: written into every token at login and compared with the row on every
 * request, so that a password change (which increments it) revokes the tokens issued before it.
 * Existing rows start at 0, as tokens issued before this migration (which carry no version) do.
 */
export class AddUsersTokenVersion1764201600000 implements MigrationInterface {
  name = 'AddUsersTokenVersion1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'users',
      new TableColumn(integerColumn(queryRunner, 'tokenVersion', { default: 0 })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (['sqlite', 'better-sqlite3'].includes(queryRunner.connection.options.type)) {
      // TypeORM drops a SQLite column by rebuilding the table, with foreign keys enforced during
      // a revert: dropping the old users table would cascade-delete every profile, post and
      // comment. SQLite >= 3.35 drops the column in place (see AddPostSlug).
      await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "tokenVersion"`);
    } else {
      await queryRunner.dropColumn('users', 'tokenVersion');
    }
  }
}
