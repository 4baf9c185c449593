import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, PublicWithOptionalToken, Roles } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiPageResponse, PageDto } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.decorator';
import { UserRole } from '../users/user-role';
import { CreateTagDto } from './dto/create-tag.dto';
import { ListTagsQueryDto } from './dto/list-tags-query.dto';
import { TagDto } from './dto/tag.dto';
import { UpdateTagDto } from './dto/update-tag.dto';
import { TagsService } from './tags.service';

const TAG_VISIBILITY =
  'Tags carried only by drafts are seen by those who may see one of the drafts (their authors, ' +
  "admins); to anyone else such a tag does not exist (not listed, 404), so that a draft's tags " +
  'do not tell what it is about. Tags on no post at all are public. A name is one namespace for ' +
  'all: POST /tags answers 409 for a name that exists, seen or not.';

@ApiTags('tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @PublicWithOptionalToken()
  @Get()
  @ApiOperation({
    summary: 'List tags',
    description: `${TAG_VISIBILITY} \`postCount\` counts published posts. Default sort: \`name\`.`,
  })
  @ApiPageResponse(TagDto)
  @ApiErrors(400, 401)
  list(
    @Query() query: ListTagsQueryDto,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<PageDto<TagDto>> {
    return this.tags.list(query, viewer);
  }

  @PublicWithOptionalToken()
  @Get(':id')
  @ApiOperation({ summary: 'Get a tag', description: TAG_VISIBILITY })
  @ApiOkResponse({ type: TagDto })
  @ApiErrors(400, 401, 404)
  findOne(@UuidParam() id: string, @CurrentUser() viewer?: AuthUser): Promise<TagDto> {
    return this.tags.findOne(id, viewer);
  }

  @Post()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Create a tag',
    description: 'The name is normalised as on posts; a name that exists is 409.',
  })
  @ApiCreatedResponse({ type: TagDto })
  @ApiErrors(400, 401, 409)
  create(@Body() dto: CreateTagDto): Promise<TagDto> {
    return this.tags.create(dto);
  }

  @Patch(':id')
  @Roles(UserRole.Admin)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Rename a tag (admin)',
    description: 'Posts keep the tag under its new name; a name another tag has is 409.',
  })
  @ApiOkResponse({ type: TagDto })
  @ApiErrors(400, 401, 403, 404, 409)
  rename(
    @UuidParam() id: string,
    @Body() dto: UpdateTagDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<TagDto> {
    return this.tags.rename(id, dto, caller);
  }

  @Delete(':id')
  @Roles(UserRole.Admin)
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Delete a tag (admin)',
    description: 'Posts keep existing, without this tag.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404)
  remove(@UuidParam() id: string): Promise<void> {
    return this.tags.remove(id);
  }
}
