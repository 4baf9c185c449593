import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;

export class PaginationQueryDto {
  /**
   * Number of items to skip.
   * @example 0
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  skip: number = 0;

  /**
   * Page size, 1..100. Out of range is 400, never clamped.
   * @example 20
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 20;
}

export class PageDto<T> {
  items: T[];

  /** @example 123 */
  total: number;

  /** @example 0 */
  skip: number;

  /** @example 20 */
  limit: number;
}

export function toPage<T>(items: T[], total: number, query: PaginationQueryDto): PageDto<T> {
  return { items, total, skip: query.skip, limit: query.limit };
}

/** Documents a `PageDto` whose `items` are of the given DTO. */
export function ApiPageResponse(item: ClassType<unknown>, description?: string) {
  return applyDecorators(
    ApiExtraModels(PageDto, item),
    ApiOkResponse({
      description,
      schema: {
        allOf: [
          { $ref: getSchemaPath(PageDto) },
          { properties: { items: { type: 'array', items: { $ref: getSchemaPath(item) } } } },
        ],
      },
    }),
  );
}

// Swagger cannot infer the element type of a generic; the page schema's items are refined per route.
ApiProperty({ type: 'array', items: { type: 'object' } })(PageDto.prototype, 'items');
