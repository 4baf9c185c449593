import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UserRole } from '../users/user-role';
import { AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';
import { AuthService } from './auth.service';

/**
 * Global guard: every route needs a bearer token unless marked `@Public()`. A token that is
 * present is always checked, so an invalid token is 401 on public routes too.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;

    const header = request.headers.authorization;
    if (header !== undefined) {
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) {
        throw new UnauthorizedException('authorization header must be "Bearer <token>"');
      }
      request.user = await this.auth.authenticate(token);
    } else if (!isPublic) {
      throw new UnauthorizedException('a bearer token is required');
    }

    const roles = this.reflector.getAllAndOverride<UserRole[]>(REQUIRED_ROLES, targets);
    if (roles?.length && !roles.includes(request.user!.role)) {
      throw new ForbiddenException(`requires role: ${roles.join(' or ')}`);
    }
    return true;
  }
}
