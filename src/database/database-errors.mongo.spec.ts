import mongoose from 'mongoose';
import { classifyDatabaseError } from './database-errors';

const { MongoNetworkError, MongoNotConnectedError, MongoServerError, MongoServerSelectionError } =
  mongoose.mongo;

describe('classifyDatabaseError on MongoDB errors', () => {
  it('maps a duplicate key (11000) to unique', () => {
    const error = new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' });
    expect(classifyDatabaseError(error)).toBe('unique');
  });

  it.each([
    [
      'a failed server selection',
      () => new MongoServerSelectionError('no server', { servers: new Map() } as never),
    ],
    [
      "Mongoose's failed server selection",
      () => new mongoose.Error.MongooseServerSelectionError('no server'),
    ],
    ['a network error', () => new MongoNetworkError('connection reset')],
    ['a client that is not connected', () => new MongoNotConnectedError('not connected')],
    [
      'a primary that stepped down',
      () => new MongoServerError({ code: 189, errmsg: 'stepped down' }),
    ],
    [
      "Mongoose's buffering timeout",
      () => new mongoose.Error('Operation `contents.find()` buffering timed out after 5000ms'),
    ],
  ])('maps %s to unavailable', (_name, build) => {
    expect(classifyDatabaseError(build())).toBe('unavailable');
  });

  it('does not read Mongo codes as SQL states or the reverse', () => {
    // 23505 is PostgreSQL's unique violation, not a Mongo code.
    expect(
      classifyDatabaseError(new MongoServerError({ code: 23505, errmsg: 'x' })),
    ).toBeUndefined();
    expect(classifyDatabaseError(Object.assign(new Error('x'), { code: 11000 }))).toBeUndefined();
  });

  it('leaves other Mongo errors (a bad query, a validation error) to the generic handling', () => {
    expect(
      classifyDatabaseError(new MongoServerError({ code: 2, errmsg: 'bad value' })),
    ).toBeUndefined();
    expect(classifyDatabaseError(new mongoose.Error('something else'))).toBeUndefined();
  });
});
