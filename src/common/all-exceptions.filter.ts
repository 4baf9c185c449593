import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import { DataSource } from 'typeorm';
import { classifyDatabaseError, uniqueViolationField } from '../database/database-errors';
import { BODY_LIMIT_BYTES } from './request-body';
import { RetryLaterException } from './retry-later.exception';
import { REQUEST_ID_HEADER } from './request-id';

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

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly dataSource?: DataSource,
  ) {}

  /** Replies through the HTTP adapter, so the same filter serves Express and Fastify. */
  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    if (httpAdapter.isHeadersSent(response)) return;
    if (exception instanceof HttpException && isHealthCheckBody(exception.getResponse())) {
      // Terminus reports a failed check with its own body, which the contract keeps as is.
      httpAdapter.reply(response, exception.getResponse(), exception.getStatus());
      return;
    }
    const requestId = httpAdapter.getHeader(response, REQUEST_ID_HEADER) as string | undefined;
    const body = this.toErrorBody(exception, requestId);
    if (exception instanceof RetryLaterException) {
      httpAdapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    } else if (
      body.statusCode === HttpStatus.TOO_MANY_REQUESTS &&
      !httpAdapter.getHeader(response, 'Retry-After')
    ) {
      httpAdapter.setHeader(response, 'Retry-After', '60');
    }
    httpAdapter.reply(response, body, body.statusCode);
  }

  /** `requestId` goes into the log lines, to find the request's line (and X-Request-Id). */
  toErrorBody(exception: unknown, requestId?: string): ErrorBody {
    const inRequest = requestId ? ` (request ${requestId})` : '';
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    const clientErrorStatus = httpClientErrorStatus(exception);
    if (clientErrorStatus) return this.fromStatus(clientErrorStatus, exception as Error);

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

  /**
   * A client error of the HTTP layer, raised before any route ran: the body parser's (Express's
   * `PayloadTooLargeError`, Fastify's `FST_ERR_CTP_BODY_TOO_LARGE`) carry only a status.
   */
  private fromStatus(statusCode: number, error: Error): ErrorBody {
    if (statusCode === HttpStatus.PAYLOAD_TOO_LARGE) {
      return errorBody(
        statusCode,
        `request body is larger than ${BODY_LIMIT_BYTES / 1024 ** 2} MB`,
      );
    }
    return errorBody(statusCode, error.message);
  }

  private fromHttpException(exception: HttpException): ErrorBody {
    const statusCode = exception.getStatus();
    if (statusCode === HttpStatus.PAYLOAD_TOO_LARGE) return this.fromStatus(statusCode, exception);
    const response = exception.getResponse();
    if (typeof response === 'string') return errorBody(statusCode, response);
    const { message } = response as { message?: string | string[] };
    return errorBody(statusCode, message ?? exception.message);
  }
}

/** The 4xx status of an error that carries one (http-errors' `status`, Fastify's `statusCode`). */
function httpClientErrorStatus(exception: unknown): number | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { status, statusCode } = exception as { status?: unknown; statusCode?: unknown };
  const code = typeof statusCode === 'number' ? statusCode : status;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
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
