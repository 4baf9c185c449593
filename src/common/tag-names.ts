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
 * Normalises a list of tag names before validation. Anything that is not a list of strings is
 * left as it is for the validators to reject, so `{"$gt": ""}` never turns into a name. With
 * `singleAsList`, a single string becomes a one-item list: a repeatable query parameter given
 * once. A body is never coerced: `"tags": "x"` is a 400, not the tag `x`.
 */
function NormalizeTagNames(singleAsList: boolean): PropertyDecorator {
  return Transform(({ value }) => {
    const names: unknown = singleAsList && typeof value === 'string' ? [value] : value;
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) return value;
    return normalizeTagNames(names);
  });
}

function tagNameList(singleAsList: boolean): PropertyDecorator {
  return applyDecorators(
    NormalizeTagNames(singleAsList),
    IsArray(),
    ArrayMaxSize(MAX_TAGS_PER_ITEM),
    IsString({ each: true, message: ({ property }) => `${property} must hold only strings` }),
    Matches(TAG_NAME_PATTERN, {
      each: true,
      message: ({ property }) =>
        `${property} must each be 1..${MAX_TAG_NAME_LENGTH} letters, digits or "-" once trimmed and lower-cased`,
    }),
  );
}

/** A body's list of up to 10 tag names, normalised, each then 1..50 of `[a-z0-9-]`. */
export function TagNames(): PropertyDecorator {
  return tagNameList(false);
}

/** The repeatable query parameter `tag`: the same rules, and given once it is a list of one. */
export function TagNamesQuery(): PropertyDecorator {
  return tagNameList(true);
}
