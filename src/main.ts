import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { Server } from 'node:http';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { InvalidEnvironmentError, validateEnvironment } from './config/environment';

async function bootstrap(): Promise<void> {
  const env = validateEnvironment(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureApp(app);
  await app.listen(env.PORT);
  logger.log(`listening on ${await app.getUrl()} (Swagger UI at /docs)`, 'Bootstrap');

  /**
   * Graceful shutdown: stop accepting connections, let in-flight requests finish (at most
   * SHUTDOWN_TIMEOUT_MS, then their sockets are cut), close the database pool and the MongoDB
   * connection through the modules' shutdown hooks, and exit 0.
   */
  const shutDown = async (signal: string) => {
    logger.log(`${signal} received: draining in-flight requests`, 'Shutdown');
    const server = app.getHttpServer() as Server;
    const deadline = setTimeout(() => {
      logger.warn(
        `requests still running after ${env.SHUTDOWN_TIMEOUT_MS} ms: closing them`,
        'Shutdown',
      );
      server.closeAllConnections();
    }, env.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    try {
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
