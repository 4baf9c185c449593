import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RetryLaterException } from '../common/retry-later.exception';

export const LOGIN_FAILURES_PER_NAME = 10;
export const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;

/** The options of a login-failure count, in memory or in Redis. */
export const LOGIN_FAILURE_COUNTS = {
  keyPrefix: 'login-failures',
  points: LOGIN_FAILURES_PER_NAME,
  duration: LOGIN_FAILURE_WINDOW_SECONDS,
};

/**
 * At most LOGIN_FAILURES_PER_NAME failed logins per login name in a window of
 * LOGIN_FAILURE_WINDOW_SECONDS that starts at the first failure, whatever the client's address
 * (contract section 1): a guesser spread over many addresses still gets 10 tries per name. An
 * unknown name is counted like a known one, so a 429 says nothing about whether it exists.
 *
 * An attempt takes its point before the password is checked, and a successful login gives it
 * back: concurrent attempts cannot slip past the limit together, and a locked name is refused
 * without its password being tried at all.
 */
export class LoginFailureLimit {
  constructor(private readonly counts: RateLimiterAbstract) {}

  /** Counts the attempt as a failure until `forgive`; 429 with Retry-After once the name is locked. */
  async countAttempt(loginName: string): Promise<void> {
    try {
      await this.counts.consume(loginName);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw new RetryLaterException(
        'too many failed logins for this login name; retry later',
        Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)),
      );
    }
  }

  /** The attempt succeeded: it is not a failure. */
  async forgive(loginName: string): Promise<void> {
    await this.counts.reward(loginName, 1);
  }
}

/** Counts in this process: for a single instance, or while Redis is unreachable. */
export function loginFailureCountsInMemory(): RateLimiterMemory {
  return new RateLimiterMemory(LOGIN_FAILURE_COUNTS);
}
