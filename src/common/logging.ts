import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule, Params } from 'nestjs-pino';
import pino from 'pino';
import { Options } from 'pino-http';
import { appConfig, AppConfig } from '../config/configuration';

const ROUTE = Symbol('route');
type RoutedRequest = IncomingMessage & { id?: string; [ROUTE]?: string };

/** pino-http sees the raw request only; Fastify, which matched the route, hands its pattern over. */
export function setLoggedRoute(req: IncomingMessage, route: string | undefined): void {
  (req as RoutedRequest)[ROUTE] = route;
}

const routeOf = (req: IncomingMessage) => (req as RoutedRequest)[ROUTE];

/** pino-pretty is a development dependency: a production install may not have it. */
function prettyPrinterInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

function loggerParams(config: AppConfig): Params {
  const options: Options = {
    level: config.logLevel,
    transport:
      config.nodeEnv === 'development' && !config.logFile && prettyPrinterInstalled()
        ? { target: 'pino-pretty', options: { singleLine: true, colorize: true } }
        : undefined,
    // Fastify's request id (see common/request-id.ts), which @fastify/middie copies to the raw
    // request: it ties the log line to X-Request-Id.
    genReqId: (req: IncomingMessage) => (req as RoutedRequest).id ?? '',
    customAttributeKeys: { responseTime: 'durationMs', reqId: 'requestId' },
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessObject: (req: IncomingMessage, _res: ServerResponse, value: object) => ({
      ...value,
      route: routeOf(req),
    }),
    customErrorObject: (req: IncomingMessage, _res: ServerResponse, _e: Error, value: object) => ({
      ...value,
      route: routeOf(req),
    }),
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    quietReqLogger: true,
  };
  if (!config.logFile) return { pinoHttp: options };
  return {
    pinoHttp: [options, pino.destination({ dest: config.logFile, mkdir: true, sync: false })],
  };
}

/**
 * Structured JSON logs through pino: one line per request (method, route pattern, status,
 * duration, request id) and the app's own log lines. No bodies and no headers are logged, so
 * neither passwords nor bearer tokens can reach a log. Pretty, coloured output in development.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [ConfigModule.forFeature(appConfig)],
      inject: [appConfig.KEY],
      useFactory: loggerParams,
    }),
  ],
})
export class LoggingModule {}
