import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, PublicWithOptionalToken } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiPageResponse, PageDto, PaginationQueryDto } from '../common/pagination';
import { UuidParam } from '../common/uuid-param.decorator';
import { CommentsService } from './comments.service';
import { CommentDto, CreateCommentDto } from './dto/comment.dto';

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Post('posts/:id/comments')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Comment on a post',
    description:
      'On a post the caller can see: a draft is 404 to anyone but its author and admins.',
  })
  @ApiCreatedResponse({ type: CommentDto })
  @ApiErrors(400, 401, 404, 413)
  create(
    @UuidParam() id: string,
    @CurrentUser() author: AuthUser,
    @Body() dto: CreateCommentDto,
  ): Promise<CommentDto> {
    return this.comments.create(id, author, dto);
  }

  @PublicWithOptionalToken()
  @Get('posts/:id/comments')
  @ApiOperation({
    summary: "A post's comments, oldest first",
    description: 'The comments of a draft are 404 to anyone but its author and admins.',
  })
  @ApiPageResponse(CommentDto)
  @ApiErrors(400, 401, 404)
  list(
    @UuidParam() id: string,
    @Query() query: PaginationQueryDto,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<PageDto<CommentDto>> {
    return this.comments.list(id, query, viewer);
  }

  @Delete('comments/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Delete a comment (its author, the post's author or an admin)" })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404)
  remove(@UuidParam() id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    return this.comments.remove(id, caller);
  }
}
