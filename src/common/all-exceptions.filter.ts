import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DataSource } from 'typeorm';
import { classifyDatabaseError, uniqueViolationField } from '../database/database-errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

/**
 * Turns every failure into the contract's error shape. Database errors are mapped here, once, by
 * driver code; anything unexpected is a 500 whose log line carries the error name and message but
 * never the SQL parameters (they may hold a password hash).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly dataSource?: DataSource) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException && isHealthCheckBody(exception.getResponse())) {
      // Terminus reports a failed check with its own body, which the contract keeps as is.
      reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    const body = this.toErrorBody(exception, host.switchToHttp().getRequest<FastifyRequest>()?.id);
    if (body.statusCode === HttpStatus.TOO_MANY_REQUESTS && !reply.getHeader('Retry-After')) {
      reply.header('Retry-After', '60');
    }
    if (!reply.sent) reply.status(body.statusCode).send(body);
  }

  /** `requestId` goes into the log lines, to find the request's line (and X-Request-Id). */
  toErrorBody(exception: unknown, requestId?: string): ErrorBody {
    const inRequest = requestId ? ` (request ${requestId})` : '';
    if (exception instanceof HttpException) return this.fromHttpException(exception);

    switch (classifyDatabaseError(exception)) {
      case 'unique': {
        const field = uniqueViolationField(exception, this.dataSource);
        return errorBody(
          HttpStatus.CONFLICT,
          field ? `${field} is already taken` : 'a resource with these values already exists',
        );
      }
      case 'foreign-key':
        return errorBody(
          HttpStatus.CONFLICT,
          'the change conflicts with related data (a referenced resource is missing or still in use)',
        );
      case 'not-null':
        return errorBody(HttpStatus.BAD_REQUEST, 'a required value is missing');
      case 'too-long':
        return errorBody(HttpStatus.BAD_REQUEST, 'a value is longer than allowed');
      case 'invalid-value':
        return errorBody(HttpStatus.BAD_REQUEST, 'a value has an invalid format');
      case 'unavailable':
        this.logger.warn(`database unavailable: ${describe(exception)}${inRequest}`);
        return errorBody(
          HttpStatus.SERVICE_UNAVAILABLE,
          'the database is unavailable, retry later',
        );
    }

    this.logger.error(`unhandled ${describe(exception)}${inRequest}`, (exception as Error)?.stack);
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal server error');
  }

  private fromHttpException(exception: HttpException): ErrorBody {
    const statusCode = exception.getStatus();
    // Fastify refuses a body over its limit (app.setup.ts) before any route runs; Nest hands that
    // over as a bare 413.
    if (statusCode === HttpStatus.PAYLOAD_TOO_LARGE) {
      return errorBody(statusCode, 'request body is larger than 1 MB');
    }
    const response = exception.getResponse();
    if (typeof response === 'string') return errorBody(statusCode, response);
    const { message } = response as { message?: string | string[] };
    return errorBody(statusCode, message ?? exception.message);
  }
}

function isHealthCheckBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'status' in body && 'details' in body;
}

export function errorBody(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

function describe(exception: unknown): string {
  if (exception instanceof Error) {
    const code = (exception as { code?: string }).code;
    return `${exception.name}${code ? ` [${code}]` : ''}: ${exception.message}`;
  }
  return String(exception);
}
