import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Public, PublicWithOptionalToken } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiCursorPageResponse, CursorPageDto } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.decorator';
import { ListUserPostsQueryDto } from '../posts/dto/list-posts-query.dto';
import { PostDto } from '../posts/dto/post.dto';
import { TopAuthorDto, TopAuthorsQueryDto } from '../posts/dto/top-authors.dto';
import { PostsService } from '../posts/posts.service';
import { UsersService } from './users.service';

/**
 * The routes of section 2 that are about a user's posts, under `/users` where a reader looks for
 * them; the posts module, whose data they are, answers them through PostsService. No route here
 * can be taken for `GET /users/:id`: that one matches a single path segment, these two or three.
 */
@ApiTags('users')
@Controller('users')
export class UserPostsController {
  constructor(
    private readonly users: UsersService,
    private readonly posts: PostsService,
  ) {}

  @Public()
  @Get('stats/top-authors')
  @ApiOperation({
    summary: 'Authors with the most published posts',
    description: 'Most posts first (ties: latest `lastPostAt`), from one grouped query.',
  })
  @ApiOkResponse({ type: [TopAuthorDto] })
  @ApiErrors(400, 401)
  topAuthors(@Query() query: TopAuthorsQueryDto): Promise<TopAuthorDto[]> {
    return this.posts.topAuthors(query.limit);
  }

  @PublicWithOptionalToken()
  @Get(':id/posts')
  @ApiOperation({
    summary: "A user's posts",
    description:
      'Published posts, plus drafts for the user themself and admins; the filters and ' +
      'pagination of `GET /posts`. An unknown user is 404.',
  })
  @ApiCursorPageResponse(PostDto)
  @ApiErrors(400, 401, 404)
  list(
    @UuidParam() id: string,
    @Query() query: ListUserPostsQueryDto,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<CursorPageDto<PostDto>> {
    return this.users.listPosts(id, query, viewer);
  }
}
