import {
  BadRequestException,
  ConflictException,
  HttpException,
  InternalServerErrorException,
  PipeTransform,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { errorBody } from '../common/all-exceptions.filter';
import { flattenValidationErrors } from '../common/validation-errors';
import { CreateContentDto } from './dto/create-content.dto';

export const MAX_BULK_ITEMS = 500;

/**
 * Validates a `POST /content/bulk` body: an array of 1..500 items, each validated as the
 * global ValidationPipe validates `CreateContentDto` (which it cannot do for a top-level array).
 * Every item is checked before anything is written; messages name the item by index.
 */
export class ParseBulkContentPipe implements PipeTransform<unknown, CreateContentDto[]> {
  transform(body: unknown): CreateContentDto[] {
    if (!Array.isArray(body)) throw badRequest(['body must be an array of content items']);
    if (body.length === 0) throw badRequest(['body must contain at least 1 item']);
    if (body.length > MAX_BULK_ITEMS) {
      throw badRequest([`body must contain at most ${MAX_BULK_ITEMS} items, got ${body.length}`]);
    }

    const messages: string[] = [];
    const items = body.map((raw: unknown, index) => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        messages.push(`[${index}] must be an object`);
        return undefined;
      }
      const item = plainToInstance(CreateContentDto, raw);
      const errors = validateSync(item, { whitelist: true, forbidNonWhitelisted: true });
      messages.push(...flattenValidationErrors(errors).map((message) => `[${index}] ${message}`));
      return item;
    });
    if (messages.length > 0) throw badRequest(messages);
    return items as CreateContentDto[];
  }
}

function badRequest(messages: string[]): BadRequestException {
  return new BadRequestException(errorBody(400, messages));
}

interface WriteErrorLike {
  index: number;
  code?: number;
  errmsg?: string;
  // Mongoose re-indexes the driver's WriteErrors by spreading them, which keeps only the
  // wrapped server error (`err`), not the class's `code`/`errmsg` getters.
  err?: { code?: number; errmsg?: string };
}

interface BulkWriteErrorLike {
  writeErrors?: WriteErrorLike[] | WriteErrorLike;
  insertedDocs?: { _id: { toString(): string } }[];
}

/**
 * Turns a failed ordered `insertMany` (items were valid, the server refused one) into an answer
 * that says which items were created, which one failed and why, and which were not attempted.
 * Returns `undefined` for errors that are not per-item write errors (e.g. the store is down).
 */
export function describeBulkInsertFailure(
  error: unknown,
  total: number,
): HttpException | undefined {
  const { writeErrors, insertedDocs = [] } = (error ?? {}) as BulkWriteErrorLike;
  if (writeErrors === undefined) return undefined;
  const failures = (Array.isArray(writeErrors) ? writeErrors : [writeErrors])
    .map((failure) => ({
      index: failure.index,
      code: failure.code ?? failure.err?.code,
      errmsg: failure.errmsg ?? failure.err?.errmsg,
    }))
    .sort((a, b) => a.index - b.index);
  if (failures.length === 0) return undefined;

  const createdIds = insertedDocs.map((doc) => doc._id.toString());
  const lastAttempted = failures[failures.length - 1].index;
  const messages = [
    ...failures.map(
      (failure) =>
        `[${failure.index}] was not created: ${failure.errmsg ?? `write error ${failure.code}`}`,
    ),
    createdIds.length > 0
      ? `${createdIds.length} of ${total} items were created: ${createdIds.join(', ')}`
      : `none of the ${total} items was created`,
  ];
  if (lastAttempted < total - 1) {
    messages.push(`items [${lastAttempted + 1}] to [${total - 1}] were not attempted`);
  }
  const duplicatesOnly = failures.every((failure) => failure.code === 11000);
  return duplicatesOnly
    ? new ConflictException(errorBody(409, messages))
    : new InternalServerErrorException(errorBody(500, messages));
}
