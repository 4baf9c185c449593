import { ArgumentMetadata, BadRequestException, Type, ValidationPipe } from '@nestjs/common';
import { FREE_FORM_METADATA } from '../../test/utils/content-samples';
import { errorBody } from '../common/all-exceptions.filter';
import { flattenValidationErrors } from '../common/validation-errors';
import { ContentStatsQueryDto } from './dto/content-stats-query.dto';
import { CreateContentCommentDto } from './dto/create-content-comment.dto';
import { CreateContentDto } from './dto/create-content.dto';
import { ListContentQueryDto } from './dto/list-content-query.dto';
import { ReplaceContentDto } from './dto/replace-content.dto';
import { UpdateContentDto } from './dto/update-content.dto';

// The global pipe as src/app.setup.ts configures it.
const pipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) =>
    new BadRequestException(errorBody(400, flattenValidationErrors(errors))),
});

async function validate<T>(
  metatype: Type<T>,
  value: unknown,
  type: ArgumentMetadata['type'] = 'body',
): Promise<{ value?: T; messages?: string[] }> {
  try {
    return { value: (await pipe.transform(value, { type, metatype })) as T };
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return { messages: (error.getResponse() as { message: string[] }).message };
  }
}

describe('CreateContentDto', () => {
  it('accepts a minimal document and normalises its tags', async () => {
    const { value, messages } = await validate(CreateContentDto, {
      title: 'Hello',
      tags: [' Node JS ', 'node js', 'MongoDB'],
      metadata: { seo: { keywords: ['a'] } },
    });
    expect(messages).toBeUndefined();
    expect(value).toMatchObject({
      title: 'Hello',
      tags: ['node-js', 'mongodb'],
      metadata: { seo: { keywords: ['a'] } },
    });
  });

  it('passes free-form metadata through unchanged: nesting, arrays, null, numbers, unicode', async () => {
    const metadata = FREE_FORM_METADATA;
    const { value } = await validate(CreateContentDto, { title: 't', metadata });
    expect(value?.metadata).toEqual(metadata);
    expect(JSON.stringify(value?.metadata)).toBe(JSON.stringify(metadata));
  });

  it.each([
    ['title', { title: { $gt: '' } }],
    ['body', { title: 't', body: { $gt: '' } }],
    ['status', { title: 't', status: { $ne: 'draft' } }],
    ['tags', { title: 't', tags: { $gt: '' } }],
    ['tags', { title: 't', tags: [{ $gt: '' }] }],
    ['metadata', { title: 't', metadata: { $gt: '' } }],
  ])('rejects an operator object in %s with 400', async (field, body) => {
    const { messages } = await validate(CreateContentDto, body);
    expect(messages?.some((message) => message.startsWith(field))).toBe(true);
  });

  it('rejects operator and unknown keys at the top level', async () => {
    const { messages } = await validate(CreateContentDto, {
      title: 't',
      $where: '1',
      authorId: 'x',
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        'property $where should not exist',
        'property authorId should not exist',
      ]),
    );
  });

  it.each([
    [{ a: { b: [{ $gt: 1 }] } }, 'metadata key "$gt" at metadata.a.b[0] may not start with "$"'],
    [{ a: { 'b.c': 1 } }, 'metadata key "b.c" at metadata.a may not contain "."'],
  ])('rejects unsafe metadata keys at any depth: %j', async (metadata, message) => {
    expect((await validate(CreateContentDto, { title: 't', metadata })).messages).toEqual([
      message,
    ]);
  });

  it('rejects metadata over 16 KB serialised', async () => {
    const { messages } = await validate(CreateContentDto, {
      title: 't',
      metadata: { text: 'x'.repeat(16 * 1024) },
    });
    expect(messages).toEqual([expect.stringMatching(/^metadata must be at most 16384 bytes/)]);
  });

  it.each([
    ['metadata as an array', { title: 't', metadata: [1, 2] }, 'metadata must be an object'],
    ['metadata as a string', { title: 't', metadata: 'text' }, 'metadata must be an object'],
    ['an empty title', { title: '' }, 'title must be longer than or equal to 1 characters'],
    [
      'a 201-character title',
      { title: 'x'.repeat(201) },
      'title must be shorter than or equal to 200 characters',
    ],
    [
      'a body over 100 000 characters',
      { title: 't', body: 'x'.repeat(100_001) },
      'body must be shorter than or equal to 100000 characters',
    ],
    [
      'an unknown status',
      { title: 't', status: 'deleted' },
      'status must be one of: draft, published, archived',
    ],
    ['a null body', { title: 't', body: null }, 'body must be a string'],
    ['a missing title', { body: 'no title' }, 'title must be a string'],
  ])('rejects %s', async (_case, body, message) => {
    expect((await validate(CreateContentDto, body)).messages).toContain(message);
  });

  it('rejects more than 10 tags and names that are not [a-z0-9-] once normalised', async () => {
    const many = await validate(CreateContentDto, {
      title: 't',
      tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
    });
    expect(many.messages).toContain('tags must contain no more than 10 elements');
    const bad = await validate(CreateContentDto, { title: 't', tags: ['c++'] });
    expect(bad.messages?.[0]).toMatch(/^tags must each be 1\.\.50 letters/);
  });
});

describe('UpdateContentDto', () => {
  it('accepts any subset of the editable fields, including none', async () => {
    expect((await validate(UpdateContentDto, {})).messages).toBeUndefined();
    expect((await validate(UpdateContentDto, { status: 'archived' })).value).toMatchObject({
      status: 'archived',
    });
  });

  it('rejects null (nothing is clearable) and non-editable fields', async () => {
    const { messages } = await validate(UpdateContentDto, {
      title: null,
      metadata: null,
      comments: [],
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        'title must be a string',
        'metadata must be an object',
        'property comments should not exist',
      ]),
    );
  });

  it('applies the metadata rules', async () => {
    expect((await validate(UpdateContentDto, { metadata: { x: { $inc: 1 } } })).messages).toEqual([
      'metadata key "$inc" at metadata.x may not start with "$"',
    ]);
  });
});

describe('ReplaceContentDto', () => {
  it('needs a title and rejects every field that is not editable', async () => {
    const { messages } = await validate(ReplaceContentDto, {
      body: 'b',
      authorId: 'x',
      comments: [],
      createdAt: '2020-01-01T00:00:00.000Z',
      id: 'x',
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        'title must be a string',
        'property authorId should not exist',
        'property comments should not exist',
        'property createdAt should not exist',
        'property id should not exist',
      ]),
    );
  });
});

describe('CreateContentCommentDto', () => {
  it.each([
    ['an empty body', { body: '' }, 'body must be longer than or equal to 1 characters'],
    [
      'a body over 5000 characters',
      { body: 'x'.repeat(5001) },
      'body must be shorter than or equal to 5000 characters',
    ],
    ['an operator object', { body: { $gt: '' } }, 'body must be a string'],
    ['an authorId', { body: 'ok', authorId: 'x' }, 'property authorId should not exist'],
  ])('rejects %s', async (_case, body, message) => {
    expect((await validate(CreateContentCommentDto, body)).messages).toContain(message);
  });
});

describe('ListContentQueryDto', () => {
  const query = (value: Record<string, unknown>) => validate(ListContentQueryDto, value, 'query');

  it('converts and defaults the pagination and normalises tag, given once or repeated', async () => {
    expect((await query({ skip: '5', limit: '50', tag: 'Node JS' })).value).toMatchObject({
      skip: 5,
      limit: 50,
      tag: ['node-js'],
    });
    expect((await query({ tag: ['a', 'B'] })).value).toMatchObject({
      skip: 0,
      limit: 20,
      tag: ['a', 'b'],
    });
  });

  // What the extended query parser makes of `?authorId[$gt]=` and friends.
  it.each([
    ['authorId', { authorId: { $gt: '' } }],
    ['status', { status: { $ne: 'draft' } }],
    ['tag', { tag: { $gt: '' } }],
    ['search', { search: { $regex: '.*' } }],
    ['q', { q: { $gt: '' } }],
    ['limit', { limit: { $gt: '' } }],
    ['skip', { skip: { $gt: '' } }],
  ])('rejects an operator object in %s with 400', async (field, value) => {
    const { messages } = await query(value);
    expect(messages?.some((message) => message.startsWith(field))).toBe(true);
  });

  it.each([
    [{ limit: '0' }, 'limit must be an integer from 1 to 100, in decimal digits'],
    [{ limit: '101' }, 'limit must be an integer from 1 to 100, in decimal digits'],
    [{ limit: 'abc' }, 'limit must be an integer from 1 to 100, in decimal digits'],
    [{ skip: '-1' }, 'skip must be an integer from 0 to 9007199254740991, in decimal digits'],
    [{ authorId: 'not-a-uuid' }, 'authorId must be a UUID'],
    [{ status: 'deleted' }, 'status must be one of: draft, published, archived'],
    [{ q: '' }, 'q must be longer than or equal to 1 characters'],
    [{ $where: 'sleep(1)' }, 'property $where should not exist'],
    [{ sort: 'title' }, 'property sort should not exist'],
  ])('rejects %j', async (value, message) => {
    expect((await query(value)).messages).toContain(message);
  });
});

describe('ContentStatsQueryDto', () => {
  it('defaults tagLimit to 10 and validates it', async () => {
    expect((await validate(ContentStatsQueryDto, {}, 'query')).value).toMatchObject({
      tagLimit: 10,
    });
    expect((await validate(ContentStatsQueryDto, { tagLimit: '101' }, 'query')).messages).toContain(
      'tagLimit must be an integer from 1 to 100, in decimal digits',
    );
    expect((await validate(ContentStatsQueryDto, { other: '1' }, 'query')).messages).toContain(
      'property other should not exist',
    );
  });
});
