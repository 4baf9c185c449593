import { BadRequestException } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';

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
 * Rejects bodies nested deeper than any DTO needs before validation walks them: class-validator
 * and class-transformer recurse, and a deep enough body would overflow the stack (a 500).
 */
export function bodyDepthMiddleware(req: Request, _res: Response, next: NextFunction): void {
  if (jsonDepth(req.body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
    next(new BadRequestException(`request body is nested deeper than ${MAX_BODY_DEPTH} levels`));
    return;
  }
  next();
}
