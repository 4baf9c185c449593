import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse, getSchemaPath, ResponseObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

// The Swagger CLI plugin reads only *.dto.ts files: every field here needs its @ApiProperty.
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 409, description: 'The HTTP status code' })
  statusCode: number;

  @ApiProperty({ example: 'Conflict', description: 'The standard reason phrase of the status' })
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
  500: 'An unexpected failure of the server, logged with the request id (never for bad input)',
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
  500: 'internal server error',
  503: 'the database is unavailable, retry later',
};

function errorExample(status: number): ErrorResponseDto {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: EXAMPLES[status] };
}

/** Documents the contract's error responses of a route with the shared error schema. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        type: ErrorResponseDto,
        example: errorExample(status),
      }),
    ),
  );
}

/** The response `ApiErrors(status)` documents, for a document completed by hand (app.setup.ts). */
export function errorResponseObject(status: number): ResponseObject {
  return {
    description: DESCRIPTIONS[status],
    content: {
      'application/json': {
        schema: { $ref: getSchemaPath(ErrorResponseDto) },
        example: errorExample(status),
      },
    },
  };
}
