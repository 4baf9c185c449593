import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * The fewest guesses zxcvbn may estimate for a password: where its score 3 of 4 begins. (Its
 * score adds a margin of 5 guesses, which puts 8 random characters, 10^8 + 1 guesses, at score 2;
 * the contract wants them to pass, so the bound is on the guesses.)
 */
const MIN_PASSWORD_GUESSES = 1e8;

/**
 * zxcvbn judges this many leading characters. Its cost grows with the square of the length, on
 * the event loop: 128 characters took up to 140 ms here, the first 32 at most 17 ms. A password
 * whose first 32 characters are strong is strong.
 */
export const JUDGED_PASSWORD_LENGTH = 32;

/** zxcvbn's warnings, in words (its English package would add 17 MiB for these lines). */
const WARNINGS: Record<string, string> = {
  straightRow: 'straight rows of keys are easy to guess',
  keyPattern: 'short keyboard patterns are easy to guess',
  simpleRepeat: 'repeated characters like "aaa" are easy to guess',
  extendedRepeat: 'repeated patterns like "abcabcabc" are easy to guess',
  sequences: 'sequences like "abc" or "123" are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
  topTen: 'it is one of the most used passwords',
  topHundred: 'it is a very frequently used password',
  common: 'it is a commonly used password',
  similarToCommon: 'it is similar to a commonly used password',
  wordByItself: 'single words are easy to guess',
  namesByThemselves: 'single names are easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains your username, e-mail or name',
};

let estimator: ZxcvbnFactory | undefined;

/**
 * Loaded on the first password judged, not at startup: the common-passwords dictionary costs
 * some 20 MiB, which a server that registers nobody need not pay.
 */
function strengthEstimator(): ZxcvbnFactory {
  if (!estimator) {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
    const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common =
      require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    /* eslint-enable @typescript-eslint/no-require-imports */
    estimator = new ZxcvbnFactory({
      dictionary: common.dictionary,
      graphs: common.adjacencyGraphs,
      maxLength: JUDGED_PASSWORD_LENGTH,
    });
  }
  return estimator;
}

/**
 * Why a password is too weak, or undefined when it is strong enough. `userInputs` (the account's
 * username, e-mail, name) count as known words.
 */
export function passwordWeakness(
  password: string,
  userInputs: readonly string[] = [],
): string | undefined {
  const result = strengthEstimator().check(password, [...userInputs]);
  if (result.guesses >= MIN_PASSWORD_GUESSES) return undefined;
  const warning = result.feedback.warning ? WARNINGS[result.feedback.warning] : undefined;
  return `password is too weak${warning ? `: ${warning}` : ''}; use a longer password or a few uncommon words`;
}

/** The account fields of the same body that a password should not be built from. */
function accountInputs(body: object): string[] {
  const { username, email, fullName } = body as Record<string, unknown>;
  const inputs = [username, fullName, typeof email === 'string' ? email.split('@')[0] : undefined];
  return inputs.filter((input): input is string => typeof input === 'string' && input.length > 0);
}

/**
 * Refuses a password that zxcvbn estimates at fewer than MIN_PASSWORD_GUESSES guesses, with the
 * reason it gives. Only a string is judged (`@IsString()` answers for anything else).
 */
export function IsNotWeakPassword(options?: ValidationOptions): PropertyDecorator {
  // Per body: the reason found by `validate`, for the message of the same validation.
  const reasons = new WeakMap<object, string>();
  return (target, propertyName) => {
    registerDecorator({
      name: 'isNotWeakPassword',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          if (typeof value !== 'string') return true;
          const reason = passwordWeakness(value, accountInputs(args.object));
          if (reason) reasons.set(args.object, reason);
          return reason === undefined;
        },
        defaultMessage: (args?: ValidationArguments) =>
          (args && reasons.get(args.object)) ?? 'password is too weak',
      },
    });
  };
}
