import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { normalizeTagName, normalizeTagNames, TagNames, TagNamesQuery } from './tag-names';

class Tagged {
  @TagNames()
  tags: unknown;
}

class TaggedQuery {
  @TagNamesQuery()
  tags: unknown;
}

function check(tags: unknown, type: typeof Tagged | typeof TaggedQuery = Tagged) {
  const instance = plainToInstance(type, { tags });
  const messages = validateSync(instance).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  return { tags: instance.tags, messages };
}

describe('normalizeTagName', () => {
  it.each([
    ['  NodeJS ', 'nodejs'],
    ['Schema   Design', 'schema-design'],
    ['a\tb\nc', 'a-b-c'],
    ['already-normal', 'already-normal'],
  ])('normalises %j to %j', (raw, normalised) => {
    expect(normalizeTagName(raw)).toBe(normalised);
  });
});

describe('normalizeTagNames', () => {
  it('collapses duplicates after normalisation, keeping the first position', () => {
    expect(normalizeTagNames(['MongoDB', 'nosql', ' mongodb ', 'NoSQL'])).toEqual([
      'mongodb',
      'nosql',
    ]);
  });
});

describe('@TagNames()', () => {
  it('normalises a valid list', () => {
    expect(check(['Node JS', 'node js', 'api'])).toEqual({
      tags: ['node-js', 'api'],
      messages: [],
    });
  });

  it('refuses a single string in a body instead of coercing it into a list', () => {
    expect(check('Schema Design')).toEqual({
      tags: 'Schema Design',
      messages: expect.arrayContaining(['tags must be an array']),
    });
  });

  it('turns a single string into a list for the query parameter (given once)', () => {
    expect(check('Schema Design', TaggedQuery)).toEqual({
      tags: ['schema-design'],
      messages: [],
    });
  });

  it.each([[['bad/name']], [['x'.repeat(51)]], [['   ']], [['naïve']]])(
    'rejects %j after normalisation',
    (tags) => {
      expect(check(tags).messages.length).toBeGreaterThan(0);
    },
  );

  it('rejects more than 10 names', () => {
    expect(check(Array.from({ length: 11 }, (_, i) => `t${i}`)).messages).toContain(
      'tags must contain no more than 10 elements',
    );
  });

  it('leaves operator objects and non-strings for the validators to reject', () => {
    const operator = check({ $gt: '' });
    expect(operator.tags).toEqual({ $gt: '' });
    expect(operator.messages).toContain('tags must be an array');
    expect(check(['ok', { $ne: 'x' }]).messages.length).toBeGreaterThan(0);
    expect(check([1, 2]).messages.length).toBeGreaterThan(0);
  });
});
