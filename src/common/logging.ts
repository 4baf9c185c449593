import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule, Params } from 'nestjs-pino';
import pino, { Logger as PinoInstance } from 'pino';
import { HttpLogger, pinoHttp } from 'pino-http';
import { appConfig, AppConfig } from '../config/configuration';
import { IdentifiedRequest } from './request-id';

/** The app's one pino logger: Nest's and the app's lines (through nestjs-pino), request lines. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/** pino-pretty is a development dependency: a production install may not have it. */
function prettyPrinterInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

function createAppLogger(config: AppConfig): PinoInstance {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    transport:
      config.nodeEnv === 'development' && !config.logFile && prettyPrinterInstalled()
        ? { target: 'pino-pretty', options: { singleLine: true, colorize: true } }
        : undefined,
  };
  if (!config.logFile) return pino(options);
  return pino(options, pino.destination({ dest: config.logFile, mkdir: true, sync: false }));
}

/** The route pattern (`/posts/:id`) of a request, where the platform has matched one. */
function routeOf(req: IncomingMessage): string | undefined {
  return (req as IncomingMessage & { route?: { path?: unknown } }).route?.path as
    string | undefined;
}

function levelOf(statusCode: number): 'error' | 'warn' | 'info' {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/**
 * Middleware writing one line per request once its response is sent, through pino-http, on
 * either platform: method, URL, route pattern, status, duration and request id (the X-Request-Id
 * the response carried, see assignRequestId); 5xx at error level, 4xx at warn, the rest at info.
 * Neither bodies nor headers are logged, so neither passwords nor bearer tokens reach a log.
 */
export function requestLogger(logger: PinoInstance): HttpLogger {
  // `req` is on every line already: pino-http binds it to the child logger it makes per request.
  const line = (req: IncomingMessage, res: ServerResponse, value: { durationMs: number }) => ({
    requestId: (req as IdentifiedRequest).id,
    res,
    route: routeOf(req),
    durationMs: value.durationMs,
  });
  return pinoHttp<IncomingMessage, ServerResponse>({
    logger,
    // assignRequestId ran first and set req.id; pino-http keeps it.
    genReqId: (req) => (req as IdentifiedRequest).id ?? '',
    customAttributeKeys: { responseTime: 'durationMs' },
    // What the child logger binds is serialised when it is made, once per request: cheap, and
    // nothing about headers.
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, url: req.url }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error ? 'error' : levelOf(res.statusCode)),
    customSuccessObject: line,
    customErrorObject: (req, res, _error, value: { durationMs: number }) => line(req, res, value),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request completed',
  });
}

/**
 * Structured JSON logs through pino: one line per request (requestLogger) and the app's own log
 * lines. Pretty, coloured output in development.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [ConfigModule.forFeature(appConfig)],
      providers: [{ provide: APP_LOGGER, inject: [appConfig.KEY], useFactory: createAppLogger }],
      inject: [APP_LOGGER],
      // nestjs-pino's own request logging (pino-http, plus an AsyncLocalStorage context per
      // request that nothing here reads) is not mounted: requestLogger writes those lines.
      useFactory: (logger: PinoInstance): Params => ({ pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
})
export class LoggingModule {}
