import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import {
  booleanColumn,
  createdAtColumn,
  updatedAtColumn,
  uuidColumn,
  varcharColumn,
} from '../src/database/migration-columns';

export class CreateUsersAndProfiles1763769600000 implements MigrationInterface {
  name = 'CreateUsersAndProfiles1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          uuidColumn(queryRunner, 'id', { isPrimary: true }),
          varcharColumn('email', 255),
          varcharColumn('username', 30),
          varcharColumn('normalizedUsername', 30),
          varcharColumn('passwordHash', 255),
          varcharColumn('fullName', 100, { isNullable: true }),
          booleanColumn(queryRunner, 'isActive', true),
          varcharColumn('role', 16, { default: "'user'" }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'UQ_users_email', columnNames: ['email'], isUnique: true }),
          new TableIndex({
            name: 'UQ_users_username',
            columnNames: ['normalizedUsername'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_users_createdAt', columnNames: ['createdAt'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'profiles',
        columns: [
          uuidColumn(queryRunner, 'userId', { isPrimary: true }),
          varcharColumn('bio', 2000, { isNullable: true }),
          varcharColumn('avatarUrl', 2048, { isNullable: true }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_profiles_userId',
            columnNames: ['userId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('profiles');
    await queryRunner.dropTable('users');
  }
}
