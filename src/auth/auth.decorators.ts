import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { UserRole } from '../users/user-role';
import { AuthUser } from './auth-user';

export const IS_PUBLIC = 'auth:isPublic';
export const REQUIRED_ROLES = 'auth:roles';

/** Reachable without a token; a valid token still identifies the caller, an invalid one is 401. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const Roles = (...roles: UserRole[]) => SetMetadata(REQUIRED_ROLES, roles);

/** What the auth guard reads from a request and adds to it, on either platform. */
export interface AuthenticatedRequest {
  headers: IncomingHttpHeaders;
  user?: AuthUser;
}

/** The caller on a protected route; on a public route, the caller or `undefined`. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
