import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { buildOpenApiDocument, configureApp } from '../../src/app.setup';
import { validateEnvironment } from '../../src/config/environment';
import { createHttpAdapter } from '../../src/http-platform';
import { PrismProxy, startPrismProxy, THROUGH_PRISM } from './prism-proxy';
import { watchSecrets } from './secrets-watch';
import { createTestDatabase, migrateToLatest, TestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  api: TestAgent;
  dataSource: DataSource;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Lets the app reach the database another way than the tests do (e.g. through a proxy). */
  appDatabaseUrl?: (databaseUrl: string) => string;
  /** A database made elsewhere (another server), instead of a fresh one on the test server. */
  database?: TestDatabase;
}

/**
 * Builds the real app exactly as main.ts does (same AppModule, same configureApp) on a fresh,
 * fully migrated database of the dialect under test. `env` overrides variables for this app.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database: TestDatabase = options.database ?? (await createTestDatabase());
  await migrateToLatest(database.url);

  const previous = { ...process.env };
  const appDatabaseUrl = options.appDatabaseUrl?.(database.url) ?? database.url;
  Object.assign(process.env, { DATABASE_URL: appDatabaseUrl, DB_POOL_SIZE: '5', ...env });
  let app: INestApplication;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    // HTTP_PLATFORM (express unless the run or `env` says fastify) picks the adapter, as in main.ts.
    app = moduleRef.createNestApplication(createHttpAdapter(validateEnvironment(process.env)), {
      bodyParser: false,
    });
    app.useLogger(app.get(Logger)); // as main.ts does: Nest's own lines go to pino too
    watchSecrets(app);
    configureApp(app);
    await app.init();
    if (app.getHttpAdapter().getType() === 'fastify') {
      await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
    }
  } finally {
    process.env = previous;
  }

  // With TEST_THROUGH_PRISM=true, requests go through Prism's validation proxy (prism-proxy.ts).
  let prism: PrismProxy | undefined;
  if (THROUGH_PRISM) {
    await app.listen(0, '127.0.0.1');
    const appUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    prism = await startPrismProxy(buildOpenApiDocument(app), appUrl);
  }

  return {
    app,
    api: request(prism?.url ?? app.getHttpServer()),
    dataSource: app.get(DataSource),
    databaseUrl: database.url,
    close: async () => {
      const report = await prism?.stop();
      await app.close();
      await database.drop();
      if (report?.responseViolations.length) {
        throw new Error(
          `Prism found ${report.responseViolations.length} responses that do not match the ` +
            `OpenAPI document (Prism's log: ${report.logFile}):\n  ` +
            [...new Set(report.responseViolations)].join('\n  '),
        );
      }
    },
  };
}
