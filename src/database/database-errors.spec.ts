import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { classifyDatabaseError, uniqueViolationField } from './database-errors';

function failed(driverError: Record<string, unknown>): QueryFailedError {
  return new QueryFailedError(
    'INSERT …',
    [],
    Object.assign(new Error(String(driverError.message ?? '')), driverError),
  );
}

describe('classifyDatabaseError', () => {
  it.each([
    ['PostgreSQL unique', { code: '23505' }, 'unique'],
    ['PostgreSQL foreign key', { code: '23503' }, 'foreign-key'],
    ['PostgreSQL not null', { code: '23502' }, 'not-null'],
    ['PostgreSQL too long', { code: '22001' }, 'too-long'],
    ['PostgreSQL admin shutdown', { code: '57P01' }, 'unavailable'],
    ['MariaDB duplicate entry', { code: 'ER_DUP_ENTRY', errno: 1062 }, 'unique'],
    ['MariaDB missing parent', { code: 'ER_NO_REFERENCED_ROW_2' }, 'foreign-key'],
    ['MariaDB parent in use', { code: 'ER_ROW_IS_REFERENCED_2' }, 'foreign-key'],
    ['SQLite unique', { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'unique'],
    ['SQLite foreign key', { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }, 'foreign-key'],
    ['connection refused', { code: 'ECONNREFUSED' }, 'unavailable'],
    ['pool ended', { message: 'Cannot use a pool after calling end on the pool' }, 'unavailable'],
    ['syntax error', { code: '42601' }, undefined],
  ])('%s', (_name, driverError, kind) => {
    expect(classifyDatabaseError(failed(driverError))).toBe(kind);
  });

  it('takes a query runner released by its broken connection for an unavailable database', () => {
    expect(classifyDatabaseError(new QueryRunnerAlreadyReleasedError())).toBe('unavailable');
  });

  it('leaves errors that are not database errors alone', () => {
    expect(classifyDatabaseError(new Error('boom'))).toBeUndefined();
    expect(classifyDatabaseError(undefined)).toBeUndefined();
  });
});

describe('uniqueViolationField', () => {
  it('reads the field from a PostgreSQL constraint name', () => {
    expect(uniqueViolationField(failed({ code: '23505', constraint: 'UQ_users_email' }))).toBe(
      'email',
    );
  });

  it('reads the field from a MariaDB key name', () => {
    const error = failed({
      code: 'ER_DUP_ENTRY',
      sqlMessage: "Duplicate entry 'alice' for key 'UQ_users_username'",
    });
    expect(uniqueViolationField(error)).toBe('username');
  });

  it('reads the field from a MySQL 8 key name qualified by its table', () => {
    const error = failed({
      code: 'ER_DUP_ENTRY',
      sqlMessage: "Duplicate entry 'x' for key 'users.UQ_users_email'",
    });
    expect(uniqueViolationField(error)).toBe('email');
  });

  it('gives up on indexes that do not follow the naming convention', () => {
    expect(
      uniqueViolationField(failed({ code: '23505', constraint: 'users_pkey' })),
    ).toBeUndefined();
  });
});
