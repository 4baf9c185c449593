import { ExecutionContext, SetMetadata } from '@nestjs/common';

const LOGIN_ROUTE = 'rateLimit:loginRoute';

/** Marks the route the login limit applies to (LOGIN_RATE_LIMIT a minute per client). */
export const LoginRateLimit = () => SetMetadata(LOGIN_ROUTE, true);

export function isLoginRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(LOGIN_ROUTE, context.getHandler()) === true;
}
