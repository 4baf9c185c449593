import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { classifyDatabaseError } from '../database/database-errors';
import { UserDeletedEvent } from '../users/user-deleted.event';
import { ContentService } from './content.service';

/**
 * Deletes a deleted user's content documents. MongoDB cannot cascade from the relational users
 * table, and the users module must not know this optional module, hence an event.
 */
@Injectable()
export class ContentUserDeletedListener {
  private readonly logger = new Logger('ContentModule');

  constructor(private readonly content: ContentService) {}

  // suppressErrors: false lets a failure reach the DELETE /users answer, which must not say
  // "everything is gone" while the documents are still there.
  @OnEvent(UserDeletedEvent.eventName, { suppressErrors: false })
  async onUserDeleted(event: UserDeletedEvent): Promise<void> {
    try {
      await this.content.removeAllOfAuthor(event.userId);
    } catch (error) {
      this.logger.error(
        `user ${event.userId} was deleted, but their content was not: ${String(error)}`,
      );
      if (classifyDatabaseError(error) !== 'unavailable') throw error;
      throw new ServiceUnavailableException(
        'the user was deleted, but their content documents could not be removed: ' +
          'the content store is unavailable',
      );
    }
  }
}
