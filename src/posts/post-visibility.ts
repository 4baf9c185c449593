import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AuthUser, isAdmin } from '../auth/auth-user';
import type { Post } from './post.entity';

/**
 * Who sees a post: anyone a published one; its author and admins a draft as well. To anyone
 * else a draft does not exist (404), and neither do its comments. The rule in SQL and in code.
 */
export function whereVisibleTo<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  postAlias: string,
  viewer?: AuthUser,
): SelectQueryBuilder<T> {
  if (isAdmin(viewer)) return query;
  if (!viewer) return query.andWhere(`${postAlias}.published = :visible`, { visible: true });
  return query.andWhere(
    `(${postAlias}.published = :visible OR ${postAlias}.authorId = :viewerId)`,
    {
      visible: true,
      viewerId: viewer.id,
    },
  );
}

export function isVisibleTo(
  post: Pick<Post, 'published' | 'authorId'>,
  viewer?: AuthUser,
): boolean {
  return post.published || isAdmin(viewer) || post.authorId === viewer?.id;
}
