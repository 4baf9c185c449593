import { BadRequestException, HttpException } from '@nestjs/common';
import mongoose from 'mongoose';
import { describeBulkInsertFailure, MAX_BULK_ITEMS, ParseBulkContentPipe } from './bulk-content';

function messagesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as HttpException).getResponse() as { message: string[] }).message;
  }
  throw new Error('expected a 400');
}

describe('ParseBulkContentPipe', () => {
  const pipe = new ParseBulkContentPipe();

  it('validates and transforms every item like the single-create body', () => {
    const items = pipe.transform([
      { title: 'One', tags: ['A b'] },
      { title: 'Two', status: 'published' },
    ]);
    expect(items).toEqual([
      expect.objectContaining({ title: 'One', tags: ['a-b'] }),
      expect.objectContaining({ title: 'Two', status: 'published' }),
    ]);
  });

  it('names the index of every invalid item, all of them, not only the first', () => {
    expect(
      messagesOf(() =>
        pipe.transform([
          { title: 'fine' },
          { title: '' },
          { title: 'ok', authorId: 'someone-else' },
          { title: 'ok', metadata: { a: { $gt: 1 } } },
          'not an object',
        ]),
      ),
    ).toEqual([
      '[1] title must be longer than or equal to 1 characters',
      '[2] property authorId should not exist',
      '[3] metadata key "$gt" at metadata.a may not start with "$"',
      '[4] must be an object',
    ]);
  });

  it.each([
    ['an object', { title: 'x' }, 'body must be an array of content items'],
    ['an empty array', [], 'body must contain at least 1 item'],
    [
      `${MAX_BULK_ITEMS + 1} items`,
      Array.from({ length: MAX_BULK_ITEMS + 1 }, () => ({ title: 'x' })),
      `body must contain at most ${MAX_BULK_ITEMS} items, got ${MAX_BULK_ITEMS + 1}`,
    ],
  ])('rejects %s', (_case, body, message) => {
    expect(messagesOf(() => pipe.transform(body))).toEqual([message]);
  });

  it(`accepts exactly ${MAX_BULK_ITEMS} items`, () => {
    expect(
      pipe.transform(Array.from({ length: MAX_BULK_ITEMS }, () => ({ title: 'x' }))),
    ).toHaveLength(MAX_BULK_ITEMS);
  });
});

describe('describeBulkInsertFailure', () => {
  const created = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];

  it('says which items were created, which failed and why, and which were not attempted', () => {
    // The shape Mongoose gives an ordered insertMany failure: re-indexed, spread WriteErrors.
    const error = Object.assign(new Error('E11000'), {
      writeErrors: [{ index: 2, err: { code: 11000, errmsg: 'E11000 duplicate key error' } }],
      insertedDocs: created.map((_id) => ({ _id })),
    });
    const answer = describeBulkInsertFailure(error, 5);
    expect(answer?.getStatus()).toBe(409);
    expect((answer?.getResponse() as { message: string[] }).message).toEqual([
      '[2] was not created: E11000 duplicate key error',
      `2 of 5 items were created: ${created[0].toHexString()}, ${created[1].toHexString()}`,
      'items [3] to [4] were not attempted',
    ]);
  });

  it('answers 500 with the details when a write failed for another reason', () => {
    const error = {
      writeErrors: { index: 0, code: 121, errmsg: 'Document failed validation' },
      insertedDocs: [],
    };
    const answer = describeBulkInsertFailure(error, 1);
    expect(answer?.getStatus()).toBe(500);
    expect((answer?.getResponse() as { message: string[] }).message).toEqual([
      '[0] was not created: Document failed validation',
      'none of the 1 items was created',
    ]);
  });

  it('leaves errors that are not per-item write errors (the store is down) to the filter', () => {
    expect(
      describeBulkInsertFailure(new mongoose.mongo.MongoNetworkError('reset'), 3),
    ).toBeUndefined();
    expect(describeBulkInsertFailure(undefined, 3)).toBeUndefined();
  });
});
