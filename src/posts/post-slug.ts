import { randomInt } from 'node:crypto';

/** Room left after the base for a suffix, within the column's 255 characters. */
const MAX_BASE_SLUG_LENGTH = 200;
const FALLBACK_SLUG = 'post';

/**
 * The URL slug of a title: accents dropped, lower-cased, every run of anything but `a-z0-9`
 * turned into one `-`, trimmed of dashes. A title with nothing left (only symbols, or a script
 * without Latin letters) gets `post`, made unique like any other by a suffix.
 */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || FALLBACK_SLUG;
}

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX_LENGTH = 6;

/**
 * The slug of a new post: its title's slug and a random suffix, `hello-world-k3x9qa`. Every slug
 * has one, so that a slug tells nothing about other posts of the same title: with the bare slug
 * for the first and a counter or a suffix for the next, an author whose post got `hello-world-2`
 * would learn that someone's hidden draft holds `hello-world`. 36^6 suffixes make a collision
 * within one title rare; the unique index catches it and the post is saved with another.
 */
export function newPostSlug(title: string, random: (max: number) => number = randomInt): string {
  const suffix = Array.from({ length: SUFFIX_LENGTH }, () => SUFFIX_ALPHABET[random(36)]);
  return `${slugify(title)}-${suffix.join('')}`;
}

/**
 * `base` when it is free, otherwise the first free of `base-2`, `base-3`, ...: the slugs that the
 * AddPostSlug migration gave the posts written before slugs existed.
 */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
