import { BadRequestException, INestApplication, ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AllExceptionsFilter, errorBody } from './common/all-exceptions.filter';
import { bodyDepthMiddleware } from './common/body-depth.middleware';
import { requestIdMiddleware } from './common/request-id.middleware';
import { flattenValidationErrors } from './common/validation-errors';

export const BODY_LIMIT = '1mb';

/**
 * Global behaviour of the HTTP app, applied identically by main.ts and the end-to-end tests:
 * request ids, body limit, validation, error shape and Swagger.
 */
export function configureApp(app: NestExpressApplication): void {
  app.use(requestIdMiddleware);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use(bodyDepthMiddleware);
  app.set('query parser', 'extended');
  app.disable('x-powered-by');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new BadRequestException(errorBody(400, flattenValidationErrors(errors))),
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(app.get(DataSource)));
  setUpSwagger(app);
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Blog API')
    .setDescription(
      'A NestJS + TypeORM reference API: users with profiles, posts, comments and tags on ' +
        'SQLite, PostgreSQL or MariaDB, and an optional MongoDB content module. ' +
        'Errors share one shape: `{ statusCode, error, message }`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
