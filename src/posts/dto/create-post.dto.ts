import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, Length, Matches, MaxLength } from 'class-validator';
import { Omittable } from '../../common/omittable.decorator';
import { MAX_TAGS_PER_ITEM, TagNames } from '../../common/tag-names';

export const MAX_POST_CONTENT_LENGTH = 100_000;

/** Optional, but `null` is a 400 rather than a silent "absent": these fields have no null state. */
export class CreatePostDto {
  /**
   * 1..200 characters, not blank. The slug is derived from it.
   * @example "Designing many-to-many relations"
   */
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;

  /**
   * Up to 100,000 characters; empty when absent.
   * @example "A post has many tags and a tag has many posts: a link table joins them."
   */
  @Omittable()
  @IsString()
  @MaxLength(MAX_POST_CONTENT_LENGTH)
  content?: string;

  /**
   * Default false (a draft, visible only to its author and admins).
   * @example true
   */
  @Omittable()
  @IsBoolean()
  published?: boolean;

  /**
   * Up to 10 tag names, normalised (trimmed, lower-cased, inner whitespace to `-`; then 1..50 of
   * `a-z`, `0-9`, `-`) with duplicates collapsed. Missing tags are created.
   * @example ["typeorm", "Many to Many"]
   */
  @ApiPropertyOptional({ maxItems: MAX_TAGS_PER_ITEM })
  @Omittable()
  @TagNames()
  tags?: string[];
}
