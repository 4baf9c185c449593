import { Profile } from '../users/profile.entity';
import { User } from '../users/user.entity';

/** Every entity of the relational schema, listed once for the app and the migration CLI. */
export const ENTITIES = [User, Profile];
