import { applyDecorators, Type as ClassType } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
} from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { QueryInteger } from './query-transforms';

export const MAX_PAGE_SIZE = 100;
/**
 * The largest `skip`: an OFFSET every supported database takes (PostgreSQL's and SQLite's are
 * 64-bit, MariaDB's unsigned 64-bit), and the largest integer JavaScript holds exactly.
 */
const MAX_SKIP = Number.MAX_SAFE_INTEGER;
const MAX_CURSOR_LENGTH = 1024;
const SKIP_DOC = {
  type: 'integer',
  minimum: 0,
  maximum: MAX_SKIP,
  default: 0,
  example: 0,
} as const;
const CURSOR_EXAMPLE =
  'WyItY3JlYXRlZEF0IiwiMjAyNi0xMS0yMVQxMDowMDowMC4wMDBaIiwiNmYxYzJhNGUtOGIzZC00YzVlLTlmNjAtN2E4YjljMGQxZTJmIl0.kq3Jm1xv2iH4v0kQ9yQ3lA';

// The Swagger CLI plugin reads only *.dto.ts files, so this file documents itself with
// @ApiProperty: every list's skip/limit/cursor and envelope fields come from here.

/** The page size every list takes. */
export class PageSizeQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: 20,
    example: 20,
    description: 'Page size, 1..100, in decimal digits. Out of range is 400, never clamped.',
  })
  @QueryInteger(1, MAX_PAGE_SIZE)
  limit: number = 20;
}

export class PaginationQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({ ...SKIP_DOC, description: 'Number of items to skip, in decimal digits.' })
  @QueryInteger(0, MAX_SKIP)
  skip: number = 0;
}

/** Fails when the named sibling property is present too. */
function NotTogetherWith(sibling: string): PropertyDecorator {
  return ValidateBy({
    name: 'notTogetherWith',
    constraints: [sibling],
    validator: {
      validate: (_value, args) => (args?.object as Record<string, unknown>)[sibling] === undefined,
      defaultMessage: (args) => `${args?.property} and ${sibling} cannot be given together`,
    },
  });
}

/**
 * Offset or keyset pagination: `skip` as everywhere, or `cursor`, the `nextCursor` of the previous
 * page, whose cost does not grow with the depth. `skip` has no default here so that giving both
 * can be told apart from giving only a cursor.
 */
export class CursorPaginationQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({
    ...SKIP_DOC,
    description: 'Number of items to skip, in decimal digits. Not with `cursor`.',
  })
  @IsOptional()
  @QueryInteger(0, MAX_SKIP)
  skip?: number;

  @ApiPropertyOptional({
    maxLength: MAX_CURSOR_LENGTH,
    description:
      'The `nextCursor` of the previous page, passed back as it is: the page continues right ' +
      "after that page's last item, at the cost of a first page whatever the depth. Not with " +
      '`skip`. A cursor that was altered, or issued for another `sort`, is 400. An opaque ' +
      `string such as \`${CURSOR_EXAMPLE}\`.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  @NotTogetherWith('skip')
  cursor?: string;
}

export class PageDto<T> {
  items: T[];

  @ApiProperty({ type: 'integer', example: 123, description: 'Items matching the filters' })
  total: number;

  @ApiProperty({ type: 'integer', example: 0 })
  skip: number;

  @ApiProperty({ type: 'integer', example: 20 })
  limit: number;
}

export function toPage<T>(items: T[], total: number, query: PaginationQueryDto): PageDto<T> {
  return { items, total, skip: query.skip, limit: query.limit };
}

/** Documents a `PageDto` whose `items` are of the given DTO. */
export function ApiPageResponse(item: ClassType<unknown>, description?: string) {
  return ApiEnvelopeResponse(PageDto, item, description);
}

function ApiEnvelopeResponse(
  envelope: ClassType<unknown>,
  item: ClassType<unknown>,
  description?: string,
) {
  return applyDecorators(
    ApiExtraModels(envelope, item),
    ApiOkResponse({
      description,
      schema: {
        allOf: [
          { $ref: getSchemaPath(envelope) },
          { properties: { items: { type: 'array', items: { $ref: getSchemaPath(item) } } } },
        ],
      },
    }),
  );
}

/** A page of a list that also offers keyset pagination (`cursor`). */
export class CursorPageDto<T> {
  @ApiProperty({ type: 'array', items: { type: 'object' } })
  items: T[];

  @ApiProperty({ type: 'integer', example: 123, description: 'Items matching the filters' })
  total: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 0,
    description: 'Items skipped; null when the page was addressed by `cursor`',
  })
  skip: number | null;

  @ApiProperty({ type: 'integer', example: 20 })
  limit: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: CURSOR_EXAMPLE,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor: string | null;
}

export function toCursorPage<T>(
  items: T[],
  total: number,
  query: CursorPaginationQueryDto,
  nextCursor: string | null,
): CursorPageDto<T> {
  const skip = query.cursor === undefined ? (query.skip ?? 0) : null;
  return { items, total, skip, limit: query.limit, nextCursor };
}

/** Documents a `CursorPageDto` whose `items` are of the given DTO. */
export function ApiCursorPageResponse(item: ClassType<unknown>, description?: string) {
  return ApiEnvelopeResponse(CursorPageDto, item, description);
}

// Swagger cannot infer the element type of a generic; the page schema's items are refined per route.
ApiProperty({ type: 'array', items: { type: 'object' } })(PageDto.prototype, 'items');
