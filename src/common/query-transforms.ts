import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

const DECIMAL_INTEGER = /^(0|[1-9][0-9]*)$/;

/**
 * Query strings carry booleans as text; `Boolean("false")` would be true. Only the literal words
 * convert; anything else stays a string so `@IsBoolean()` rejects it with a 400.
 */
export function ToBoolean(): PropertyDecorator {
  return Transform(({ value }) => {
    if (value === 'true' || value === true) return true;
    if (value === 'false' || value === false) return false;
    return value;
  });
}

/** Trims a string value; leaves other types for the validators to reject. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
}

/** Lower-cases and trims a string value; leaves other types for the validators to reject. */
export function ToLowerCase(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));
}

/**
 * An integer query parameter from `min` to `max`, written in decimal digits only: no sign,
 * exponent, fraction, leading zero, space or hex (`-0`, `1e3`, `1.5`, `007`, ` 1`, `0x10`), which
 * JavaScript's Number() would take. Anything else, a repeated parameter included, is 400 naming
 * the parameter; the property's initialiser is the default when it is absent.
 */
export function QueryInteger(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) =>
      typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
    ),
    ValidateBy({
      name: 'queryInteger',
      constraints: [min, max],
      validator: {
        validate: (value) =>
          typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
        defaultMessage: (args) =>
          `${args?.property} must be an integer from ${min} to ${max}, in decimal digits`,
      },
    }),
  );
}
