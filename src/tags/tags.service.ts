import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { PageDto, toPage } from '../common/pagination';
import { parseSort } from '../common/sorting';
import { whereContains } from '../common/text-search';
import { dialectOfDataSource } from '../database/data-source-options';
import { RawValueReader } from '../database/raw-values';
import { insertSql, StatementCache } from '../database/statement-cache';
import { Post } from '../posts/post.entity';
import { CreateTagDto } from './dto/create-tag.dto';
import { ListTagsQueryDto, TagSortField } from './dto/list-tags-query.dto';
import { TagDto, TagRefDto } from './dto/tag.dto';
import { UpdateTagDto } from './dto/update-tag.dto';
import { PostTag } from './post-tag.entity';
import { Tag } from './tag.entity';

interface TagRow {
  id: string;
  name: string;
  createdAt: unknown;
  postCount: unknown;
}

/** Tags, and the tagging of posts (the post_tags links): the posts module goes through here. */
@Injectable()
export class TagsService {
  private readonly tagValues: RawValueReader;

  /** JSON array of the joined tags sorted by name, in each dialect's spelling; `[]` for none. */
  private readonly tagsJsonAggregate: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: StatementCache,
  ) {
    this.tagValues = new RawValueReader(dataSource, Tag);
    const tag = `'id', tag.id, 'name', tag.name`;
    this.tagsJsonAggregate = {
      postgres: `COALESCE(json_agg(json_build_object(${tag}) ORDER BY tag.name), '[]')`,
      mysql: `COALESCE(JSON_ARRAYAGG(JSON_OBJECT(${tag}) ORDER BY tag.name), '[]')`,
      sqlite: `json_group_array(json_object(${tag}) ORDER BY tag.name)`,
    }[dialectOfDataSource(dataSource)];
  }

  async list(query: ListTagsQueryDto): Promise<PageDto<TagDto>> {
    const { field, direction } = parseSort<TagSortField>(query.sort);
    const page = this.tagsWithPostCounts().offset(query.skip).limit(query.limit);
    if (field === 'postCount')
      page.orderBy('COUNT(post.id)', direction).addOrderBy('tag.name', 'ASC');
    else page.orderBy('tag.name', direction);
    const count = this.dataSource.createQueryBuilder(Tag, 'tag').select('COUNT(*)', 'total');
    if (query.search) {
      whereContains(page, ['tag.name'], query.search);
      whereContains(count, ['tag.name'], query.search);
    }
    const [rows, counted] = await Promise.all([
      page.getRawMany<TagRow>(),
      count.getRawOne<{ total: unknown }>(),
    ]);
    return toPage(
      rows.map((row) => this.toTagDto(row)),
      Number(counted?.total ?? 0),
      query,
    );
  }

  async findOne(id: string): Promise<TagDto> {
    const row = await this.tagsWithPostCounts().where('tag.id = :id', { id }).getRawOne<TagRow>();
    if (!row) throw new NotFoundException('tag not found');
    return this.toTagDto(row);
  }

  /** A taken name is a 409 from the unique index (`UQ_tags_name`), not from a pre-check. */
  async create(dto: CreateTagDto): Promise<TagDto> {
    const tag = { id: randomUUID(), name: dto.name, createdAt: new Date() };
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Tag)
      .values(tag)
      .updateEntity(false)
      .execute();
    return { id: tag.id, name: tag.name, postCount: 0, createdAt: tag.createdAt };
  }

  async rename(id: string, dto: UpdateTagDto): Promise<TagDto> {
    const tag = await this.findOne(id);
    if (dto.name === undefined || dto.name === tag.name) return tag;
    await this.dataSource
      .createQueryBuilder()
      .update(Tag)
      .set({ name: dto.name })
      .where('id = :id', { id })
      .updateEntity(false)
      .execute();
    return { ...tag, name: dto.name };
  }

  /** Its links go with it (foreign key); the posts stay. */
  async remove(id: string): Promise<void> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(Tag)
      .where('id = :id', { id })
      .execute();
    if (!result.affected) throw new NotFoundException('tag not found');
  }

  /**
   * Sets the tags of a post inside the caller's transaction, in a fixed number of statements
   * whatever the number of names: missing tags are created in one upsert, all are read back in
   * one SELECT and linked in one INSERT. With `replace`, the post's previous links go first.
   * `names` must be normalised and distinct (see common/tag-names.ts).
   */
  async tagPost(
    tx: EntityManager,
    postId: string,
    names: readonly string[],
    { replace }: { replace: boolean },
  ): Promise<TagRefDto[]> {
    if (replace) {
      await tx
        .createQueryBuilder()
        .delete()
        .from(PostTag)
        .where('postId = :postId', { postId })
        .execute();
    }
    if (names.length === 0) return [];
    const tags = await this.upsertByNames(tx, names);
    const links = tags.map((_tag, i) => ({ postId: 'postId', tagId: `tagId${i}` }));
    await this.statements.query(
      `post-tags-insert:${tags.length}`,
      () => insertSql(tx, PostTag, links),
      { postId, ...Object.fromEntries(tags.map((tag, i) => [`tagId${i}`, tag.id])) },
      tx,
    );
    return tags;
  }

  /**
   * Makes `subQuery` select the tags of the post whose id is `postIdColumn`, as one JSON array
   * of `{ id, name }` sorted by name (read it back with `readTagsJson`): a post's statement then
   * brings its tags along, whatever the number of posts.
   */
  selectTagsJson(
    subQuery: SelectQueryBuilder<ObjectLiteral>,
    postIdColumn: string,
  ): SelectQueryBuilder<ObjectLiteral> {
    return subQuery
      .select(this.tagsJsonAggregate)
      .from(PostTag, 'link')
      .innerJoin('link.tag', 'tag')
      .where(`link.postId = ${postIdColumn}`);
  }

  /** The tags selected by `selectTagsJson` (PostgreSQL hands JSON over parsed, the others as text). */
  readTagsJson(value: unknown): TagRefDto[] {
    return (typeof value === 'string' ? JSON.parse(value) : value) as TagRefDto[];
  }

  /** Keeps the posts (whose id is `postIdColumn`) that carry every one of the given tags. */
  whereTaggedWithAll<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    postIdColumn: string,
    names: readonly string[],
  ): SelectQueryBuilder<T> {
    return query
      .andWhere((outer) => {
        const tagged = outer
          .subQuery()
          .select('link.postId')
          .from(PostTag, 'link')
          .innerJoin('link.tag', 'tag')
          .where('tag.name IN (:...taggedWith)')
          .groupBy('link.postId')
          .having('COUNT(*) = :taggedWithCount')
          .getQuery();
        return `${postIdColumn} IN ${tagged}`;
      })
      .setParameters({ taggedWith: [...names], taggedWithCount: names.length });
  }

  /**
   * Creates the missing tags and returns all of them, sorted by name. The INSERT skips names
   * that exist (ON CONFLICT DO NOTHING / INSERT IGNORE), also when a concurrent transaction has
   * just created them: it waits for that transaction and then skips, so concurrent posts that
   * introduce the same tag share one row. Names are inserted in sorted order so that concurrent
   * upserts lock them in the same order and cannot deadlock.
   */
  private async upsertByNames(tx: EntityManager, names: readonly string[]): Promise<TagRefDto[]> {
    const sorted = [...names].sort();
    const rows = sorted.map((_name, i) => ({
      id: `id${i}`,
      name: `name${i}`,
      createdAt: 'createdAt',
    }));
    await this.statements.query(
      `tags-upsert:${sorted.length}`,
      () => insertSql(tx, Tag, rows, { orIgnore: true }),
      {
        createdAt: new Date(),
        ...Object.fromEntries(
          sorted.flatMap((name, i) => [
            [`id${i}`, randomUUID()],
            [`name${i}`, name],
          ]),
        ),
      },
      tx,
    );
    return this.statements.query<TagRefDto>(
      `tags-by-names:${sorted.length}`,
      () =>
        tx
          .createQueryBuilder(Tag, 'tag')
          .select('tag.id', 'id')
          .addSelect('tag.name', 'name')
          .where('tag.name IN (:...names)')
          .orderBy('tag.name', 'ASC')
          .getQuery(),
      { names: sorted },
      tx,
    );
  }

  /** Every tag with the number of published posts carrying it, counted by one GROUP BY. */
  private tagsWithPostCounts(): SelectQueryBuilder<Tag> {
    return this.dataSource
      .createQueryBuilder(Tag, 'tag')
      .leftJoin(PostTag, 'link', 'link.tagId = tag.id')
      .leftJoin(Post, 'post', 'post.id = link.postId AND post.published = :countPublished', {
        countPublished: true,
      })
      .select('tag.id', 'id')
      .addSelect('tag.name', 'name')
      .addSelect('tag.createdAt', 'createdAt')
      .addSelect('COUNT(post.id)', 'postCount')
      .groupBy('tag.id')
      .addGroupBy('tag.name')
      .addGroupBy('tag.createdAt');
  }

  private toTagDto(row: TagRow): TagDto {
    return {
      id: row.id,
      name: row.name,
      postCount: Number(row.postCount),
      createdAt: this.tagValues.read<Date>('createdAt', row.createdAt),
    };
  }
}
