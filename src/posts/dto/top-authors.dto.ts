import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../common/pagination';
import { AuthorDto } from './author.dto';

export class TopAuthorsQueryDto {
  /**
   * How many authors, 1..100.
   * @example 10
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 10;
}

export class TopAuthorDto {
  user: AuthorDto;

  /**
   * Published posts.
   * @example 42
   */
  postCount: number;

  /**
   * The latest `publishedAt` of their posts.
   * @example "2026-11-21T10:05:00.000Z"
   */
  lastPostAt: Date;
}
