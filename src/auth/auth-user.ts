import { UserRole } from '../users/user-role';

/** The caller, as resolved from a valid bearer token and the current database row. */
export interface AuthUser {
  id: string;
  username: string;
  role: UserRole;
}

export function isAdmin(user: AuthUser | undefined): boolean {
  return user?.role === UserRole.Admin;
}
