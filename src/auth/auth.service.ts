import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { authConfig, AuthConfig } from '../config/configuration';
import { PasswordHasher } from '../users/password-hasher';
import { LoginFailureLimit } from '../rate-limiting/login-failure-limit';
import { normalizeLogin, UsersService } from '../users/users.service';
import { AuthUser } from './auth-user';
import { AccessTokenDto } from './dto/access-token.dto';
import { LoginDto } from './dto/login.dto';

interface TokenPayload {
  sub: string;
  /** The account's `tokenVersion` at login; absent in tokens issued before it existed (0). */
  ver?: number;
}

export const INVALID_CREDENTIALS = 'invalid login or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly loginFailures: LoginFailureLimit,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /**
   * Wrong login, wrong password and inactive account all answer the same 401, and count alike
   * towards the login name's limit of failures (429 once it is reached, before any password is
   * checked).
   */
  async login(dto: LoginDto): Promise<AccessTokenDto> {
    const loginName = normalizeLogin(dto.login);
    await this.loginFailures.countAttempt(loginName);
    const account = await this.users.findCredentials(loginName);
    const valid = account
      ? await this.passwords.verify(account.passwordHash, dto.password)
      : await this.passwords.verifyAgainstNothing(dto.password);
    if (!account || !valid || !account.isActive) {
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    await this.loginFailures.forgive(loginName);
    const payload: TokenPayload = { sub: account.id, ver: account.tokenVersion };
    return {
      accessToken: await this.jwt.signAsync(payload),
      tokenType: 'Bearer',
      expiresIn: this.config.jwtExpiresInSeconds,
    };
  }

  /**
   * Resolves a bearer token to its user. The row is read on every request so that a deleted or
   * deactivated account, a changed role or a changed password (which revokes the tokens issued
   * before it) takes effect at once rather than at token expiry.
   */
  async authenticate(token: string): Promise<AuthUser> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('invalid or expired token');
    }
    const version = payload.ver ?? 0;
    const user =
      typeof payload.sub === 'string' && Number.isSafeInteger(version)
        ? await this.users.findActiveAuthUser(payload.sub, version)
        : null;
    if (!user) throw new UnauthorizedException('invalid or expired token');
    return user;
  }
}
