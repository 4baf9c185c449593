import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import { AuthUser, isAdmin } from '../auth/auth-user';
import { PageDto, toPage } from '../common/pagination';
import { parseSort } from '../common/sorting';
import { whereContains } from '../common/text-search';
import { whereVisibleTo } from '../posts/post-visibility';
import { CreateTagDto } from './dto/create-tag.dto';
import { ListTagsQueryDto, TagSortField } from './dto/list-tags-query.dto';
import { TagDto, toTagDto } from './dto/tag.dto';
import { UpdateTagDto } from './dto/update-tag.dto';
import { Tag } from './tag.entity';
import { ReadRouting } from '../database/read-replicas';

/** The selection alias of a tag's number of published posts (see `withPostCounts`). */
const POST_COUNT = 'postCount';

/** Tags, and their get-or-create for the posts module (which links them through `Post.tags`). */
@Injectable()
export class TagsService {
  constructor(
    @InjectRepository(Tag) private readonly tagRepository: Repository<Tag>,
    private readonly reads: ReadRouting,
  ) {}

  /** Tag rows: read from the request's replica in a GET request (ReadRouting). */
  private get tags(): Repository<Tag> {
    return this.reads.repository(this.tagRepository);
  }

  /** One grouped statement for the page, one count for the total, whatever the page size. */
  async list(query: ListTagsQueryDto, viewer?: AuthUser): Promise<PageDto<TagDto>> {
    const { field, direction } = parseSort<TagSortField>(query.sort);
    const page = whereTagVisibleTo(this.withPostCounts(), viewer)
      .offset(query.skip)
      .limit(query.limit);
    if (field === 'postCount') {
      page.orderBy(`COUNT(post.id)`, direction).addOrderBy('tag.name', 'ASC');
    } else {
      page.orderBy('tag.name', direction);
    }
    const matching = whereTagVisibleTo(this.tags.createQueryBuilder('tag'), viewer);
    if (query.search) {
      whereContains(page, ['tag.name'], query.search);
      whereContains(matching, ['tag.name'], query.search);
    }
    const [tags, total] = await Promise.all([withCounts(page), matching.getCount()]);
    return toPage(tags, total, query);
  }

  async findOne(id: string, viewer?: AuthUser): Promise<TagDto> {
    const query = this.withPostCounts().where('tag.id = :id', { id });
    const [tag] = await withCounts(whereTagVisibleTo(query, viewer));
    if (!tag) throw new NotFoundException('tag not found');
    return tag;
  }

  /** A taken name is a 409 from the unique index (`UQ_tags_name`), not from a pre-check. */
  async create(dto: CreateTagDto): Promise<TagDto> {
    const tag = this.tags.create({ id: randomUUID(), name: dto.name, createdAt: new Date() });
    await this.tags.insert({ ...tag });
    return toTagDto(tag, 0);
  }

  async rename(id: string, dto: UpdateTagDto, caller: AuthUser): Promise<TagDto> {
    const tag = await this.findOne(id, caller);
    if (dto.name === undefined || dto.name === tag.name) return tag;
    await this.tags.update(id, { name: dto.name });
    return { ...tag, name: dto.name };
  }

  /** Its links go with it (the link table's foreign key cascades); the posts stay. */
  async remove(id: string): Promise<void> {
    const result = await this.tags.delete(id);
    if (!result.affected) throw new NotFoundException('tag not found');
  }

  /**
   * The tags of these names, created where missing, inside the caller's transaction: one INSERT
   * that skips the names that exist (ON CONFLICT DO NOTHING / INSERT IGNORE / INSERT OR IGNORE),
   * then one SELECT, whatever the number of names. A name a concurrent transaction is inserting
   * makes the INSERT wait for it and then skip, so concurrent posts that introduce the same tag
   * share one row; sorted names lock in the same order, so such upserts cannot deadlock.
   *
   * Call it before the transaction reads anything else: on MariaDB (REPEATABLE READ) the first
   * read fixes the snapshot, and a snapshot older than the INSERT would not show the row the
   * other transaction committed while this one waited.
   */
  async findOrCreateByNames(tx: EntityManager, names: readonly string[]): Promise<Tag[]> {
    if (names.length === 0) return [];
    const sorted = [...names].sort();
    const tags = tx.getRepository(Tag);
    const createdAt = new Date();
    await tags
      .createQueryBuilder()
      .insert()
      .values(sorted.map((name) => ({ id: randomUUID(), name, createdAt })))
      .orIgnore()
      .updateEntity(false)
      .execute();
    return tags.find({ select: { id: true, name: true }, where: { name: In(sorted) } });
  }

  /** Tags with the number of published posts carrying each, counted by one GROUP BY. */
  private withPostCounts(): SelectQueryBuilder<Tag> {
    return this.tags
      .createQueryBuilder('tag')
      .leftJoin('tag.posts', 'post', 'post.published = :countPublished', { countPublished: true })
      .addSelect('COUNT(post.id)', POST_COUNT)
      .groupBy('tag.id')
      .addGroupBy('tag.name')
      .addGroupBy('tag.createdAt');
  }
}

/**
 * A tag that only drafts hidden from the viewer carry does not exist for them (not listed, 404):
 * its name would tell what an unpublished post is about. A tag on no post at all (made with
 * POST /tags, or left behind by deleted posts) is public; admins see every tag.
 */
function whereTagVisibleTo(
  query: SelectQueryBuilder<Tag>,
  viewer?: AuthUser,
): SelectQueryBuilder<Tag> {
  if (isAdmin(viewer)) return query;
  const postsOfTag = () =>
    query
      .subQuery()
      .select('1')
      .from(Tag, 'tagged')
      .innerJoin('tagged.posts', 'taggedPost')
      .where('tagged.id = tag.id');
  const visiblePostsOfTag = whereVisibleTo(postsOfTag(), 'taggedPost', viewer);
  return query.andWhere(
    `(NOT EXISTS ${postsOfTag().getQuery()} OR EXISTS ${visiblePostsOfTag.getQuery()})`,
  );
}

/** The tags of a grouped query, hydrated by TypeORM, each with the count its row carries. */
async function withCounts(query: SelectQueryBuilder<Tag>): Promise<TagDto[]> {
  // getRawAndEntities: the count is a computed column, which only the raw row holds.
  const { entities, raw } = await query.getRawAndEntities<Record<string, unknown>>();
  return entities.map((tag, i) => toTagDto(tag, Number(raw[i][POST_COUNT])));
}
