import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { dropColumnInPlace, integerColumn } from '../src/database/migration-columns';

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
    await dropColumnInPlace(queryRunner, 'users', 'tokenVersion');
  }
}
