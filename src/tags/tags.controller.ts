import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public, Roles } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiPageResponse, PageDto } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.decorator';
import { UserRole } from '../users/user-role';
import { CreateTagDto } from './dto/create-tag.dto';
import { ListTagsQueryDto } from './dto/list-tags-query.dto';
import { TagDto } from './dto/tag.dto';
import { UpdateTagDto } from './dto/update-tag.dto';
import { TagsService } from './tags.service';

@ApiTags('tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'List tags',
    description: '`postCount` counts published posts. Default sort: `name`.',
  })
  @ApiPageResponse(TagDto)
  @ApiErrors(400, 401)
  list(@Query() query: ListTagsQueryDto): Promise<PageDto<TagDto>> {
    return this.tags.list(query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'Get a tag' })
  @ApiOkResponse({ type: TagDto })
  @ApiErrors(400, 401, 404)
  findOne(@UuidParam() id: string): Promise<TagDto> {
    return this.tags.findOne(id);
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
  rename(@UuidParam() id: string, @Body() dto: UpdateTagDto): Promise<TagDto> {
    return this.tags.rename(id, dto);
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
