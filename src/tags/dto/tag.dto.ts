import type { Tag } from '../tag.entity';

/** A tag as it appears on a post. */
export class TagRefDto {
  /** @example "3d6f0a52-1c7e-4b8a-9e2d-5f4c3b2a1e0d" */
  id: string;

  /** @example "typeorm" */
  name: string;
}

export class TagDto extends TagRefDto {
  /**
   * Number of published posts carrying the tag.
   * @example 12
   */
  postCount: number;

  /** @example "2026-11-21T10:00:00.000Z" */
  createdAt: Date;
}

export function toTagRefDto(tag: Tag): TagRefDto {
  return { id: tag.id, name: tag.name };
}

export function toTagDto(tag: Tag, postCount: number): TagDto {
  return { id: tag.id, name: tag.name, postCount, createdAt: tag.createdAt };
}
