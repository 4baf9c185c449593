import { INestApplicationContext, Logger, ServiceUnavailableException } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { EVENT_LISTENER_METADATA } from '@nestjs/event-emitter/dist/constants';
import { getModelToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import mongoose from 'mongoose';
import { UserDeletedEvent } from '../users/user-deleted.event';
import { Content } from './content.schema';
import { ContentService } from './content.service';
import { ContentUserDeletedListener } from './user-deleted.listener';

const userId = '44444444-4444-4444-8444-444444444444';

function fakeModel(deleteManyResult: () => Promise<unknown>) {
  return {
    deleteMany: jest.fn(() => ({ exec: deleteManyResult })),
    updateMany: jest.fn(() => ({ exec: () => Promise.resolve({ modifiedCount: 0 }) })),
  };
}

async function contextWith(model: ReturnType<typeof fakeModel>): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [EventEmitterModule.forRoot()],
    providers: [
      ContentService,
      ContentUserDeletedListener,
      { provide: getModelToken(Content.name), useValue: model },
    ],
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

  it("deletes the user's documents when UsersService emits the event", async () => {
    const model = fakeModel(() => Promise.resolve({ deletedCount: 2 }));
    const app = await contextWith(model);
    try {
      await app
        .get(EventEmitter2)
        .emitAsync(UserDeletedEvent.eventName, new UserDeletedEvent(userId));
      expect(model.deleteMany).toHaveBeenCalledTimes(1);
      expect(model.deleteMany).toHaveBeenCalledWith({ authorId: userId });
      expect(model.updateMany).toHaveBeenCalledWith(
        { 'comments.authorId': userId },
        { $pull: { comments: { authorId: userId } } },
        { timestamps: false },
      );
    } finally {
      await app.close();
    }
  });

  it('turns an unreachable store into a 503 that says the user is gone but the content is not', async () => {
    const model = fakeModel(() => Promise.reject(new mongoose.mongo.MongoNetworkError('reset')));
    const app = await contextWith(model);
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
    const model = fakeModel(() => Promise.reject(new TypeError('bug')));
    const app = await contextWith(model);
    try {
      await expect(
        app.get(EventEmitter2).emitAsync(UserDeletedEvent.eventName, new UserDeletedEvent(userId)),
      ).rejects.toThrow(TypeError);
    } finally {
      await app.close();
    }
  });
});
