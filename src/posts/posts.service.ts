import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuthUser, isAdmin } from '../auth/auth-user';
import { invalidCursor, KeysetCursorCodec } from '../common/keyset-cursor';
import { CursorPageDto, toCursorPage } from '../common/pagination';
import { parseSort, SortOrder } from '../common/sorting';
import { whereContains } from '../common/text-search';
import { authConfig, AuthConfig } from '../config/configuration';
import { isUniqueViolation, uniqueViolationField } from '../database/database-errors';
import { RawValueReader } from '../database/raw-values';
import { insertSql, StatementCache } from '../database/statement-cache';
import { runInTransaction } from '../database/transactions';
import { TagsService } from '../tags/tags.service';
import { UsersService } from '../users/users.service';
import { Comment } from './comment.entity';
import { AuthorDto } from './dto/author.dto';
import { CreatePostDto } from './dto/create-post.dto';
import {
  ListPostsQueryDto,
  ListUserPostsQueryDto,
  PostSortField,
} from './dto/list-posts-query.dto';
import { PostDto } from './dto/post.dto';
import { TopAuthorDto } from './dto/top-authors.dto';
import { UpdatePostDto } from './dto/update-post.dto';
import { firstFreeSlug, slugify } from './post-slug';
import { Post } from './post.entity';

/** A post row as the list and single-post statements select it. */
interface PostRow {
  id: string;
  title: string;
  slug: string;
  content: string;
  published: unknown;
  publishedAt: unknown;
  createdAt: unknown;
  updatedAt: unknown;
  authorId: string;
  authorUsername: string;
  commentCount: unknown;
  /** The post's tags as JSON (see TagsService.selectTagsJson). */
  tags: unknown;
  /** On a title sort, the title as the database compares it (keyset cursors carry it). */
  sortKey?: unknown;
}

/** Where a page ends: the sort value of its last post (a Date for date sorts) and its id. */
interface PagePosition {
  value: Date | string | null;
  id: string;
}

type PostOrder = SortOrder<PostSortField>;

/** How many rows a page statement reads (a validated page size plus one), and whether it skips none. */
interface PageBounds {
  size: number;
  firstPage: boolean;
}
type PostFilters = Omit<ListPostsQueryDto, 'skip' | 'limit' | 'cursor' | 'sort'>;

/** Attempts at creating a post whose slug a concurrent or earlier post took. */
const MAX_CREATE_ATTEMPTS = 8;
/** After this many attempts with `-2`, `-3`, ... (concurrent posts with one title), a random suffix. */
const NUMBERED_SLUG_ATTEMPTS = 4;

@Injectable()
export class PostsService {
  private readonly cursors: KeysetCursorCodec;
  private readonly postValues: RawValueReader;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tags: TagsService,
    private readonly users: UsersService,
    private readonly statements: StatementCache,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.cursors = new KeysetCursorCodec(auth.jwtSecret, 'posts');
    this.postValues = new RawValueReader(dataSource, Post);
  }

  /**
   * One transaction of at most 6 statements whatever the number of tags (BEGIN, the post, the tag
   * upsert, the tags read back, the links, COMMIT); the answer is built from what was written.
   * The slug is derived from the title; when it is taken (the unique index says so, there is no
   * racy pre-check) the whole transaction is retried with the next free suffix.
   */
  async create(author: AuthUser, dto: CreatePostDto): Promise<PostDto> {
    const baseSlug = slugify(dto.title);
    let slug = baseSlug;
    for (let attempt = 1; ; attempt++) {
      const now = new Date();
      const post = {
        id: randomUUID(),
        title: dto.title,
        slug,
        content: dto.content ?? '',
        published: dto.published ?? false,
        publishedAt: dto.published ? now : null,
        authorId: author.id,
        createdAt: now,
        updatedAt: now,
      };
      try {
        const tags = await runInTransaction(this.dataSource, async (tx) => {
          const columns = Object.fromEntries(Object.keys(post).map((column) => [column, column]));
          await this.statements.query(
            'post-insert',
            () => insertSql(tx, Post, [columns]),
            post,
            tx,
          );
          return this.tags.tagPost(tx, post.id, dto.tags ?? [], { replace: false });
        });
        const { authorId: _authorId, ...written } = post;
        return {
          ...written,
          author: { id: author.id, username: author.username },
          tags,
          commentCount: 0,
        };
      } catch (error) {
        if (!this.isSlugConflict(error) || attempt === MAX_CREATE_ATTEMPTS) throw error;
        slug = await this.nextSlugCandidate(baseSlug, attempt);
      }
    }
  }

  /**
   * A page in one statement whatever its size: the page of ids (chosen on an index that serves
   * the filters and the sort, before anything is joined) joined to the posts, their authors,
   * comment counts and tags, with the total computed once alongside. A page past the end takes a
   * second statement for its total. A `cursor` continues after the previous page's last post
   * (keyset), so any depth costs what the first page costs.
   */
  list(query: ListPostsQueryDto, viewer?: AuthUser): Promise<CursorPageDto<PostDto>> {
    return this.findPage(query, viewer, query.authorId);
  }

  /** `GET /users/:id/posts`: 404 for an unknown user, looked up only when the page is empty. */
  async listByAuthor(
    authorId: string,
    query: ListUserPostsQueryDto,
    viewer?: AuthUser,
  ): Promise<CursorPageDto<PostDto>> {
    const page = await this.findPage(query, viewer, authorId);
    if (page.total === 0) await this.users.findOne(authorId, viewer);
    return page;
  }

  private async findPage(
    query: ListUserPostsQueryDto,
    viewer: AuthUser | undefined,
    authorId: string | undefined,
  ): Promise<CursorPageDto<PostDto>> {
    const order = parseSort<PostSortField>(query.sort);
    const position = query.cursor === undefined ? undefined : this.decodeCursor(query);
    const filtered = this.filteredPosts(query, viewer, authorId);
    const filters = filterShape(query, viewer, authorId);
    const offset = position ? 0 : (query.skip ?? 0);
    const from = position ? `after-${position.value === null ? 'null' : 'value'}` : 'offset';
    // One post more than asked tells whether there is a next page without a second query.
    const bounds: PageBounds = { size: query.limit + 1, firstPage: offset === 0 };
    const filterValues = filtered.getParameters();
    const pageValues = {
      ...filterValues,
      ...(position && { cursorValue: position.value, cursorId: position.id }),
      pageOffset: offset,
    };

    const rows = await this.statements.query<PostRow & { total: unknown }>(
      `posts-page:${filters}:${query.sort}:${from}:${bounds.size}:${bounds.firstPage}`,
      () => this.pageSql(filtered, order, position, bounds),
      pageValues,
    );
    // The total comes with the page's rows; a page past the end has no row to bring it.
    const total =
      rows.length > 0
        ? rows[0].total
        : (
            await this.statements.query<{ total: unknown }>(
              `posts-count:${filters}`,
              () => this.countSql(filtered),
              filterValues,
            )
          )[0]?.total;
    const hasNextPage = rows.length > query.limit;
    const pageRows = hasNextPage ? rows.slice(0, query.limit) : rows;
    const items = pageRows.map((row) => this.toPostDto(row));
    const nextCursor = hasNextPage ? this.encodeCursor(query.sort, order, pageRows.at(-1)!) : null;
    return toCursorPage(items, Number(total ?? 0), query, nextCursor);
  }

  findOne(id: string, viewer?: AuthUser): Promise<PostDto> {
    return this.findVisible('id', id, viewer);
  }

  findBySlug(slug: string, viewer?: AuthUser): Promise<PostDto> {
    return this.findVisible('slug', slug, viewer);
  }

  /** One statement: the post with its author, comment count and tags, if the viewer may see it. */
  private async findVisible(
    column: 'id' | 'slug',
    value: string,
    viewer?: AuthUser,
  ): Promise<PostDto> {
    const [row] = await this.statements.query<PostRow>(
      `post-by-${column}:${viewerKind(viewer)}`,
      () => this.visiblePostRows(viewer).andWhere(`post.${column} = :value`).getQuery(),
      { ...visibilityParameters(viewer), value },
    );
    if (!row) throw new NotFoundException('post not found');
    return this.toPostDto(row);
  }

  /**
   * The slug stays as it was created (links keep working). `publishedAt` is set in SQL, only when
   * still empty, so the first publication wins even against a concurrent one.
   */
  async update(id: string, dto: UpdatePostDto, caller: AuthUser): Promise<PostDto> {
    await this.findManageable(id, caller);
    const now = new Date();
    const changes: QueryDeepPartialEntity<Post> = { updatedAt: now };
    if (dto.title !== undefined) changes.title = dto.title;
    if (dto.content !== undefined) changes.content = dto.content;
    if (dto.published !== undefined) changes.published = dto.published;
    if (dto.published === true) {
      changes.publishedAt = () =>
        `COALESCE(${this.dataSource.driver.escape('publishedAt')}, :firstPublishedAt)`;
    }
    await runInTransaction(this.dataSource, async (tx) => {
      // The UPDATE comes first: its row lock serialises concurrent edits of the same post's tags.
      await tx
        .createQueryBuilder()
        .update(Post)
        .set(changes)
        .where('id = :id', { id })
        .setParameter('firstPublishedAt', now)
        .updateEntity(false)
        .execute();
      if (dto.tags !== undefined) await this.tags.tagPost(tx, id, dto.tags, { replace: true });
    });
    return this.findOne(id, caller);
  }

  /** Comments and tag links go with the post (foreign keys); tags stay. */
  async remove(id: string, caller: AuthUser): Promise<void> {
    await this.findManageable(id, caller);
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(Post)
      .where('id = :id', { id })
      .execute();
  }

  /** Authors by number of published posts, in one grouped statement. */
  async topAuthors(limit: number): Promise<TopAuthorDto[]> {
    const rows = await this.dataSource
      .createQueryBuilder(Post, 'post')
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
      lastPostAt: this.postValues.read<Date>('publishedAt', row.lastPostAt),
    }));
  }

  /** 404 unless the post exists and the viewer may see it (drafts: author and admins). */
  async assertVisible(id: string, viewer?: AuthUser): Promise<void> {
    const query = this.dataSource
      .createQueryBuilder(Post, 'post')
      .select('post.id', 'id')
      .where('post.id = :id', { id });
    const found = await this.whereVisible(query, 'post', viewer).getRawOne();
    if (!found) throw new NotFoundException('post not found');
  }

  /** 404 when the caller cannot see the post, 403 when they see it but do not own it. */
  private async findManageable(id: string, caller: AuthUser): Promise<void> {
    const post = await this.dataSource
      .createQueryBuilder(Post, 'post')
      .select(['post.id', 'post.authorId', 'post.published'])
      .where('post.id = :id', { id })
      .getOne();
    if (!post || !isVisibleTo(post, caller)) throw new NotFoundException('post not found');
    if (post.authorId !== caller.id && !isAdmin(caller)) {
      throw new ForbiddenException('you may only change your own posts');
    }
  }

  /** Anonymous callers see published posts; a user also their own drafts; admins everything. */
  private whereVisible<T extends object>(
    query: SelectQueryBuilder<T>,
    alias: string,
    viewer?: AuthUser,
  ): SelectQueryBuilder<T> {
    if (isAdmin(viewer)) return query;
    const parameters = visibilityParameters(viewer);
    if (!viewer) return query.andWhere(`${alias}.published = :visible`, parameters);
    return query.andWhere(
      `(${alias}.published = :visible OR ${alias}.authorId = :viewerId)`,
      parameters,
    );
  }

  /** Keep in step with filterShape(), which tells the statements these filters make apart. */
  private filteredPosts(
    filters: PostFilters,
    viewer: AuthUser | undefined,
    authorId: string | undefined,
  ): SelectQueryBuilder<Post> {
    const query = this.whereVisible(
      this.dataSource.createQueryBuilder(Post, 'candidate'),
      'candidate',
      viewer,
    );
    if (authorId !== undefined) query.andWhere('candidate.authorId = :authorId', { authorId });
    if (filters.published !== undefined) {
      query.andWhere('candidate.published = :published', { published: filters.published });
    }
    if (filters.since)
      query.andWhere('candidate.createdAt >= :since', { since: new Date(filters.since) });
    if (filters.until)
      query.andWhere('candidate.createdAt < :until', { until: new Date(filters.until) });
    if (filters.search)
      whereContains(query, ['candidate.title', 'candidate.content'], filters.search);
    if (filters.tag?.length) this.tags.whereTaggedWithAll(query, 'candidate.id', filters.tag);
    return query;
  }

  /** Ties are broken by id, so every sort is a total order (which keyset cursors need). */
  private orderPosts<T extends object>(
    query: SelectQueryBuilder<T>,
    alias: string,
    { field, direction }: PostOrder,
  ): SelectQueryBuilder<T> {
    const column = sortExpression(alias, field);
    query.orderBy();
    // PostgreSQL sorts NULL after every value; SQLite and MariaDB before. Posts never published
    // (publishedAt NULL) are made to sort as the latest everywhere, PostgreSQL's order, which
    // lets its index serve the sort.
    if (field === 'publishedAt' && this.dataSource.options.type !== 'postgres') {
      query.addOrderBy(`(${column} IS NULL)`, direction);
    }
    return query.addOrderBy(column, direction).addOrderBy(`${alias}.id`, direction);
  }

  /**
   * Keeps the posts after `position` in the sort order. The inclusive bound (`>=`/`<=`) on the
   * sort column alone is redundant but lets every database turn it into an index range, so a deep
   * page is read from where the previous one ended instead of scanned from the start.
   */
  private startAfter<T extends object>(
    query: SelectQueryBuilder<T>,
    alias: string,
    { field, direction }: PostOrder,
    position: PagePosition,
  ): SelectQueryBuilder<T> {
    const column = sortExpression(alias, field);
    const id = `${alias}.id`;
    const [after, atOrAfter] = direction === 'ASC' ? ['>', '>='] : ['<', '<='];
    const afterValue = `(${column} ${atOrAfter} :cursorValue AND (${column} ${after} :cursorValue OR ${id} ${after} :cursorId))`;
    let condition = afterValue;
    if (field === 'publishedAt') {
      // NULL (never published) sorts as the latest: last going up, first going down.
      if (position.value === null) {
        condition =
          direction === 'ASC'
            ? `(${column} IS NULL AND ${id} > :cursorId)`
            : `((${column} IS NULL AND ${id} < :cursorId) OR ${column} IS NOT NULL)`;
      } else if (direction === 'ASC') {
        condition = `(${afterValue} OR ${column} IS NULL)`;
      }
    }
    return query.andWhere(condition, { cursorValue: position.value, cursorId: position.id });
  }

  private encodeCursor(sort: string, { field }: PostOrder, last: PostRow): string {
    const value =
      field === 'title'
        ? String(last.sortKey)
        : (this.postValues.read<Date | null>(field, last[field])?.toISOString() ?? null);
    return this.cursors.encode([sort, value, last.id]);
  }

  /** The position a cursor stands for; 400 when it was altered or issued for another sort. */
  private decodeCursor({ cursor, sort }: { cursor?: string; sort: string }): PagePosition {
    const position = this.cursors.decode(cursor!);
    const [cursorSort, value, id] = position;
    if (position.length !== 3 || typeof id !== 'string' || !isUUID(id)) throw invalidCursor();
    if (cursorSort !== sort) {
      throw invalidCursor(
        `cursor belongs to sort=${String(cursorSort)}; keep the sort of the first page`,
      );
    }
    const { field } = parseSort<PostSortField>(sort);
    if (field === 'title') {
      if (typeof value !== 'string') throw invalidCursor();
      return { value, id };
    }
    if (value === null && field === 'publishedAt') return { value: null, id };
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalidCursor();
    return { value: new Date(value), id };
  }

  /**
   * The SQL of a page: its ids (a subquery on the filters, the sort and, with a cursor, where the
   * page starts) joined to the posts' columns, and the total (a subquery PostgreSQL runs once,
   * as an InitPlan). The page size is written into the SQL, and so is
   * the offset of a first page: PostgreSQL estimates a parameter LIMIT or OFFSET at a tenth of
   * the table, which makes the plan it could reuse look costlier than planning anew; with
   * literals it keeps one plan per prepared statement instead of planning every request.
   */
  private pageSql(
    filtered: SelectQueryBuilder<Post>,
    order: PostOrder,
    position: PagePosition | undefined,
    { size, firstPage }: PageBounds,
  ): string {
    if (!Number.isSafeInteger(size)) throw new Error(`page size ${size} is not an integer`);
    const escape = (name: string) => this.dataSource.driver.escape(name);
    const pageIds = this.orderPosts(
      filtered.clone().select('candidate.id', 'id'),
      'candidate',
      order,
    );
    if (position) this.startAfter(pageIds, 'candidate', order, position);
    const page = `(${pageIds.getQuery()} LIMIT ${size} OFFSET ${firstPage ? '0' : ':pageOffset'})`;
    const query = this.postRows()
      .addSelect(`(${this.countSql(filtered)})`, 'total')
      .innerJoin(page, 'page', `${escape('page')}.${escape('id')} = post.id`);
    // A title sort compares LOWER(title), which cursors carry; a date sort's value is the row's
    // own column (selected again under another name, the query builder would repeat both).
    if (order.field === 'title') query.addSelect(sortExpression('post', 'title'), 'sortKey');
    return this.orderPosts(query, 'post', order).getQuery();
  }

  /** How many posts the filters keep (a page's total). */
  private countSql(filtered: SelectQueryBuilder<Post>): string {
    return filtered.clone().select('COUNT(*)', 'total').getQuery();
  }

  private visiblePostRows(viewer?: AuthUser): SelectQueryBuilder<Post> {
    return this.whereVisible(this.postRows(), 'post', viewer);
  }

  /** The columns of a PostDto; the comment count and the tags are subqueries per post. */
  private postRows(): SelectQueryBuilder<Post> {
    return this.dataSource
      .createQueryBuilder(Post, 'post')
      .innerJoin('post.author', 'author')
      .select('post.id', 'id')
      .addSelect('post.title', 'title')
      .addSelect('post.slug', 'slug')
      .addSelect('post.content', 'content')
      .addSelect('post.published', 'published')
      .addSelect('post.publishedAt', 'publishedAt')
      .addSelect('post.createdAt', 'createdAt')
      .addSelect('post.updatedAt', 'updatedAt')
      .addSelect('post.authorId', 'authorId')
      .addSelect('author.username', 'authorUsername')
      .addSelect(
        (comments) =>
          comments.select('COUNT(*)').from(Comment, 'comment').where('comment.postId = post.id'),
        'commentCount',
      )
      .addSelect((tags) => this.tags.selectTagsJson(tags, 'post.id'), 'tags');
  }

  private toPostDto(row: PostRow): PostDto {
    const author: AuthorDto = { id: row.authorId, username: row.authorUsername };
    return {
      id: row.id,
      title: row.title,
      slug: row.slug,
      content: row.content,
      published: this.postValues.read<boolean>('published', row.published),
      publishedAt: this.postValues.read<Date | null>('publishedAt', row.publishedAt),
      createdAt: this.postValues.read<Date>('createdAt', row.createdAt),
      updatedAt: this.postValues.read<Date>('updatedAt', row.updatedAt),
      author,
      tags: this.tags.readTagsJson(row.tags),
      commentCount: Number(row.commentCount),
    };
  }

  private isSlugConflict(error: unknown): boolean {
    return isUniqueViolation(error) && uniqueViolationField(error, this.dataSource) === 'slug';
  }

  /** `-2`, `-3`, ... after the slugs already taken; a random suffix once those keep colliding. */
  private async nextSlugCandidate(baseSlug: string, attempt: number): Promise<string> {
    if (attempt >= NUMBERED_SLUG_ATTEMPTS) return `${baseSlug}-${randomBytes(4).toString('hex')}`;
    // Slugs hold only [a-z0-9-], so the base has no LIKE wildcard to escape.
    const rows = await this.dataSource
      .createQueryBuilder(Post, 'post')
      .select('post.slug', 'slug')
      .where('post.slug = :baseSlug OR post.slug LIKE :suffixed', {
        baseSlug,
        suffixed: `${baseSlug}-%`,
      })
      .getRawMany<{ slug: string }>();
    return firstFreeSlug(baseSlug, new Set(rows.map((row) => row.slug)));
  }
}

/**
 * What a sort compares. Titles sort case-insensitively on every dialect (SQLite would otherwise
 * put "Zebra" before "apple"); the cursor carries the database's own LOWER(title), so keyset
 * comparisons agree with the ORDER BY even where LOWER differs from JavaScript's.
 */
function sortExpression(alias: string, field: PostSortField): string {
  return field === 'title' ? `LOWER(${alias}.title)` : `${alias}.${field}`;
}

type ViewerKind = 'anonymous' | 'user' | 'admin';

function viewerKind(viewer: AuthUser | undefined): ViewerKind {
  return !viewer ? 'anonymous' : isAdmin(viewer) ? 'admin' : 'user';
}

function visibilityParameters(viewer: AuthUser | undefined): ObjectLiteral {
  return viewer ? { visible: true, viewerId: viewer.id } : { visible: true };
}

/**
 * What tells apart the SQL of the filters of `filteredPosts()`: which filters are present (not
 * their values) and how many tags are asked for. Statements are cached by it.
 */
function filterShape(
  filters: PostFilters,
  viewer: AuthUser | undefined,
  authorId: string | undefined,
): string {
  return [
    viewerKind(viewer),
    authorId !== undefined,
    filters.published !== undefined,
    Boolean(filters.since),
    Boolean(filters.until),
    Boolean(filters.search),
    filters.tag?.length ?? 0,
  ].join(',');
}

function isVisibleTo(post: Pick<Post, 'published' | 'authorId'>, viewer?: AuthUser): boolean {
  return post.published || isAdmin(viewer) || post.authorId === viewer?.id;
}
