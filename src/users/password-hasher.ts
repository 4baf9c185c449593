import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

// OWASP's minimum argon2id profile (19 MiB, 2 passes): strong, and fast enough for login traffic.
const HASH_OPTIONS: argon2.HashOptions = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, HASH_OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real verification, so unknown logins cannot be told apart. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('not-a-real-password-0000');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
