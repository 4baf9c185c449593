import { Client, CustomTypesConfig, types } from 'pg';
import { isDate } from 'node:util/types';

const TIMESTAMP_WITHOUT_TIME_ZONE_OID = 1114;

/**
 * TypeORM maps create/update date columns to `timestamp` (without time zone) on PostgreSQL, the
 * same shape the SQLite and MariaDB migrations produce. node-postgres reads and writes those
 * values in the process's local time zone: under TZ=America/New_York it would store 12:00Z as
 * `07:00` (PostgreSQL drops the offset of a value cast to `timestamp`) and compare
 * `createdAt >= $1` five hours off. The session runs in UTC (`-c timezone=UTC`, so `now()` is UTC
 * too); these options make the pool's clients read and write those values as UTC as well,
 * whatever TZ the process has. They are per pool (TypeORM passes `extra` to `new Pool`), so
 * nothing of the `pg` module is changed for anyone else in the process.
 */
export function postgresUtcPoolOptions(): { types: CustomTypesConfig; Client: typeof Client } {
  return { types: UTC_TIMESTAMP_TYPES, Client: UtcDateParametersClient };
}

/** pg's parsers, except that `timestamp` text is read as UTC. */
const UTC_TIMESTAMP_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE_OID && format !== 'binary'
      ? parseUtcTimestamp
      : types.getTypeParser(oid, format as 'text'),
} as CustomTypesConfig;

/**
 * A client that sends Date parameters as UTC text. node-postgres has no per-client setting for
 * this (only the process-wide `defaults.parseInputDatesAsUTC`), but a pool builds its clients
 * from its `Client` option. Dates are found in the values of every query form `query` accepts:
 * `(text, values)`, a config object with `values` (a prepared statement), a submittable.
 */
class UtcDateParametersClient extends Client {
  // Typed loosely: callers see pg's own overloads of `query` (the pool hands out a `Client`).
  override query(...args: unknown[]): never {
    const [config, values] = args;
    if (Array.isArray(values)) {
      args[1] = utcDateValues(values);
    } else if (config !== null && typeof config === 'object' && 'values' in config) {
      const own = config as { values: unknown; submit?: unknown };
      if (Array.isArray(own.values)) {
        const prepared = utcDateValues(own.values);
        if (prepared !== own.values) {
          if (typeof own.submit === 'function') {
            own.values = prepared; // a Query or Cursor is run once: its values are its own
          } else {
            // A copy, as pg's own normalizeQueryConfig makes: the caller may run it again.
            args[0] = Object.create(Object.getPrototypeOf(config), {
              ...Object.getOwnPropertyDescriptors(config),
              values: { value: prepared, enumerable: true, writable: true, configurable: true },
            });
          }
        }
      }
    }
    return (super.query as (...args: unknown[]) => never)(...args);
  }
}

/** The values with each Date (in arrays too) as UTC text; the same array when there is none. */
export function utcDateValues(values: unknown[]): unknown[] {
  let prepared: unknown[] | undefined;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    const replacement = isDate(value)
      ? utcTimestampText(value)
      : Array.isArray(value)
        ? utcDateValues(value)
        : value;
    if (replacement !== value) {
      prepared ??= values.slice();
      prepared[index] = replacement;
    }
  }
  return prepared ?? values;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * A Date as node-postgres writes it with `parseInputDatesAsUTC` (`2026-11-21T10:05:00.123+00:00`,
 * years before 1 as BC). An invalid Date is left to node-postgres, which warns and sends it as
 * it is, for PostgreSQL to reject.
 */
export function utcTimestampText(date: Date): string | Date {
  if (Number.isNaN(date.getTime())) return date;
  const year = date.getUTCFullYear();
  return (
    `${pad(year < 1 ? 1 - year : year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` +
    `.${pad(date.getUTCMilliseconds(), 3)}+00:00${year < 1 ? ' BC' : ''}`
  );
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
