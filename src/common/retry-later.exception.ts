import { HttpException, HttpStatus } from '@nestjs/common';

/** A 429 that knows when the client may try again; the exception filter sends it as Retry-After. */
export class RetryLaterException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
