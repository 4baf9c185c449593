import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, Matches } from 'class-validator';

export const MAX_TAG_NAME_LENGTH = 50;
export const MAX_TAGS_PER_ITEM = 10;
export const TAG_NAME_PATTERN = /^[a-z0-9-]{1,50}$/;

/** Contract section 3: trimmed, lower-cased, each inner run of whitespace one `-`. */
export function normalizeTagName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '-');
}

/** Normalises every name and collapses duplicates, keeping the position of the first one. */
export function normalizeTagNames(names: readonly string[]): string[] {
  return [...new Set(names.map(normalizeTagName))];
}

/**
 * Normalises a list of tag names before validation. A single string (a query parameter given
 * once) becomes a one-item list; anything that is not a list of strings is left as it is for the
 * validators to reject, so `{"$gt": ""}` never turns into a name.
 */
export function NormalizeTagNames(): PropertyDecorator {
  return Transform(({ value }) => {
    const names: unknown = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) return value;
    return normalizeTagNames(names);
  });
}

/** A list of up to 10 tag names, normalised, each then 1..50 of `[a-z0-9-]`. */
export function TagNames(): PropertyDecorator {
  return applyDecorators(
    NormalizeTagNames(),
    IsArray(),
    ArrayMaxSize(MAX_TAGS_PER_ITEM),
    IsString({ each: true }),
    Matches(TAG_NAME_PATTERN, {
      each: true,
      message: ({ property }) =>
        `${property} must each be 1..${MAX_TAG_NAME_LENGTH} letters, digits or "-" once trimmed and lower-cased`,
    }),
  );
}
