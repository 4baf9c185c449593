import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, PublicWithOptionalToken } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiPageResponse, PageDto } from '../common/pagination';
import { MAX_BULK_ITEMS, ParseBulkContentPipe } from './bulk-content';
import { ContentService } from './content.service';
import { ContentStatsQueryDto } from './dto/content-stats-query.dto';
import {
  BulkCreateResultDto,
  ContentCommentDto,
  ContentDto,
  ContentStatsDto,
} from './dto/content.dto';
import { CreateContentCommentDto } from './dto/create-content-comment.dto';
import { CreateContentDto } from './dto/create-content.dto';
import { ListContentQueryDto } from './dto/list-content-query.dto';
import { ReplaceContentDto } from './dto/replace-content.dto';
import { UpdateContentDto } from './dto/update-content.dto';
import { ApiObjectIdParam, ObjectIdParam } from './object-id-param';

@ApiTags('content')
@Controller('content')
export class ContentController {
  constructor(private readonly content: ContentService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Create a content document',
    description:
      'The caller is the author. Absent fields take defaults: empty body, status `draft`, ' +
      'no tags, empty metadata.',
  })
  @ApiCreatedResponse({ type: ContentDto })
  @ApiErrors(400, 401, 413, 503)
  create(@CurrentUser() author: AuthUser, @Body() dto: CreateContentDto): Promise<ContentDto> {
    return this.content.create(author, dto);
  }

  @Post('bulk')
  @ApiBearerAuth()
  @ApiOperation({
    summary: `Create up to ${MAX_BULK_ITEMS} content documents in one insertMany`,
    description:
      'Every item is validated before anything is written: any invalid item is a 400 whose ' +
      'messages start with its index (`[3] title must be…`), and nothing is created. Should ' +
      'the store refuse an item, the error lists the items created, the one that failed and ' +
      'why, and those not attempted. The 1 MB body limit applies.',
  })
  @ApiBody({
    schema: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BULK_ITEMS,
      items: { $ref: getSchemaPath(CreateContentDto) },
    },
  })
  @ApiCreatedResponse({ type: BulkCreateResultDto })
  @ApiErrors(400, 401, 409, 413, 503)
  createMany(
    @CurrentUser() author: AuthUser,
    @Body(new ParseBulkContentPipe()) items: CreateContentDto[],
  ): Promise<BulkCreateResultDto> {
    return this.content.createMany(author, items);
  }

  @PublicWithOptionalToken()
  @Get()
  @ApiOperation({
    summary: 'List content documents',
    description:
      'Newest first, or by relevance with `q`. Drafts are listed only for their author and ' +
      'admins. Filters combine with AND.',
  })
  @ApiPageResponse(ContentDto)
  @ApiErrors(400, 401, 503)
  list(
    @Query() query: ListContentQueryDto,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<PageDto<ContentDto>> {
    return this.content.list(query, viewer);
  }

  // Declared before `:id`, which would otherwise take "stats" for a (malformed) id.
  @PublicWithOptionalToken()
  @Get('stats')
  @ApiOperation({
    summary: 'Counts by status and the most used tags',
    description:
      'One aggregation pipeline over the documents visible to the caller (drafts only for ' +
      'their author and admins).',
  })
  @ApiOkResponse({ type: ContentStatsDto })
  @ApiErrors(400, 401, 503)
  stats(
    @Query() query: ContentStatsQueryDto,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<ContentStatsDto> {
    return this.content.stats(query, viewer);
  }

  @PublicWithOptionalToken()
  @Get(':id')
  @ApiObjectIdParam()
  @ApiOperation({
    summary: 'Get a content document',
    description: 'A draft is found only by its author and admins (404 for anyone else).',
  })
  @ApiOkResponse({ type: ContentDto })
  @ApiErrors(400, 401, 404, 503)
  findOne(@ObjectIdParam() id: string, @CurrentUser() viewer?: AuthUser): Promise<ContentDto> {
    return this.content.findOne(id, viewer);
  }

  @Patch(':id')
  @ApiBearerAuth()
  @ApiObjectIdParam()
  @ApiOperation({
    summary: 'Update some fields of a content document (owner or admin)',
    description:
      'Partial `$set`: absent fields are untouched, `null` is a 400. A given `metadata` ' +
      'replaces the stored one as a whole.',
  })
  @ApiOkResponse({ type: ContentDto })
  @ApiErrors(400, 401, 403, 404, 413, 503)
  update(
    @ObjectIdParam() id: string,
    @Body() dto: UpdateContentDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<ContentDto> {
    return this.content.update(id, dto, caller);
  }

  @Put(':id')
  @ApiBearerAuth()
  @ApiObjectIdParam()
  @ApiOperation({
    summary: 'Replace the editable fields of a content document (owner or admin)',
    description:
      '`title` is required; absent `body`, `status`, `tags`, `metadata` go back to their ' +
      'defaults. Any other field is a 400. Author, comments and createdAt are kept.',
  })
  @ApiOkResponse({ type: ContentDto })
  @ApiErrors(400, 401, 403, 404, 413, 503)
  replace(
    @ObjectIdParam() id: string,
    @Body() dto: ReplaceContentDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<ContentDto> {
    return this.content.replace(id, dto, caller);
  }

  @Delete(':id')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiObjectIdParam()
  @ApiOperation({ summary: 'Delete a content document (owner or admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404, 503)
  remove(@ObjectIdParam() id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    return this.content.remove(id, caller);
  }

  @Post(':id/comments')
  @ApiBearerAuth()
  @ApiObjectIdParam()
  @ApiOperation({
    summary: 'Comment on a content document',
    description:
      'Appended to the embedded comments with `$push`; the document’s updatedAt is unchanged. ' +
      'A document takes at most 1000 comments (409 after that).',
  })
  @ApiCreatedResponse({ type: ContentCommentDto })
  @ApiErrors(400, 401, 404, 409, 503)
  addComment(
    @ObjectIdParam() id: string,
    @Body() dto: CreateContentCommentDto,
    @CurrentUser() author: AuthUser,
  ): Promise<ContentCommentDto> {
    return this.content.addComment(id, dto, author);
  }
}
