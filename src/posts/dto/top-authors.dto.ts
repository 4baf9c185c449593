import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PAGE_SIZE } from '../../common/pagination';
import { QueryInteger } from '../../common/query-transforms';
import { AuthorDto } from './author.dto';

export class TopAuthorsQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: 10,
    example: 10,
    description: 'How many authors, 1..100, in decimal digits.',
  })
  @QueryInteger(1, MAX_PAGE_SIZE)
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
