import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';

/** A UUID path parameter: malformed is 400 naming the parameter (a missing row is the service's 404). */
export function UuidParam(name = 'id'): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => new BadRequestException(`${name} must be a UUID`),
    }),
  );
}
