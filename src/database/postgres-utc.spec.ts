import { Client, defaults, types } from 'pg';
import {
  parseUtcTimestamp,
  postgresUtcPoolOptions,
  utcDateValues,
  utcTimestampText,
} from './postgres-utc';

describe('parseUtcTimestamp', () => {
  it.each([
    '2026-11-21 10:05:00',
    '2026-11-21 10:05:00.1',
    '2026-11-21 10:05:00.12',
    '2026-11-21 10:05:00.123',
    '2026-11-21 10:05:00.123456',
    '2026-11-21 10:05:00.999999',
    '2024-02-29 23:59:59.5',
    '1970-01-01 00:00:00',
    '0001-01-01 00:00:00',
    '9999-12-31 23:59:59.999',
  ])('reads %s as UTC, as Date does with an ISO string', (value) => {
    const expected = new Date(`${value.replace(' ', 'T')}Z`);
    expect(parseUtcTimestamp(value).toISOString()).toBe(expected.toISOString());
  });

  it('leaves other shapes to Date', () => {
    expect(parseUtcTimestamp('infinity').getTime()).toBeNaN();
    expect(parseUtcTimestamp('2026-11-21T10:05:00').toISOString()).toBe('2026-11-21T10:05:00.000Z');
  });
});

describe('utcTimestampText', () => {
  it('writes a Date as UTC text with an explicit offset, whatever the process time zone', () => {
    expect(utcTimestampText(new Date('2026-11-21T10:05:00.123Z'))).toBe(
      '2026-11-21T10:05:00.123+00:00',
    );
    expect(utcTimestampText(new Date('0099-01-02T03:04:05.006Z'))).toBe(
      '0099-01-02T03:04:05.006+00:00',
    );
  });

  it('writes years outside 1..9999 as PostgreSQL reads them, and leaves an invalid Date to pg', () => {
    expect(utcTimestampText(new Date(Date.UTC(10000, 0, 1)))).toBe(
      '10000-01-01T00:00:00.000+00:00',
    );
    const yearZero = new Date(Date.UTC(2000, 0, 1));
    yearZero.setUTCFullYear(0);
    expect(utcTimestampText(yearZero)).toBe('0001-01-01T00:00:00.000+00:00 BC');
    const invalid = new Date(NaN);
    expect(utcTimestampText(invalid)).toBe(invalid);
  });
});

describe('utcDateValues', () => {
  it('returns the same array when it holds no Date', () => {
    const values = ['a', 1, null, { at: 'x' }, ['b']];
    expect(utcDateValues(values)).toBe(values);
  });

  it('replaces Dates, in nested arrays too, in a copy', () => {
    const at = new Date('2026-11-21T10:05:00Z');
    const values = ['a', at, [at, 'b']];
    expect(utcDateValues(values)).toEqual([
      'a',
      '2026-11-21T10:05:00.000+00:00',
      ['2026-11-21T10:05:00.000+00:00', 'b'],
    ]);
    expect(values[1]).toBe(at);
  });
});

describe('postgresUtcPoolOptions', () => {
  const { types: poolTypes, Client: PoolClient } = postgresUtcPoolOptions();

  it('reads `timestamp` (oid 1114) as UTC and leaves every other type to pg', () => {
    expect(poolTypes.getTypeParser(1114, 'text')).toBe(parseUtcTimestamp);
    expect(poolTypes.getTypeParser(1114)).toBe(parseUtcTimestamp);
    expect(poolTypes.getTypeParser(23, 'text')).toBe(types.getTypeParser(23, 'text'));
    expect(poolTypes.getTypeParser(1184, 'text')).toBe(types.getTypeParser(1184, 'text'));
    expect(poolTypes.getTypeParser(1114, 'binary')).toBe(types.getTypeParser(1114, 'binary'));
  });

  it('changes nothing of the pg module for the rest of the process', () => {
    expect(types.getTypeParser(1114, 'text')).not.toBe(parseUtcTimestamp);
    expect(defaults.parseInputDatesAsUTC).toBe(false);
  });

  it('has its clients send the Date values of every query form as UTC text', () => {
    // pg's own query records what reaches it instead of sending it.
    const reached = jest.spyOn(Client.prototype, 'query').mockImplementation(() => undefined);
    try {
      const client = new PoolClient();
      const at = new Date('2026-11-21T10:05:00Z');
      const utc = '2026-11-21T10:05:00.000+00:00';
      const callback = () => undefined;

      client.query('SELECT $1', [at], callback);
      expect(reached.mock.calls[0]).toEqual(['SELECT $1', [utc], callback]);

      const prepared = Object.assign(Object.create({ kind: 'prepared' }), {
        name: 'p',
        text: 'SELECT $1',
        values: [at],
      });
      client.query(prepared);
      const sentConfig = reached.mock.calls[1][0] as unknown as { kind: string; values: unknown[] };
      expect(sentConfig).toMatchObject({ name: 'p', text: 'SELECT $1', values: [utc] });
      expect(sentConfig.kind).toBe('prepared');
      expect(prepared.values).toEqual([at]);

      const submittable = { submit: () => undefined, values: [at] };
      client.query(submittable as never);
      expect(reached.mock.calls[2][0]).toBe(submittable);
      expect(submittable.values).toEqual([utc]);

      const noDates = ['x'];
      client.query('SELECT $1', noDates);
      expect(reached.mock.calls[3][1]).toBe(noDates);
    } finally {
      reached.mockRestore();
    }
  });
});
