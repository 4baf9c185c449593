import { ValidateIf } from 'class-validator';

/**
 * An optional body field that is not nullable: it may be left out, but `null` is validated like
 * any other value, and refused. (`@IsOptional()` would let `null` through as if absent.)
 */
export const Omittable = (): PropertyDecorator =>
  ValidateIf((_object, value: unknown) => value !== undefined);
