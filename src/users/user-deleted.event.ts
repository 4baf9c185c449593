/**
 * Emitted after a user row is deleted. Relational data goes with the row through foreign keys;
 * stores the database cannot cascade into (the MongoDB content module) listen for this instead,
 * so the users module never imports them.
 */
export class UserDeletedEvent {
  static readonly eventName = 'user.deleted';

  constructor(readonly userId: string) {}
}
