import { ApiProperty } from '@nestjs/swagger';
import { TagRefDto, toTagRefDto } from '../../tags/dto/tag.dto';
import type { Post } from '../post.entity';
import { AuthorDto } from './author.dto';

export class PostDto {
  /** @example "0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b" */
  id: string;

  /** @example "Designing many-to-many relations" */
  title: string;

  /**
   * Unique: the title's slug and a random 6-character suffix, given when the post is created and
   * kept when the title changes later, so links to the post keep working. Every post has a
   * suffix, so a slug says nothing about other posts of the same title (hidden drafts included).
   * Posts written before slugs existed keep the `title`, `title-2`, ... they were given then.
   * @example "designing-many-to-many-relations-k3x9qa"
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

/** A post loaded with its author's public identity and its tags, as every post response needs. */
export type PostWithRelations = Pick<
  Post,
  | 'id'
  | 'title'
  | 'slug'
  | 'content'
  | 'published'
  | 'publishedAt'
  | 'createdAt'
  | 'updatedAt'
  | 'tags'
  | 'commentCount'
> & { author: AuthorDto };

export function toPostDto(post: PostWithRelations): PostDto {
  return {
    id: post.id,
    title: post.title,
    slug: post.slug,
    content: post.content,
    published: post.published,
    publishedAt: post.publishedAt,
    createdAt: post.createdAt,
    updatedAt: post.updatedAt,
    author: { id: post.author.id, username: post.author.username },
    // Sorted here, by code point on every dialect, rather than by an ORDER BY on the joined tags.
    tags: [...post.tags].sort((a, b) => (a.name < b.name ? -1 : 1)).map(toTagRefDto),
    commentCount: post.commentCount,
  };
}
