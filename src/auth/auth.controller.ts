import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { NO_STORE } from '../common/cache-control';
import { LoginRateLimit } from '../rate-limiting/login-rate-limit.decorator';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { AuthUser } from './auth-user';
import { CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { AccessTokenDto } from './dto/access-token.dto';
import { LoginDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @LoginRateLimit()
  @Post('login')
  @HttpCode(200)
  @Header(...NO_STORE)
  @ApiOperation({
    summary: 'Log in with username or email',
    description:
      'Rate limited per client address (LOGIN_RATE_LIMIT a minute, default 10), successful or ' +
      'not; and per login name, whatever the address: after 10 failed logins in 15 minutes (from ' +
      'the first failure) the name is refused, the right password included, with 429 and ' +
      'Retry-After. Unknown names are counted and answered exactly like known ones.',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto): Promise<AccessTokenDto> {
    return this.auth.login(dto);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller, with email' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(401)
  me(@CurrentUser() caller: AuthUser): Promise<UserDto> {
    return this.users.findOne(caller.id, caller);
  }
}
