import { BadRequestException } from '@nestjs/common';
import { isPrototypeMemberName } from './prototype-keys';

export const BODY_LIMIT_BYTES = 1024 * 1024;
export const MAX_BODY_DEPTH = 64;
/** Keys of one object, or items of one array (a bulk request has at most 500 items). */
export const MAX_BODY_ENTRIES_PER_CONTAINER = 1000;
/** Keys and items of the whole body, at every depth. */
export const MAX_BODY_ENTRIES = 20_000;

/**
 * Checks a parsed JSON body before anything transforms or validates it, walking it once without
 * recursion (a hostile body can nest 100k deep). It must be an object or an array (as JSON bodies
 * of this API are), and within bounds that keep the work after it small:
 * - at most MAX_BODY_DEPTH levels: class-validator and class-transformer recurse, so a body nested
 *   deep enough would overflow the stack (a 500);
 * - at most MAX_BODY_ENTRIES_PER_CONTAINER keys in one object (or items in one array) and
 *   MAX_BODY_ENTRIES in all: class-transformer removes duplicate keys with a loop quadratic in an
 *   object's key count, so 60,000 keys (under 1 MB) held the process for 1.5 s;
 * - no key named like a member of Object.prototype (`__proto__`, `constructor`, `toString`...):
 *   class-transformer would copy `__proto__` onto the DTO as its prototype.
 */
export function assertSafeJsonBody(body: unknown): void {
  if (body === undefined) return; // no JSON body: validation answers
  if (body === null || typeof body !== 'object') {
    throw new BadRequestException('request body must be a JSON object or array');
  }
  const stack: [unknown, number][] = [[body, 1]];
  let entries = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) {
      throw new BadRequestException(`request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
    }
    const children = Object.entries(current);
    if (children.length > MAX_BODY_ENTRIES_PER_CONTAINER) {
      throw new BadRequestException(
        `request body has an object or array of more than ${MAX_BODY_ENTRIES_PER_CONTAINER} entries`,
      );
    }
    entries += children.length;
    if (entries > MAX_BODY_ENTRIES) {
      throw new BadRequestException(
        `request body has more than ${MAX_BODY_ENTRIES} keys and items in all`,
      );
    }
    for (const [key, value] of children) {
      if (isPrototypeMemberName(key)) {
        throw new BadRequestException(`request body must not contain the key "${key}"`);
      }
      stack.push([value, depth + 1]);
    }
  }
}

/** The JSON of a request body, checked; a body that is not JSON is a 400 saying so. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestException('request body is not valid JSON');
  }
  assertSafeJsonBody(body);
  return body;
}
