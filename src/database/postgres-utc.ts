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
  types.setTypeParser(TIMESTAMP_WITHOUT_TIME_ZONE_OID, parseUtcTimestamp);
}

const DIGIT_0 = 48;

/**
 * A `timestamp` as PostgreSQL writes it (`2026-11-21 10:05:00` or `2026-11-21 10:05:00.123456`,
 * DateStyle ISO), read as UTC. Read from its character codes: a page of posts holds some sixty
 * of them, and building an ISO string for Date to parse made them a tenth of the memory a page
 * request allocates. Any other shape (years before 100 or past 9999, BC, infinity) goes through Date's parser.
 */
export function parseUtcTimestamp(value: string): Date {
  const length = value.length;
  if (
    (length === 19 || (length > 20 && value.charCodeAt(19) === 46)) &&
    value.charCodeAt(4) === 45 &&
    value.charCodeAt(10) === 32
  ) {
    const pair = (at: number) =>
      (value.charCodeAt(at) - DIGIT_0) * 10 + value.charCodeAt(at + 1) - DIGIT_0;
    let milliseconds = 0;
    for (let at = 20, scale = 100; at < length && scale >= 1; at++, scale /= 10) {
      milliseconds += (value.charCodeAt(at) - DIGIT_0) * scale;
    }
    const year = pair(0) * 100 + pair(2);
    // Date.UTC reads years 0..99 as 1900..1999.
    const time =
      year < 100
        ? NaN
        : Date.UTC(year, pair(5) - 1, pair(8), pair(11), pair(14), pair(17), milliseconds);
    if (!Number.isNaN(time)) return new Date(time);
  }
  return new Date(`${value.replace(' ', 'T')}Z`);
}
