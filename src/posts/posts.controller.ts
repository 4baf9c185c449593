import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, PublicWithOptionalToken } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiCursorPageResponse, CursorPageDto } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.decorator';
import { CreatePostDto } from './dto/create-post.dto';
import { ListPostsQueryDto } from './dto/list-posts-query.dto';
import { PostDto } from './dto/post.dto';
import { UpdatePostDto } from './dto/update-post.dto';
import { PostsService } from './posts.service';

const VISIBILITY =
  'Drafts are visible only to their author and admins; to anyone else they do not exist (404).';

@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Create a post (author = caller)',
    description:
      'One transaction: missing tags are created, the post and its tag links written; on any ' +
      "failure nothing is left. The slug is the title's slug with a random suffix (see `slug`).",
  })
  @ApiCreatedResponse({ type: PostDto })
  @ApiErrors(400, 401, 413)
  create(@CurrentUser() author: AuthUser, @Body() dto: CreatePostDto): Promise<PostDto> {
    return this.posts.create(author, dto);
  }

  @PublicWithOptionalToken()
  @Get()
  @ApiOperation({
    summary: 'List posts',
    description:
      'Anonymous callers see published posts; a signed-in caller also their own drafts; admins ' +
      'everything. Filters combine (AND). Paginate with `skip`, or with `cursor` (the ' +
      '`nextCursor` of the previous page) at the same cost at any depth.',
  })
  @ApiCursorPageResponse(PostDto)
  @ApiErrors(400, 401)
  list(
    @Query() query: ListPostsQueryDto,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<CursorPageDto<PostDto>> {
    return this.posts.list(query, viewer);
  }

  @PublicWithOptionalToken()
  @Get('by-slug/:slug')
  @ApiOperation({ summary: 'Get a post by its slug', description: VISIBILITY })
  @ApiParam({ name: 'slug', example: 'designing-many-to-many-relations-k3x9qa' })
  @ApiOkResponse({ type: PostDto })
  @ApiErrors(401, 404)
  findBySlug(@Param('slug') slug: string, @CurrentUser() viewer?: AuthUser): Promise<PostDto> {
    return this.posts.findBySlug(slug, viewer);
  }

  @PublicWithOptionalToken()
  @Get(':id')
  @ApiOperation({ summary: 'Get a post', description: VISIBILITY })
  @ApiOkResponse({ type: PostDto })
  @ApiErrors(400, 401, 404)
  findOne(@UuidParam() id: string, @CurrentUser() viewer?: AuthUser): Promise<PostDto> {
    return this.posts.findOne(id, viewer);
  }

  @Patch(':id')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Update a post (author or admin)',
    description:
      'Partial. `tags` replaces the set. The slug does not follow title changes. `publishedAt` ' +
      'is set the first time the post is published and kept if it is unpublished later.',
  })
  @ApiOkResponse({ type: PostDto })
  @ApiErrors(400, 401, 403, 404, 413)
  update(
    @UuidParam() id: string,
    @Body() dto: UpdatePostDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<PostDto> {
    return this.posts.update(id, dto, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Delete a post (author or admin)',
    description: 'Its comments and tag links go with it; the tags stay.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404)
  remove(@UuidParam() id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    return this.posts.remove(id, caller);
  }
}
