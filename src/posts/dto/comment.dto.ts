import { IsString, Length, Matches } from 'class-validator';
import type { Comment } from '../comment.entity';
import { AuthorDto } from './author.dto';

export class CreateCommentDto {
  /**
   * 1..5000 characters, not blank.
   * @example "Great explanation of the link table, thanks!"
   */
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, { message: 'body must not be blank' })
  body: string;
}

export class CommentDto {
  /** @example "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" */
  id: string;

  /** @example "0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b" */
  postId: string;

  /** @example "Great explanation of the link table, thanks!" */
  body: string;

  /** @example "2026-11-21T11:00:00.000Z" */
  createdAt: Date;

  author: AuthorDto;
}

export function toCommentDto(
  comment: Omit<Comment, 'author' | 'post'> & { author: AuthorDto },
): CommentDto {
  return {
    id: comment.id,
    postId: comment.postId,
    body: comment.body,
    createdAt: comment.createdAt,
    author: { id: comment.author.id, username: comment.author.username },
  };
}
