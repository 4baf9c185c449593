import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { invalidCursor, KeysetCursorCodec } from '../common/keyset-cursor';
import { parseSort, SortOrder } from '../common/sorting';
import { whereContains } from '../common/text-search';
import { authConfig, AuthConfig } from '../config/configuration';
import { ListUserPostsQueryDto, PostSortField } from './dto/list-posts-query.dto';
import { Post } from './post.entity';
import { whereVisibleTo } from './post-visibility';
import { ReadRouting } from '../database/read-replicas';

/** A page of posts as chosen: their ids in order, the total the filters keep, the next cursor. */
export interface ChosenPage {
  ids: string[];
  total: number;
  nextCursor: string | null;
}

/** Where a page ends: the sort value of its last post (a Date for date sorts) and its id. */
interface PagePosition {
  value: Date | string | null;
  id: string;
}

type PostOrder = SortOrder<PostSortField>;

/**
 * The list query of `GET /posts` and `GET /users/:id/posts`: filters, sort and keyset cursor.
 * It chooses a page on `posts` alone, selecting only the id and the sort column, so that an
 * index serving the filter and the sort delivers the page by itself; the posts' relations are
 * loaded afterwards for those ids only (PostsService). Joining the to-many relations here, under
 * LIMIT, is the slow textbook shape (TypeORM then runs a DISTINCT query of ids first).
 */
@Injectable()
export class PostPages {
  private readonly cursors: KeysetCursorCodec;

  constructor(
    @InjectRepository(Post) private readonly postRepository: Repository<Post>,
    private readonly reads: ReadRouting,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.cursors = new KeysetCursorCodec(auth.jwtSecret, 'posts');
  }

  /** Post rows: read from the request's replica in a GET request (ReadRouting). */
  private get posts(): Repository<Post> {
    return this.reads.repository(this.postRepository);
  }

  /**
   * The page after `skip` posts, or after the post a `cursor` stands for (keyset: any depth
   * costs what the first page costs). One post more than asked tells whether there is a next
   * page. Without a cursor TypeORM's getManyAndCount counts only when the page is full (a shorter
   * one is the end of the list); after a cursor the total is counted alongside the page.
   */
  async choose(
    query: ListUserPostsQueryDto,
    viewer: AuthUser | undefined,
    authorId: string | undefined,
  ): Promise<ChosenPage> {
    const order = parseSort<PostSortField>(query.sort);
    const filtered = this.filtered(query, viewer, authorId);
    const page = this.ordered(filtered.clone().select(['post.id', `post.${order.field}`]), order);
    page.limit(query.limit + 1);

    let rows: Post[];
    let total: number;
    if (query.cursor === undefined) {
      [rows, total] = await page.offset(query.skip ?? 0).getManyAndCount();
    } else {
      startAfter(page, order, this.decodeCursor(query));
      [rows, total] = await Promise.all([page.getMany(), filtered.getCount()]);
    }

    const hasNextPage = rows.length > query.limit;
    const pageRows = hasNextPage ? rows.slice(0, query.limit) : rows;
    const nextCursor = hasNextPage ? this.encodeCursor(query.sort, order, pageRows.at(-1)!) : null;
    return { ids: pageRows.map((post) => post.id), total, nextCursor };
  }

  /** The posts the viewer may see that pass the filters, in no order. */
  private filtered(
    filters: ListUserPostsQueryDto,
    viewer: AuthUser | undefined,
    authorId: string | undefined,
  ): SelectQueryBuilder<Post> {
    const query = whereVisibleTo(this.posts.createQueryBuilder('post'), 'post', viewer);
    if (authorId !== undefined) query.andWhere('post.authorId = :authorId', { authorId });
    if (filters.published !== undefined) {
      query.andWhere('post.published = :published', { published: filters.published });
    }
    if (filters.since)
      query.andWhere('post.createdAt >= :since', { since: new Date(filters.since) });
    if (filters.until)
      query.andWhere('post.createdAt < :until', { until: new Date(filters.until) });
    if (filters.search) whereContains(query, ['post.title', 'post.content'], filters.search);
    if (filters.tag?.length) whereTaggedWithAll(query, filters.tag);
    return query;
  }

  /**
   * Ties are broken by id, so every sort is a total order (which keyset cursors need).
   * PostgreSQL sorts NULL after every value, SQLite and MariaDB before (and MariaDB has no
   * NULLS LAST): posts never published (publishedAt NULL) are made to sort as the latest
   * everywhere, PostgreSQL's order, which lets its index serve the sort.
   */
  private ordered(query: SelectQueryBuilder<Post>, { field, direction }: PostOrder) {
    if (field === 'publishedAt' && this.posts.manager.connection.options.type !== 'postgres') {
      query.addOrderBy('(post.publishedAt IS NULL)', direction);
    }
    return query.addOrderBy(sortKey(field), direction).addOrderBy('post.id', direction);
  }

  private encodeCursor(sort: string, { field }: PostOrder, last: Post): string {
    const value = field === 'title' ? last.title : (last[field]?.toISOString() ?? null);
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
}

/**
 * What a sort compares. Titles sort case-insensitively on every dialect (SQLite would otherwise
 * put "Zebra" before "apple"); a title cursor carries the title, lower-cased by the database on
 * both sides of the comparison, so keyset pages agree with the ORDER BY.
 */
function sortKey(field: PostSortField): string {
  return field === 'title' ? 'LOWER(post.title)' : `post.${field}`;
}

function cursorKey(field: PostSortField): string {
  return field === 'title' ? 'LOWER(:cursorValue)' : ':cursorValue';
}

/**
 * Keeps the posts after `position` in the sort order. The inclusive bound (`>=`/`<=`) on the
 * sort column alone is redundant but lets every database turn it into an index range, so a deep
 * page is read from where the previous one ended instead of scanned from the start.
 */
function startAfter(
  query: SelectQueryBuilder<Post>,
  { field, direction }: PostOrder,
  position: PagePosition,
): SelectQueryBuilder<Post> {
  const column = sortKey(field);
  const value = cursorKey(field);
  const [after, atOrAfter] = direction === 'ASC' ? ['>', '>='] : ['<', '<='];
  const afterValue = `(${column} ${atOrAfter} ${value} AND (${column} ${after} ${value} OR post.id ${after} :cursorId))`;
  let condition = afterValue;
  if (field === 'publishedAt') {
    // NULL (never published) sorts as the latest: last going up, first going down.
    if (position.value === null) {
      condition =
        direction === 'ASC'
          ? `(${column} IS NULL AND post.id > :cursorId)`
          : `((${column} IS NULL AND post.id < :cursorId) OR ${column} IS NOT NULL)`;
    } else if (direction === 'ASC') {
      condition = `(${afterValue} OR ${column} IS NULL)`;
    }
  }
  return query.andWhere(condition, { cursorValue: position.value, cursorId: position.id });
}

/** Keeps the posts that carry every one of the given tags, through the `Post.tags` relation. */
function whereTaggedWithAll(
  query: SelectQueryBuilder<Post>,
  names: readonly string[],
): SelectQueryBuilder<Post> {
  return query
    .andWhere((outer) => {
      const tagged = outer
        .subQuery()
        .select('tagged.id')
        .from(Post, 'tagged')
        .innerJoin('tagged.tags', 'tag')
        .where('tag.name IN (:...taggedWith)')
        .groupBy('tagged.id')
        .having('COUNT(*) = :taggedWithCount')
        .getQuery();
      return `post.id IN ${tagged}`;
    })
    .setParameters({ taggedWith: [...names], taggedWithCount: names.length });
}
