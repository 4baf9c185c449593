import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Public, PublicWithOptionalToken } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { NO_STORE } from '../common/cache-control';
import { ApiPageResponse, PageDto } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.decorator';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Public()
  @Post()
  @Header(...NO_STORE)
  @ApiOperation({
    summary: 'Register a user',
    description: 'User and profile are written in one transaction. The answer includes the email.',
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 409, 413)
  register(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.register(dto);
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'List users',
    description: '`search` matches username and full name (and email, for admins).',
  })
  @ApiPageResponse(UserDto)
  @ApiErrors(400, 401)
  list(
    @Query() query: ListUsersQueryDto,
    @CurrentUser() viewer: AuthUser,
  ): Promise<PageDto<UserDto>> {
    return this.users.list(query, viewer);
  }

  @PublicWithOptionalToken()
  @Get(':id')
  @ApiOperation({
    summary: 'Get a user',
    description: 'Email only for the user themself and admins.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 404)
  findOne(@UuidParam() id: string, @CurrentUser() viewer?: AuthUser): Promise<UserDto> {
    return this.users.findOne(id, viewer);
  }

  @Patch(':id')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Update a user (owner or admin)',
    description:
      'Partial: absent fields are untouched, `null` clears `fullName`, `profile` and profile fields. ' +
      '`isActive` and `role` are for admins only.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404, 409, 413)
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateUserDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<UserDto> {
    return this.users.update(id, dto, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Delete a user (owner or admin)',
    description: 'Their profile, posts and comments are deleted with them.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404)
  remove(@UuidParam() id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    return this.users.remove(id, caller);
  }
}
