import { ApiProperty } from '@nestjs/swagger';
import { CONTENT_STATUSES, ContentStatus } from '../content.schema';
import { METADATA_EXAMPLE } from './create-content.dto';

export class ContentCommentDto {
  /** @example "665f1c2a4e8b3d4c5e9f607b" */
  id: string;

  /**
   * A relational user id.
   * @example "6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f"
   */
  authorId: string;

  /** @example "The section on multikey indexes saved my afternoon." */
  body: string;

  /** @example "2026-11-21T10:05:00.000Z" */
  createdAt: Date;
}

export class ContentDto {
  /**
   * A 24-hex MongoDB ObjectId.
   * @example "665f1c2a4e8b3d4c5e9f607a"
   */
  id: string;

  /** @example "Schema design for flexible documents" */
  title: string;

  /** @example "Embedding versus referencing, and when each pays off." */
  body: string;

  @ApiProperty({ enum: CONTENT_STATUSES, example: 'published' })
  status: ContentStatus;

  /**
   * The author's relational user id.
   * @example "6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f"
   */
  authorId: string;

  /** @example ["mongodb", "schema-design"] */
  tags: string[];

  @ApiProperty({ type: 'object', additionalProperties: true, example: METADATA_EXAMPLE })
  metadata: Record<string, unknown>;

  /** Oldest first. */
  comments: ContentCommentDto[];

  /** @example "2026-11-21T10:00:00.000Z" */
  createdAt: Date;

  /** @example "2026-11-21T10:00:00.000Z" */
  updatedAt: Date;
}

export class BulkCreateResultDto {
  /** @example 2 */
  created: number;

  /**
   * The new documents' ids, in the order of the request's items.
   * @example ["665f1c2a4e8b3d4c5e9f607a", "665f1c2a4e8b3d4c5e9f607c"]
   */
  ids: string[];
}

export class StatusCountDto {
  @ApiProperty({ enum: CONTENT_STATUSES, example: 'published' })
  status: ContentStatus;

  /** @example 12 */
  count: number;
}

export class TagCountDto {
  /** @example "mongodb" */
  tag: string;

  /** @example 7 */
  count: number;
}

export class ContentStatsDto {
  /** Statuses that have documents visible to the caller, alphabetically. */
  byStatus: StatusCountDto[];

  /** The most used tags among documents visible to the caller, most used first. */
  topTags: TagCountDto[];
}
