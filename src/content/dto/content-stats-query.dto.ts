import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryInteger } from '../../common/query-transforms';

const MAX_TOP_TAGS = 100;

export class ContentStatsQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_TOP_TAGS,
    default: 10,
    example: 10,
    description: 'How many of the most used tags to list, 1..100, in decimal digits.',
  })
  @QueryInteger(1, MAX_TOP_TAGS)
  tagLimit: number = 10;
}
