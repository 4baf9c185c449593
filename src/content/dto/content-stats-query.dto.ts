import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class ContentStatsQueryDto {
  /**
   * How many of the most used tags to list, 1..100.
   * @example 10
   */
  @ApiPropertyOptional({ default: 10 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  tagLimit: number = 10;
}
