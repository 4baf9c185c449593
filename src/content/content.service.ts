import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AuthUser, isAdmin } from '../auth/auth-user';
import { PageDto, toPage } from '../common/pagination';
import { describeBulkInsertFailure } from './bulk-content';
import {
  buildContentFilter,
  buildContentSort,
  buildStatsPipeline,
  visibilityFilter,
} from './content-query';
import { Content, ContentComment, MAX_COMMENTS_PER_CONTENT } from './content.schema';
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

type EditableFields = Pick<Content, 'title' | 'body' | 'status' | 'tags' | 'metadata'>;

const NOT_FOUND = 'content not found';

@Injectable()
export class ContentService {
  constructor(@InjectModel(Content.name) private readonly contents: Model<Content>) {}

  async create(author: AuthUser, dto: CreateContentDto): Promise<ContentDto> {
    const created = await this.contents.create({ ...withDefaults(dto), authorId: author.id });
    return toContentDto(created.toObject());
  }

  /** One ordered `insertMany`: Mongoose validates every document before the first is sent. */
  async createMany(author: AuthUser, items: CreateContentDto[]): Promise<BulkCreateResultDto> {
    const documents = items.map((item) => ({ ...withDefaults(item), authorId: author.id }));
    try {
      const created = await this.contents.insertMany(documents, { ordered: true });
      return { created: created.length, ids: created.map((doc) => doc._id.toHexString()) };
    } catch (error) {
      throw describeBulkInsertFailure(error, items.length) ?? error;
    }
  }

  async list(query: ListContentQueryDto, viewer?: AuthUser): Promise<PageDto<ContentDto>> {
    const filter = buildContentFilter(query, viewer);
    const [records, total] = await Promise.all([
      this.contents
        .find(filter)
        .sort(buildContentSort(query))
        .skip(query.skip)
        .limit(query.limit)
        .lean<Content[]>()
        .exec(),
      this.contents.countDocuments(filter).exec(),
    ]);
    return toPage(records.map(toContentDto), total, query);
  }

  async stats(query: ContentStatsQueryDto, viewer?: AuthUser): Promise<ContentStatsDto> {
    const [stats] = await this.contents
      .aggregate<ContentStatsDto>(buildStatsPipeline(viewer, query.tagLimit))
      .exec();
    return stats ?? { byStatus: [], topTags: [] };
  }

  async findOne(id: string, viewer?: AuthUser): Promise<ContentDto> {
    return toContentDto(await this.findVisible(id, viewer));
  }

  /** Partial: only the fields given are `$set`. */
  async update(id: string, dto: UpdateContentDto, caller: AuthUser): Promise<ContentDto> {
    const existing = await this.findVisible(id, caller);
    assertMayChange(existing, caller);
    // The whitelisting ValidationPipe leaves only editable fields in the DTO.
    const changes = Object.fromEntries(
      Object.entries(dto).filter(([, value]) => value !== undefined),
    ) as Partial<EditableFields>;
    if (Object.keys(changes).length === 0) return toContentDto(existing);
    return this.setFields(id, changes);
  }

  /** Full replace of the editable fields; author, comments and createdAt stay. */
  async replace(id: string, dto: ReplaceContentDto, caller: AuthUser): Promise<ContentDto> {
    const existing = await this.findVisible(id, caller);
    assertMayChange(existing, caller);
    return this.setFields(id, withDefaults(dto));
  }

  async remove(id: string, caller: AuthUser): Promise<void> {
    const existing = await this.findVisible(id, caller);
    assertMayChange(existing, caller);
    await this.contents.deleteOne({ _id: id }).exec();
  }

  /**
   * Appends with `$push` in one write whose filter also checks visibility and the comment cap;
   * only when nothing matched is the document read again, to tell 404 from 409.
   */
  async addComment(
    id: string,
    dto: CreateContentCommentDto,
    author: AuthUser,
  ): Promise<ContentCommentDto> {
    const comment: ContentComment = {
      _id: new Types.ObjectId(),
      authorId: author.id,
      body: dto.body,
      createdAt: new Date(),
    };
    const result = await this.contents
      .updateOne(
        {
          _id: id,
          ...visibilityFilter(author),
          [`comments.${MAX_COMMENTS_PER_CONTENT - 1}`]: { $exists: false },
        },
        { $push: { comments: comment } },
        // A comment is not an edit of the document: updatedAt stays the author's.
        { timestamps: false, runValidators: true },
      )
      .exec();
    if (result.matchedCount === 0) {
      await this.findVisible(id, author);
      throw new ConflictException(
        `a content document takes at most ${MAX_COMMENTS_PER_CONTENT} comments`,
      );
    }
    return toCommentDto(comment);
  }

  /**
   * Removes what a deleted user left in the content store: their documents, and their comments
   * on other people's documents (as the relational comments go with their author).
   */
  async removeAllOfAuthor(authorId: string): Promise<void> {
    await this.contents.deleteMany({ authorId }).exec();
    await this.contents
      .updateMany(
        { 'comments.authorId': authorId },
        { $pull: { comments: { authorId } } },
        { timestamps: false },
      )
      .exec();
  }

  private async findVisible(id: string, viewer?: AuthUser): Promise<Content> {
    const record = await this.contents
      .findOne({ _id: id, ...visibilityFilter(viewer) })
      .lean<Content>()
      .exec();
    if (!record) throw new NotFoundException(NOT_FOUND);
    return record;
  }

  private async setFields(id: string, changes: Partial<EditableFields>): Promise<ContentDto> {
    const updated = await this.contents
      .findOneAndUpdate(
        { _id: id },
        { $set: changes },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<Content>()
      .exec();
    // Deleted between the ownership check and the write.
    if (!updated) throw new NotFoundException(NOT_FOUND);
    return toContentDto(updated);
  }
}

function withDefaults(dto: CreateContentDto): EditableFields {
  return {
    title: dto.title,
    body: dto.body ?? '',
    status: dto.status ?? 'draft',
    tags: dto.tags ?? [],
    metadata: dto.metadata ?? {},
  };
}

function assertMayChange(content: Content, caller: AuthUser): void {
  if (content.authorId !== caller.id && !isAdmin(caller)) {
    throw new ForbiddenException('you may only change your own content');
  }
}

export function toContentDto(record: Content): ContentDto {
  return {
    id: record._id.toHexString(),
    title: record.title,
    body: record.body,
    status: record.status,
    authorId: record.authorId,
    tags: record.tags,
    metadata: record.metadata ?? {},
    comments: (record.comments ?? []).map(toCommentDto),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function toCommentDto(comment: ContentComment): ContentCommentDto {
  return {
    id: comment._id.toHexString(),
    authorId: comment.authorId,
    body: comment.body,
    createdAt: comment.createdAt,
  };
}
