import { applyDecorators, BadRequestException, Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/i;

/**
 * Accepts exactly a 24-hex ObjectId (contract section 0). `@nestjs/mongoose`'s own pipe uses
 * `ObjectId.isValid`, which also accepts any 12-character string such as `"not-an-id!!!"`.
 * A missing document is the service's 404.
 */
export class ParseHexObjectIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name = 'id') {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !OBJECT_ID_PATTERN.test(value)) {
      throw new BadRequestException(`${this.name} must be a 24-character hexadecimal ObjectId`);
    }
    return value.toLowerCase();
  }
}

/** A content id path parameter: malformed is 400 naming the parameter. */
export function ObjectIdParam(name = 'id'): ParameterDecorator {
  return Param(name, new ParseHexObjectIdPipe(name));
}

/** Documents an ObjectId path parameter (the reflected type is only `string`). */
export function ApiObjectIdParam(name = 'id') {
  return applyDecorators(
    ApiParam({
      name,
      description: 'A 24-character hexadecimal MongoDB ObjectId',
      // Inside the schema: next to a schema, ApiParam drops a parameter-level example.
      schema: {
        type: 'string',
        pattern: OBJECT_ID_PATTERN.source,
        example: '665f1c2a4e8b3d4c5e9f607a',
      },
    }),
  );
}
