import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

const UUID_EXAMPLE = '6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f';

/**
 * A UUID path parameter: malformed is 400 naming the parameter (a missing row is the service's
 * 404). It documents itself in Swagger too (format and example), since the reflected type says
 * only `string`.
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  const param = Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => new BadRequestException(`${name} must be a UUID`),
    }),
  );
  const documentation = ApiParam({
    name,
    description: 'A UUID',
    schema: { type: 'string', format: 'uuid', example: UUID_EXAMPLE },
  });
  return (target, propertyKey, index) => {
    param(target, propertyKey, index);
    if (propertyKey === undefined) return;
    // ApiParam is a method decorator: it keeps its metadata on the handler function itself.
    const handler = (target as Record<string | symbol, unknown>)[propertyKey];
    documentation(target, propertyKey, { value: handler });
  };
}
