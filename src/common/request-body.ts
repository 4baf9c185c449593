import { BadRequestException } from '@nestjs/common';

export const BODY_LIMIT_BYTES = 1024 * 1024;
export const MAX_BODY_DEPTH = 64;

/**
 * Whether a key would reach an object's prototype when the parsed body is copied or merged:
 * `__proto__`, or `constructor` holding a `prototype` (the keys secure-json-parse refuses).
 */
function reachesPrototype(key: string, value: unknown): boolean {
  if (key === '__proto__') return true;
  return (
    key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value
  );
}

/**
 * Checks a parsed JSON body before validation walks it: an object or an array (as JSON bodies
 * of this API are), measured without recursion (a hostile
 * body can nest 100k deep): class-validator and class-transformer recurse, so a body nested deep
 * enough would overflow the stack (a 500), and a `__proto__` key copied by class-transformer
 * would replace the DTO's prototype.
 */
export function assertSafeJsonBody(body: unknown): void {
  if (body === undefined) return; // no JSON body: validation answers
  if (body === null || typeof body !== 'object') {
    throw new BadRequestException('request body must be a JSON object or array');
  }
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) {
      throw new BadRequestException(`request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
    }
    for (const [key, value] of Object.entries(current)) {
      if (reachesPrototype(key, value)) {
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
