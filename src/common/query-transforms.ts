import { Transform } from 'class-transformer';

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
