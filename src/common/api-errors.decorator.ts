import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export class ErrorResponseDto {
  /** @example 409 */
  statusCode: number;

  /** @example "Conflict" */
  error: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'username is already taken',
    description: 'A sentence, or for validation errors an array of sentences naming the fields',
  })
  message: string | string[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: malformed id, body or query (message names the fields)',
  401: 'Missing, invalid or expired bearer token, or wrong credentials',
  403: 'Authenticated, but not allowed to do this',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with existing data (the message names the field)',
  413: 'Request body larger than 1 MB',
  429: 'Rate limited; see the Retry-After header',
  503: 'A dependency (database) is unavailable',
};

const EXAMPLES: Record<number, string | string[]> = {
  400: ['limit must not be greater than 100'],
  401: 'Unauthorized',
  403: 'you may only change your own account',
  404: 'user not found',
  409: 'username is already taken',
  413: 'request body is larger than 1 MB',
  429: 'ThrottlerException: Too Many Requests',
  503: 'the database is unavailable, retry later',
};

/** Documents the contract's error responses of a route with the shared error schema. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        type: ErrorResponseDto,
        example: {
          statusCode: status,
          error: STATUS_CODES[status],
          message: EXAMPLES[status],
        },
      }),
    ),
  );
}
