import { ApiProperty } from '@nestjs/swagger';
import { TagRefDto } from '../../tags/dto/tag.dto';
import { AuthorDto } from './author.dto';

export class PostDto {
  /** @example "0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b" */
  id: string;

  /** @example "Designing many-to-many relations" */
  title: string;

  /**
   * Unique, derived from the title when the post is created and kept when the title changes
   * later, so links to the post keep working. A title whose slug is taken gets `-2`, `-3`, ...
   * @example "designing-many-to-many-relations"
   */
  slug: string;

  /** @example "A post has many tags and a tag has many posts: a link table joins them." */
  content: string;

  /** @example true */
  published: boolean;

  /**
   * When the post was first published; kept if it is unpublished later; null if never published.
   * @example "2026-11-21T10:05:00.000Z"
   */
  publishedAt: Date | null;

  /** @example "2026-11-21T10:00:00.000Z" */
  createdAt: Date;

  /** @example "2026-11-21T10:05:00.000Z" */
  updatedAt: Date;

  author: AuthorDto;

  @ApiProperty({ type: [TagRefDto], description: 'Sorted by name' })
  tags: TagRefDto[];

  /** @example 3 */
  commentCount: number;
}
