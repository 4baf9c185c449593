import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { FastifyInstance } from 'fastify';
import { LoggerModule, Params } from 'nestjs-pino';
import pino, { Logger as PinoInstance } from 'pino';
import { appConfig, AppConfig } from '../config/configuration';

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

/**
 * One line per request once its response is sent: method, URL, route pattern, status, duration
 * and request id (the X-Request-Id the response carried); 5xx at error level, 4xx at warn, the
 * rest at info. Written from a Fastify hook rather than a per-request child logger, so a level
 * that leaves request lines out costs nothing per request.
 */
export function logRequests(fastify: FastifyInstance, logger: PinoInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const statusCode = reply.statusCode;
    const level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          requestId: request.id,
          req: { method: request.method, url: request.url },
          res: { statusCode },
          route: request.routeOptions.url,
          durationMs: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}

/**
 * Structured JSON logs through pino: one line per request (method, route pattern, status,
 * duration, request id; see logRequests) and the app's own log lines. No bodies and no headers
 * are logged, so neither passwords nor bearer tokens can reach a log. Pretty, coloured output in
 * development.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [ConfigModule.forFeature(appConfig)],
      providers: [{ provide: APP_LOGGER, inject: [appConfig.KEY], useFactory: createAppLogger }],
      inject: [APP_LOGGER],
      // nestjs-pino's own request logging (pino-http with a child logger per request, bound
      // through AsyncLocalStorage) is not mounted on any route: logRequests writes those lines.
      useFactory: (logger: PinoInstance): Params => ({ pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
})
export class LoggingModule {}
