import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AuthUser, isAdmin } from '../auth/auth-user';
import { PageDto, PaginationQueryDto, toPage } from '../common/pagination';
import { classifyDatabaseError } from '../database/database-errors';
import { Comment } from './comment.entity';
import { CommentDto, CreateCommentDto, toCommentDto } from './dto/comment.dto';
import { isVisibleTo } from './post-visibility';
import { PostsService } from './posts.service';
import { ReadRouting } from '../database/read-replicas';

/** Comments live under posts: whoever cannot see a post (a draft) cannot reach its comments. */
@Injectable()
export class CommentsService {
  constructor(
    @InjectRepository(Comment) private readonly commentRepository: Repository<Comment>,
    private readonly reads: ReadRouting,
    private readonly posts: PostsService,
  ) {}

  /** Comment rows: read from the request's replica in a GET request (ReadRouting). */
  private get comments(): Repository<Comment> {
    return this.reads.repository(this.commentRepository);
  }

  async create(postId: string, author: AuthUser, dto: CreateCommentDto): Promise<CommentDto> {
    await this.posts.assertVisible(postId, author);
    const comment = this.comments.create({
      id: randomUUID(),
      postId,
      authorId: author.id,
      body: dto.body,
      createdAt: new Date(),
    });
    try {
      await this.comments.insert({ ...comment });
    } catch (error) {
      // The post was deleted between the check and the insert.
      if (classifyDatabaseError(error) === 'foreign-key') {
        throw new NotFoundException('post not found');
      }
      throw error;
    }
    return toCommentDto({ ...comment, author });
  }

  /**
   * Oldest first, after the visibility check: the page with each comment's author (a many-to-one
   * join, which cannot multiply rows, so LIMIT applies to comments) and the total, which TypeORM
   * counts only when the page is full.
   */
  async list(
    postId: string,
    query: PaginationQueryDto,
    viewer?: AuthUser,
  ): Promise<PageDto<CommentDto>> {
    await this.posts.assertVisible(postId, viewer);
    const [comments, total] = await this.comments
      .createQueryBuilder('comment')
      .innerJoin('comment.author', 'author')
      .addSelect(['author.id', 'author.username'])
      .where('comment.postId = :postId', { postId })
      .orderBy('comment.createdAt', 'ASC')
      .addOrderBy('comment.id', 'ASC')
      .offset(query.skip)
      .limit(query.limit)
      .getManyAndCount();
    return toPage(comments.map(toCommentDto), total, query);
  }

  /**
   * The comment's author, the post's author and admins may delete it. A comment on a post the
   * caller cannot see is 404 (unless they wrote it), as the post itself would be.
   */
  async remove(id: string, caller: AuthUser): Promise<void> {
    const comment = await this.comments
      .createQueryBuilder('comment')
      .innerJoin('comment.post', 'post')
      .select(['comment.id', 'comment.authorId', 'post.id', 'post.authorId', 'post.published'])
      .where('comment.id = :id', { id })
      .getOne();
    if (!comment) throw new NotFoundException('comment not found');

    const wroteComment = comment.authorId === caller.id;
    const ownsPost = comment.post.authorId === caller.id;
    if (!wroteComment && !isVisibleTo(comment.post, caller)) {
      throw new NotFoundException('comment not found');
    }
    if (!wroteComment && !ownsPost && !isAdmin(caller)) {
      throw new ForbiddenException(
        "only the comment's author, the post's author or an admin may delete a comment",
      );
    }
    await this.comments.delete(id);
  }
}
