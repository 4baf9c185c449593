import { parseUtcTimestamp } from './postgres-utc';

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
