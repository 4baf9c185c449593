import { BadRequestException } from '@nestjs/common';

export const MAX_BODY_DEPTH = 64;

/** Depth of a parsed JSON value, measured without recursion (a hostile body can nest 100k deep). */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Checks a parsed JSON body before validation walks it: class-validator and class-transformer
 * recurse, and a body nested deep enough would overflow the stack (a 500).
 */
export function assertBodyDepth(body: unknown): void {
  if (jsonDepth(body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
    throw new BadRequestException(`request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  }
}
