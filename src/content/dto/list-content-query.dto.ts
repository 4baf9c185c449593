import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination';
import { TagNamesQuery } from '../../common/tag-names';
import { CONTENT_STATUSES, ContentStatus } from '../content.schema';

export class ListContentQueryDto extends PaginationQueryDto {
  /**
   * Full-text search over title and body (MongoDB text index: words, "quoted phrases",
   * -excluded words), e.g. `schema design`; results are ranked by relevance instead of newest
   * first.
   */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  /**
   * Case-insensitive literal "contains" over title and body, e.g. `multikey`; regex characters
   * match themselves.
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /**
   * Repeatable: documents having all of these tags (normalised like stored tags), e.g. `mongodb`.
   */
  @IsOptional()
  @TagNamesQuery()
  tag?: string[];

  /**
   * A relational user id, e.g. `6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f`.
   */
  @IsOptional()
  @IsUUID('all', { message: 'authorId must be a UUID' })
  authorId?: string;

  /** E.g. `published`. Drafts are visible only to their author and admins, whatever this says. */
  @ApiPropertyOptional({ enum: CONTENT_STATUSES })
  @IsOptional()
  @IsIn(CONTENT_STATUSES, { message: `status must be one of: ${CONTENT_STATUSES.join(', ')}` })
  status?: ContentStatus;
}
