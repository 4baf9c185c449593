import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { AuthUser, isAdmin } from '../auth/auth-user';
import { CursorPageDto, toCursorPage } from '../common/pagination';
import { isUniqueViolation, uniqueViolationField } from '../database/database-errors';
import { ReadRouting } from '../database/read-replicas';
import { runInTransaction } from '../database/transactions';
import { TagsService } from '../tags/tags.service';
import { CreatePostDto } from './dto/create-post.dto';
import { ListPostsQueryDto, ListUserPostsQueryDto } from './dto/list-posts-query.dto';
import { PostDto, toPostDto } from './dto/post.dto';
import { TopAuthorDto } from './dto/top-authors.dto';
import { UpdatePostDto } from './dto/update-post.dto';
import { PostPages } from './post-pages';
import { newPostSlug } from './post-slug';
import { isVisibleTo, whereVisibleTo } from './post-visibility';
import { Post } from './post.entity';

/** Attempts at creating a post whose random slug another post took. */
const MAX_CREATE_ATTEMPTS = 3;

@Injectable()
export class PostsService {
  constructor(
    @InjectRepository(Post) private readonly postRepository: Repository<Post>,
    private readonly reads: ReadRouting,
    private readonly dataSource: DataSource,
    private readonly tags: TagsService,
    private readonly pages: PostPages,
  ) {}

  /** Post rows: read from the request's replica in a GET request (ReadRouting). */
  private get posts(): Repository<Post> {
    return this.reads.repository(this.postRepository);
  }

  /**
   * One transaction whatever the number of tags: the tags got or created (two statements), the
   * post and its links saved through the `Post.tags` relation (the post, one multi-row INSERT of
   * links). The answer is built from what was written. In the rare case that the new slug is
   * taken (the unique index says so, there is no racy pre-check), the whole transaction is
   * retried with another.
   */
  async create(author: AuthUser, dto: CreatePostDto): Promise<PostDto> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runInTransaction(this.dataSource, async (tx) => {
          const tags = await this.tags.findOrCreateByNames(tx, dto.tags ?? []);
          const now = new Date();
          const posts = tx.getRepository(Post);
          const post = posts.create({
            title: dto.title,
            slug: newPostSlug(dto.title),
            content: dto.content ?? '',
            published: dto.published ?? false,
            publishedAt: dto.published ? now : null,
            authorId: author.id,
            tags,
            createdAt: now,
            updatedAt: now,
          });
          await posts.save(post, { reload: false });
          return toPostDto({ ...post, author, commentCount: 0 });
        });
      } catch (error) {
        if (!this.isSlugConflict(error) || attempt === MAX_CREATE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * A page in a fixed number of statements whatever its size: the page of ids with its total
   * (PostPages), then those posts with their authors, tags and comment counts in one statement.
   */
  list(query: ListPostsQueryDto, viewer?: AuthUser): Promise<CursorPageDto<PostDto>> {
    return this.findPage(query, viewer, query.authorId);
  }

  /** The posts of one author (`GET /users/:id/posts`, whose 404 the users module answers). */
  listByAuthor(
    authorId: string,
    query: ListUserPostsQueryDto,
    viewer?: AuthUser,
  ): Promise<CursorPageDto<PostDto>> {
    return this.findPage(query, viewer, authorId);
  }

  private async findPage(
    query: ListUserPostsQueryDto,
    viewer: AuthUser | undefined,
    authorId: string | undefined,
  ): Promise<CursorPageDto<PostDto>> {
    const { ids, total, nextCursor } = await this.pages.choose(query, viewer, authorId);
    const posts = ids.length === 0 ? [] : await this.withRelations().whereInIds(ids).getMany();
    const byId = new Map(posts.map((post) => [post.id, post]));
    // In page order; a post deleted between the two statements is left out.
    const items = ids.flatMap((id) => {
      const post = byId.get(id);
      return post ? [toPostDto(post)] : [];
    });
    return toCursorPage(items, total, query, nextCursor);
  }

  findOne(id: string, viewer?: AuthUser): Promise<PostDto> {
    return this.findVisible({ id }, viewer);
  }

  findBySlug(slug: string, viewer?: AuthUser): Promise<PostDto> {
    return this.findVisible({ slug }, viewer);
  }

  /** One statement: the post with its author, tags and comment count, if the viewer may see it. */
  private async findVisible(
    key: { id: string } | { slug: string },
    viewer?: AuthUser,
  ): Promise<PostDto> {
    const query = whereVisibleTo(this.withRelations(), 'post', viewer);
    const post = await (
      'id' in key ? query.andWhere('post.id = :id', key) : query.andWhere('post.slug = :slug', key)
    ).getOne();
    if (!post) throw new NotFoundException('post not found');
    return toPostDto(post);
  }

  /**
   * The slug stays as it was created (links keep working). The post's row is locked first: that
   * serialises concurrent edits of one post, so that the first publication sets `publishedAt`
   * and concurrent tag replacements leave one of the requested sets. `tags` replaces the set
   * through the relation (TypeORM deletes the links that went and inserts the new ones).
   */
  async update(id: string, dto: UpdatePostDto, caller: AuthUser): Promise<PostDto> {
    await runInTransaction(this.dataSource, async (tx) => {
      const post = await this.findManageable(tx, id, caller, { lock: true });
      if (dto.tags !== undefined) post.tags = await this.tags.findOrCreateByNames(tx, dto.tags);
      if (dto.title !== undefined) post.title = dto.title;
      if (dto.content !== undefined) post.content = dto.content;
      if (dto.published !== undefined) post.published = dto.published;
      const now = new Date();
      if (dto.published && post.publishedAt === null) post.publishedAt = now;
      post.updatedAt = now;
      await tx.getRepository(Post).save(post, { reload: false });
    });
    return this.findOne(id, caller);
  }

  /** Comments and tag links go with the post (foreign keys); tags stay. */
  async remove(id: string, caller: AuthUser): Promise<void> {
    await this.findManageable(this.dataSource.manager, id, caller);
    await this.posts.delete(id);
  }

  /** Authors by number of published posts, in one grouped statement. */
  async topAuthors(limit: number): Promise<TopAuthorDto[]> {
    const publishedAt = this.posts.metadata.findColumnWithPropertyName('publishedAt')!;
    // getRawMany: a grouped aggregate per author, not entities.
    const rows = await this.posts
      .createQueryBuilder('post')
      .innerJoin('post.author', 'author')
      .select('author.id', 'id')
      .addSelect('author.username', 'username')
      .addSelect('COUNT(*)', 'postCount')
      .addSelect('MAX(post.publishedAt)', 'lastPostAt')
      .where('post.published = :published', { published: true })
      .groupBy('author.id')
      .addGroupBy('author.username')
      .orderBy('COUNT(*)', 'DESC')
      .addOrderBy('MAX(post.publishedAt)', 'DESC')
      .addOrderBy('author.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string; username: string; postCount: unknown; lastPostAt: unknown }>();
    return rows.map((row) => ({
      user: { id: row.id, username: row.username },
      postCount: Number(row.postCount),
      // As TypeORM reads the column itself (SQLite hands dates over as text).
      lastPostAt: this.dataSource.driver.prepareHydratedValue(row.lastPostAt, publishedAt) as Date,
    }));
  }

  /** 404 unless the post exists and the viewer may see it (drafts: author and admins). */
  async assertVisible(id: string, viewer?: AuthUser): Promise<void> {
    const query = this.posts.createQueryBuilder('post').select('post.id').where('post.id = :id', {
      id,
    });
    if (!(await whereVisibleTo(query, 'post', viewer).getExists())) {
      throw new NotFoundException('post not found');
    }
  }

  /** The post with its author, tags (id and name) and comment count, for a PostDto. */
  private withRelations(): SelectQueryBuilder<Post> {
    return this.posts
      .createQueryBuilder('post')
      .innerJoin('post.author', 'author')
      .addSelect(['author.id', 'author.username'])
      .leftJoin('post.tags', 'tag')
      .addSelect(['tag.id', 'tag.name']);
  }

  /**
   * 404 when the caller cannot see the post, 403 when they see it but do not own it. With
   * `lock`, the row stays locked until the transaction ends (SQLite runs one transaction at a
   * time anyway, and has no row locks).
   */
  private async findManageable(
    manager: EntityManager,
    id: string,
    caller: AuthUser,
    { lock = false } = {},
  ): Promise<Post> {
    const locks = lock && manager.connection.options.type !== 'better-sqlite3';
    const post = await manager.getRepository(Post).findOne({
      // Not the comment count: on MariaDB its subquery would be a plain read, fixing the
      // transaction's snapshot before the tags are got or created (see TagsService).
      select: { id: true, authorId: true, published: true, publishedAt: true },
      where: { id },
      ...(locks && { lock: { mode: 'pessimistic_write' } }),
    });
    if (!post || !isVisibleTo(post, caller)) throw new NotFoundException('post not found');
    if (post.authorId !== caller.id && !isAdmin(caller)) {
      throw new ForbiddenException('you may only change your own posts');
    }
    return post;
  }

  private isSlugConflict(error: unknown): boolean {
    return isUniqueViolation(error) && uniqueViolationField(error, this.dataSource) === 'slug';
  }
}
