import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request as the request-id middleware leaves it: its id is the one in X-Request-Id. */
export type IdentifiedRequest = IncomingMessage & { id?: string };

/**
 * Middleware, first on every request on either platform (it sees Node's request and response):
 * the request's id is the caller's `X-Request-Id` when that is a sane token, else a new one. It is
 * echoed in the response header and ties the request's log line and error lines to it.
 */
export function assignRequestId(
  req: IdentifiedRequest,
  res: ServerResponse,
  next: () => void,
): void {
  const given = req.headers['x-request-id'];
  req.id = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, req.id);
  next();
}
