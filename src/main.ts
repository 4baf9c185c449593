// First: `.env` must be in process.env before AppModule's imports declare the entities.
import './config/load-env';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Server } from 'node:http';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { InvalidEnvironmentError, validateEnvironment } from './config/environment';
import { createHttpAdapter } from './http-platform';

async function bootstrap(): Promise<void> {
  // Validated before NestFactory.create: HTTP_PLATFORM decides the adapter it is given.
  const env = validateEnvironment(process.env);
  const app = await NestFactory.create(AppModule, createHttpAdapter(env), {
    bodyParser: false,
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const server = app.getHttpServer() as Server;
  let draining = false;
  // Node's own request event, before either platform sees the request.
  server.prependListener('request', (_request, response) => {
    if (draining) response.setHeader('Connection', 'close');
  });
  configureApp(app);
  // Every IPv4 interface (Fastify on its own would listen on localhost only).
  await app.listen(env.PORT, '0.0.0.0');
  const docs = env.DOCS_ENABLED ? ' (Swagger UI at /docs)' : '';
  logger.log(`listening on ${await app.getUrl()} with ${env.HTTP_PLATFORM}${docs}`, 'Bootstrap');

  /**
   * Graceful shutdown: stop accepting connections at once, answer in-flight requests (with
   * `Connection: close`, so clients do not send more on them) for at most SHUTDOWN_TIMEOUT_MS,
   * then close the database pool and the MongoDB connection through the modules' shutdown hooks,
   * and exit 0.
   */
  const shutDown = async (signal: string) => {
    logger.log(`${signal} received: draining in-flight requests`, 'Shutdown');
    draining = true;
    const stoppedListening = new Promise((resolve) => server.close(resolve));
    const idleSweeper = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      logger.warn(
        `requests still running after ${env.SHUTDOWN_TIMEOUT_MS} ms: closing them`,
        'Shutdown',
      );
      server.closeAllConnections();
    }, env.SHUTDOWN_TIMEOUT_MS);
    try {
      await stoppedListening;
      clearInterval(idleSweeper);
      clearTimeout(deadline);
      await app.close();
      logger.log('closed cleanly', 'Shutdown');
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`, 'Shutdown');
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, (s) => void shutDown(s));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  }
  process.exit(1);
});
