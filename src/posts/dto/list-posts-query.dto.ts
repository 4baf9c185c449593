import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { CursorPaginationQueryDto } from '../../common/pagination';
import { ToBoolean } from '../../common/query-transforms';
import { sortValues } from '../../common/sorting';
import { MAX_TAGS_PER_ITEM, TagNamesQuery } from '../../common/tag-names';

export const POST_SORT_FIELDS = ['createdAt', 'publishedAt', 'title'] as const;
export type PostSortField = (typeof POST_SORT_FIELDS)[number];
const POST_SORT_VALUES = sortValues(POST_SORT_FIELDS);

export class ListPostsQueryDto extends CursorPaginationQueryDto {
  /**
   * Case-insensitive literal "contains" over title and content, e.g. `relations`.
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /**
   * Repeatable (`tag=a&tag=b`): posts having all of these tags, e.g. `typeorm`. Names are
   * normalised as on posts.
   */
  @ApiPropertyOptional({ maxItems: MAX_TAGS_PER_ITEM })
  @IsOptional()
  @TagNamesQuery()
  tag?: string[];

  /** The posts of this user, by id, e.g. `6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f`. */
  @IsOptional()
  @IsUUID()
  authorId?: string;

  /**
   * `true`: published posts only; `false`: drafts only (your own; any for admins).
   */
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  published?: boolean;

  /**
   * Posts created at or after this ISO-8601 time, e.g. `2026-01-01T00:00:00Z`.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /**
   * Posts created before this ISO-8601 time (exclusive, so `since`/`until` ranges tile), e.g.
   * `2027-01-01T00:00:00Z`.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  /**
   * `createdAt`, `publishedAt` or `title`, `-` prefix for descending; ties broken by id. For
   * `publishedAt`, posts never published count as later than any published one.
   * @example "-createdAt"
   */
  @IsOptional()
  @IsIn(POST_SORT_VALUES, { message: `sort must be one of: ${POST_SORT_VALUES.join(', ')}` })
  sort: string = '-createdAt';
}

/** `GET /users/:id/posts`: the same filters, the author being the path's user. */
export class ListUserPostsQueryDto extends OmitType(ListPostsQueryDto, ['authorId'] as const) {}
