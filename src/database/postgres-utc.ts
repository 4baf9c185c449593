import { defaults, types } from 'pg';

const TIMESTAMP_WITHOUT_TIME_ZONE_OID = 1114;
let applied = false;

/**
 * TypeORM maps create/update date columns to `timestamp` (without time zone) on PostgreSQL, the
 * same shape the SQLite and MariaDB migrations produce. node-postgres would read and write those
 * values in the process's local time zone; storing and reading them as UTC keeps timestamps
 * identical whatever TZ the app or the database server runs in.
 */
export function usePostgresUtcTimestamps(): void {
  if (applied) return;
  applied = true;
  defaults.parseInputDatesAsUTC = true;
  types.setTypeParser(TIMESTAMP_WITHOUT_TIME_ZONE_OID, (value) =>
    value === null ? null : new Date(`${value.replace(' ', 'T')}Z`),
  );
}
