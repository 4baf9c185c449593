import { BadRequestException } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_BYTES = 16;

export const INVALID_CURSOR_MESSAGE =
  'cursor is malformed or was altered: pass the nextCursor of a previous page unchanged';

/**
 * Opaque, tamper-evident keyset cursors: the base64url JSON of a position in a sort order (the
 * last item's sort value and id), a dot, and a truncated HMAC-SHA256 of that text. A client can
 * read a cursor but not forge one, so a cursor that decodes is one this API issued.
 */
export class KeysetCursorCodec {
  private readonly key: Buffer;

  /** `purpose` separates the keys of different lists, and from every other use of the secret. */
  constructor(secret: string, purpose: string) {
    this.key = createHmac('sha256', secret).update(`keyset-cursor:${purpose}`).digest();
  }

  encode(position: unknown[]): string {
    const body = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
    return `${body}.${this.sign(body).toString('base64url')}`;
  }

  /** The position a cursor stands for, or a 400 when this codec did not issue it. */
  decode(cursor: string): unknown[] {
    const [body, signature, ...rest] = cursor.split('.');
    if (!body || !signature || rest.length > 0) throw invalidCursor();
    const given = Buffer.from(signature, 'base64url');
    const expected = this.sign(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw invalidCursor();
    }
    let position: unknown;
    try {
      position = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!Array.isArray(position)) throw invalidCursor();
    return position;
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, SIGNATURE_BYTES);
  }
}

/** A validation error of the `cursor` query parameter, in the contract's 400 shape. */
export function invalidCursor(message = INVALID_CURSOR_MESSAGE): BadRequestException {
  return new BadRequestException([message]);
}
