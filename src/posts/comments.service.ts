import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthUser, isAdmin } from '../auth/auth-user';
import { PageDto, PaginationQueryDto, toPage } from '../common/pagination';
import { classifyDatabaseError } from '../database/database-errors';
import { RawValueReader } from '../database/raw-values';
import { Comment } from './comment.entity';
import { CommentDto, CreateCommentDto } from './dto/comment.dto';
import { Post } from './post.entity';
import { PostsService } from './posts.service';

interface CommentRow {
  id: string;
  postId: string;
  body: string;
  createdAt: unknown;
  authorId: string;
  authorUsername: string;
}

/** Comments live under posts: whoever cannot see a post (a draft) cannot reach its comments. */
@Injectable()
export class CommentsService {
  private readonly commentValues: RawValueReader;
  private readonly postValues: RawValueReader;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posts: PostsService,
  ) {
    this.commentValues = new RawValueReader(dataSource, Comment);
    this.postValues = new RawValueReader(dataSource, Post);
  }

  async create(postId: string, author: AuthUser, dto: CreateCommentDto): Promise<CommentDto> {
    await this.posts.assertVisible(postId, author);
    const comment = {
      id: randomUUID(),
      postId,
      authorId: author.id,
      body: dto.body,
      createdAt: new Date(),
    };
    try {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(Comment)
        .values(comment)
        .updateEntity(false)
        .execute();
    } catch (error) {
      // The post was deleted between the check and the insert.
      if (classifyDatabaseError(error) === 'foreign-key') {
        throw new NotFoundException('post not found');
      }
      throw error;
    }
    return {
      id: comment.id,
      postId,
      body: comment.body,
      createdAt: comment.createdAt,
      author: { id: author.id, username: author.username },
    };
  }

  /** Oldest first; the page and the total run together after the visibility check. */
  async list(
    postId: string,
    query: PaginationQueryDto,
    viewer?: AuthUser,
  ): Promise<PageDto<CommentDto>> {
    await this.posts.assertVisible(postId, viewer);
    const ofPost = this.dataSource
      .createQueryBuilder(Comment, 'comment')
      .where('comment.postId = :postId', { postId });
    const page = ofPost
      .clone()
      .innerJoin('comment.author', 'author')
      .select('comment.id', 'id')
      .addSelect('comment.postId', 'postId')
      .addSelect('comment.body', 'body')
      .addSelect('comment.createdAt', 'createdAt')
      .addSelect('author.id', 'authorId')
      .addSelect('author.username', 'authorUsername')
      .orderBy('comment.createdAt', 'ASC')
      .addOrderBy('comment.id', 'ASC')
      .offset(query.skip)
      .limit(query.limit);
    const [rows, counted] = await Promise.all([
      page.getRawMany<CommentRow>(),
      ofPost.clone().select('COUNT(*)', 'total').getRawOne<{ total: unknown }>(),
    ]);
    return toPage(
      rows.map((row) => this.toCommentDto(row)),
      Number(counted?.total ?? 0),
      query,
    );
  }

  /**
   * The comment's author, the post's author and admins may delete it. A comment on a post the
   * caller cannot see is 404 (unless they wrote it), as the post itself would be.
   */
  async remove(id: string, caller: AuthUser): Promise<void> {
    const found = await this.dataSource
      .createQueryBuilder(Comment, 'comment')
      .innerJoin('comment.post', 'post')
      .select('comment.authorId', 'authorId')
      .addSelect('post.authorId', 'postAuthorId')
      .addSelect('post.published', 'postPublished')
      .where('comment.id = :id', { id })
      .getRawOne<{ authorId: string; postAuthorId: string; postPublished: unknown }>();
    if (!found) throw new NotFoundException('comment not found');

    const wroteComment = found.authorId === caller.id;
    const ownsPost = found.postAuthorId === caller.id;
    const seesPost =
      ownsPost ||
      isAdmin(caller) ||
      this.postValues.read<boolean>('published', found.postPublished);
    if (!wroteComment && !seesPost) throw new NotFoundException('comment not found');
    if (!wroteComment && !ownsPost && !isAdmin(caller)) {
      throw new ForbiddenException(
        "only the comment's author, the post's author or an admin may delete a comment",
      );
    }
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(Comment)
      .where('id = :id', { id })
      .execute();
  }

  private toCommentDto(row: CommentRow): CommentDto {
    return {
      id: row.id,
      postId: row.postId,
      body: row.body,
      createdAt: this.commentValues.read<Date>('createdAt', row.createdAt),
      author: { id: row.authorId, username: row.authorUsername },
    };
  }
}
