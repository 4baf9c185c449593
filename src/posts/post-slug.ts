/** Room left after the base for a collision suffix, within the column's 255 characters. */
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

/** `base` when it is free, otherwise the first free of `base-2`, `base-3`, ... */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
