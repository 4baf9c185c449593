import { IncomingMessage, ServerResponse } from 'node:http';

/** For the routes whose answer is private although the request carries no credentials. */
export const NO_STORE = ['Cache-Control', 'no-store'] as const;

/**
 * Middleware: the answer to a request with an Authorization header may hold the caller's own
 * data (their e-mail, their drafts, `/auth/me`), so no cache, the browser's included, keeps it.
 * Login and registration say so on their routes (NO_STORE): they answer a token and an e-mail.
 */
export function noStoreWithCredentials(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  if (req.headers.authorization !== undefined) res.setHeader(...NO_STORE);
  next();
}
