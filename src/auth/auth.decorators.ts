import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { IncomingHttpHeaders } from 'node:http';
import { UserRole } from '../users/user-role';
import { AuthUser } from './auth-user';

export const IS_PUBLIC = 'auth:isPublic';
export const REQUIRED_ROLES = 'auth:roles';

/** Reachable without a token; a valid token still identifies the caller, an invalid one is 401. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * A public route that treats a caller with a valid token as that user (their drafts, their own
 * e-mail): `Public()`, documented as optional bearer auth (`security: [{}, { bearer: [] }]`) so
 * that clients and validators take a call with or without a token.
 */
export const PublicWithOptionalToken = () =>
  applyDecorators(Public(), ApiSecurity({}), ApiBearerAuth());

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
