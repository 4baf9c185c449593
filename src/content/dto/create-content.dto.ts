import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsString, Length, MaxLength } from 'class-validator';
import { Omittable } from '../../common/omittable.decorator';
import { TagNames } from '../../common/tag-names';
import { IsStorableMetadata } from '../content-metadata';
import {
  CONTENT_STATUSES,
  ContentStatus,
  MAX_CONTENT_BODY_LENGTH,
  MAX_CONTENT_TITLE_LENGTH,
} from '../content.schema';

/** Optional, but `null` is not a value: it is validated (and rejected) like any other. */
export const METADATA_EXAMPLE = {
  readingTimeMinutes: 7,
  seo: { description: 'How to model flexible attributes', keywords: ['mongodb', 'schema'] },
};

/**
 * The editable fields of a content document. Absent fields take their defaults: empty body,
 * status `draft`, no tags, empty metadata.
 */
export class CreateContentDto {
  /** @example "Schema design for flexible documents" */
  @IsString()
  @Length(1, MAX_CONTENT_TITLE_LENGTH)
  title: string;

  /**
   * Up to 100 000 characters.
   * @example "Embedding versus referencing, and when each pays off."
   */
  @Omittable()
  @IsString()
  @MaxLength(MAX_CONTENT_BODY_LENGTH)
  body?: string;

  /** Drafts are visible only to their author and admins. */
  @ApiPropertyOptional({ enum: CONTENT_STATUSES, default: 'draft', example: 'published' })
  @Omittable()
  @IsIn(CONTENT_STATUSES, { message: `status must be one of: ${CONTENT_STATUSES.join(', ')}` })
  status?: ContentStatus;

  /**
   * Up to 10 names, normalised: trimmed, lower-cased, inner whitespace to `-`, duplicates
   * collapsed; each then 1..50 of `[a-z0-9-]`.
   * @example ["mongodb", "schema-design"]
   */
  @Omittable()
  @TagNames()
  tags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: METADATA_EXAMPLE,
    description:
      'Free-form JSON object, up to 16 KB serialised and 32 levels deep. Keys at any depth may ' +
      'not start with `$` or contain `.` (400). Keys named `__proto__`, `constructor` or ' +
      '`prototype` are dropped by the global input sanitiser.',
  })
  @Omittable()
  @IsObject()
  @IsStorableMetadata()
  metadata?: Record<string, unknown>;
}
