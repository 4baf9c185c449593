import { BadRequestException } from '@nestjs/common';
import { IncomingMessage } from 'node:http';

/**
 * `__proto__`, `constructor`, `toString`, `hasOwnProperty`, ...: the names of Object.prototype's
 * members. A body or query key with such a name either reaches an object's prototype when it is
 * copied, or shadows a method that code later calls (`limit[toString]=1` once made a 500), so it
 * is refused wherever it appears, naming it.
 */
export function isPrototypeMemberName(key: string): boolean {
  return key === '__proto__' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

/**
 * Middleware, before any query string is parsed: 400 for a query key with a prototype member's
 * name in it (`toString=1`, `limit[toString]=1`), which the query parser would otherwise drop
 * without a word. Reads Node's request URL, so it serves either platform.
 */
export function refusePrototypeKeysInQuery(
  req: IncomingMessage,
  _res: unknown,
  next: (error?: unknown) => void,
): void {
  const url = req.url ?? '';
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return next();
  for (const pair of url.slice(queryStart + 1).split('&')) {
    const key = decodeQueryKey(pair.split('=', 1)[0]);
    const name = key?.split(/[[\]]/).find(isPrototypeMemberName);
    if (name !== undefined) {
      return next(
        new BadRequestException(`query parameter "${key}" must not use the name "${name}"`),
      );
    }
  }
  next();
}

/** As the query parser decodes a key (`+` is a space); undefined when it is malformed. */
function decodeQueryKey(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
