import { INestApplicationContext, Logger, ServiceUnavailableException } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { EVENT_LISTENER_METADATA } from '@nestjs/event-emitter/dist/constants';
import { Test } from '@nestjs/testing';
import mongoose from 'mongoose';
import { UserDeletedEvent } from '../users/user-deleted.event';
import { ContentService } from './content.service';
import { ContentUserDeletedListener } from './user-deleted.listener';

const userId = '44444444-4444-4444-8444-444444444444';

/**
 * The listener with a content store that fails as given. What a working store is left with is
 * proven on MongoDB: test/content-service.e2e-spec.ts (removeAllOfAuthor) and
 * test/content.e2e-spec.ts (DELETE /users/:id).
 */
async function contextWithFailingStore(failure: Error): Promise<INestApplicationContext> {
  const failingStore: Pick<ContentService, 'removeAllOfAuthor'> = {
    removeAllOfAuthor: () => Promise.reject(failure),
  };
  const moduleRef = await Test.createTestingModule({
    imports: [EventEmitterModule.forRoot()],
    providers: [ContentUserDeletedListener, { provide: ContentService, useValue: failingStore }],
  }).compile();
  // Listeners are subscribed when the application bootstraps.
  return moduleRef.createNestApplication().init();
}

describe('ContentUserDeletedListener', () => {
  let loggedErrors: jest.SpyInstance;
  beforeEach(() => {
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => loggedErrors.mockRestore());

  it(`is registered for ${UserDeletedEvent.eventName}, letting errors reach the emitter`, () => {
    expect(
      Reflect.getMetadata(
        EVENT_LISTENER_METADATA,
        ContentUserDeletedListener.prototype.onUserDeleted,
      ),
    ).toEqual([{ event: UserDeletedEvent.eventName, options: { suppressErrors: false } }]);
  });

  it('turns an unreachable store into a 503 that says the user is gone but the content is not', async () => {
    const app = await contextWithFailingStore(new mongoose.mongo.MongoNetworkError('reset'));
    try {
      await expect(
        app.get(EventEmitter2).emitAsync(UserDeletedEvent.eventName, new UserDeletedEvent(userId)),
      ).rejects.toThrow(ServiceUnavailableException);
      expect(loggedErrors).toHaveBeenCalledWith(
        `user ${userId} was deleted, but their content was not: MongoNetworkError: reset`,
      );
    } finally {
      await app.close();
    }
  });

  it('rethrows any other failure as it is', async () => {
    const app = await contextWithFailingStore(new TypeError('bug'));
    try {
      await expect(
        app.get(EventEmitter2).emitAsync(UserDeletedEvent.eventName, new UserDeletedEvent(userId)),
      ).rejects.toThrow(TypeError);
    } finally {
      await app.close();
    }
  });
});
